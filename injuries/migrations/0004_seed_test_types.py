from django.db import migrations

# Issue 9's tests, with the thresholds of docs/clinical-rules.md#phases-and-criteria (strength within about 10% of the other
# side and of the pre-injury baseline; flexibility like the other side). Copied here, not
# imported, so that this migration keeps meaning what it meant when it ran; admins tune them.
STRENGTH, FLEXIBILITY = "strength_within_10pct", "flexibility_matches"
TEST_TYPES = [
    # key, name, unit, bilateral, higher is better, checklist item, asymmetry %, baseline %, description
    ("nordic", "Nordic eccentric peak force", "N", True, True, STRENGTH, 10, 10,
     "Peak knee-flexor force of each leg during a Nordic hamstring lowering, e.g. on a NordBord."),
    ("iso90", "Isometric knee-flexor force at 90°", "N", True, True, STRENGTH, 10, 10,
     "Handheld dynamometer at the heel, lying prone, knee bent to 90°; best of three pushes."),
    ("iso30", "Isometric knee-flexor force at 30°", "N", True, True, STRENGTH, 10, 10,
     "Handheld dynamometer at the heel, lying prone, knee bent to 30°; best of three pushes."),
    ("aslr", "Active straight-leg raise", "°", True, True, FLEXIBILITY, 10, None,
     "Lying on the back, the athlete lifts the straight leg as far as they can; hip angle from the table."),
    ("sprint10", "Flying 10 m sprint", "s", False, False, "", 10, None,
     "Timing gates 10 m apart after a run-up; best of the session."),
    ("sprint30", "Flying 30 m sprint", "s", False, False, "", 10, None,
     "Timing gates 30 m apart after a run-up; best of the session."),
]


def seed(apps, schema_editor):
    TestType = apps.get_model("injuries", "TestType")
    for order, (key, name, unit, bilateral, higher, item, asymmetry, baseline, description) in enumerate(TEST_TYPES, 1):
        TestType.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "unit": unit,
                "bilateral": bilateral,
                "higher_is_better": higher,
                "checklist_item": item,
                "asymmetry_threshold_pct": asymmetry,
                "baseline_threshold_pct": baseline,
                "description": description,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("injuries", "0003_test_types_and_measured_checks")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
