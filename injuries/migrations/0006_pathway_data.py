from django.db import migrations

# Copied, not imported, so that this migration keeps meaning what it meant when it ran.
SEVERITY = {"cramp": 0, "doms": 1, "grade_1": 2, "grade_2": 3, "grade_3": 4}
NEW_ITEMS = ("walks_pain_free", "rest_pain_low")
SPRINT = "sprint_pain_free"


def forwards(apps, schema_editor):
    Injury = apps.get_model("injuries", "Injury")
    ClearanceCheck = apps.get_model("injuries", "ClearanceCheck")
    ClassificationOverride = apps.get_model("injuries", "ClassificationOverride")
    TestType = apps.get_model("injuries", "TestType")
    overrides = {}
    for row in ClassificationOverride.objects.values("injury_id", "from_classification", "to_classification"):
        overrides.setdefault(row["injury_id"], []).extend([row["from_classification"], row["to_classification"]])
    for injury in Injury.objects.select_related("complaint"):
        seen = [injury.classification, injury.complaint.classification, *overrides.get(injury.pk, [])]
        injury.worst_classification = max(seen, key=SEVERITY.__getitem__)
        injury.ever_urgent = "urgent" in (injury.referral, injury.complaint.referral)
        injury.save(update_fields=["worst_classification", "ever_urgent"])
    have = set(ClearanceCheck.objects.filter(item__in=NEW_ITEMS).values_list("injury_id", "item"))
    ClearanceCheck.objects.bulk_create(
        ClearanceCheck(injury_id=pk, item=item)
        for pk in Injury.objects.values_list("pk", flat=True)
        for item in NEW_ITEMS
        if (pk, item) not in have
    )
    # Sprint tests decide the pain-free sprint item: within 10% of the pre-injury time.
    TestType.objects.filter(key__in=["sprint10", "sprint30"], checklist_item="").update(
        checklist_item=SPRINT, baseline_threshold_pct=10
    )


class Migration(migrations.Migration):
    dependencies = [("injuries", "0005_pathway")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
