from django.db import migrations


def seed(apps, schema_editor):
    """The running ladder's rungs and every rung's notes (idempotent: it updates by key)."""
    from programmes.library import seed as seed_library

    seed_library(apps)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_pathway")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
