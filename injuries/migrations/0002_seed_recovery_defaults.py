from django.db import migrations

# docs/clinical-rules.md#recovery-windows, with the sources it names. Copied here (not imported from triage.py)
# so that this migration keeps meaning what it meant when it ran.
DEFAULTS = [
    ("cramp", 0, 1, 0, 0, "Hamstring article: eases after a few hours of rest"),
    ("doms", 1, 4, 0, 0, "Hamstring article: a dull ache lasting 1 to 4 days"),
    ("grade_1", 7, 21, 1, 3, "Hamstring article ('a few weeks'); Ekstrand 2012 BJSM 46:112 (17±10 days)"),
    ("grade_2", 21, 42, 3, 5, "Hamstring article ('a few weeks'); Ekstrand 2012 (22±11), Ekstrand 2016 (24±13)"),
    ("grade_3", 84, 180, 7, 14, "Hamstring article ('a few months, may require surgery')"),
]


def seed(apps, schema_editor):
    RecoveryDefault = apps.get_model("injuries", "RecoveryDefault")
    for classification, rmin, rmax, pmin, pmax, source in DEFAULTS:
        RecoveryDefault.objects.update_or_create(
            classification=classification,
            defaults={
                "return_min_days": rmin,
                "return_max_days": rmax,
                "protect_min_days": pmin,
                "protect_max_days": pmax,
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("injuries", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
