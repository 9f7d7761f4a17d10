from django.db import migrations


def seed(apps, schema_editor):
    from programmes.library import seed as seed_library

    seed_library(apps)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
