import programmes.videos
from django.db import migrations, models


def seed(apps, schema_editor):
    """Every seeded exercise's written steps (only where they are still empty), and its phases in
    the pathway's order (idempotent: it updates by key)."""
    from programmes.library import seed as seed_library

    seed_library(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0004_seed_running_ladder'),
    ]

    operations = [
        migrations.AddField(
            model_name='exercise',
            name='steps',
            field=models.TextField(blank=True, help_text='How to do it, one step per line in order, in our own words; pages number them.'),
        ),
        migrations.AlterField(
            model_name='exercise',
            name='video',
            field=models.FileField(blank=True, help_text='An MP4 or WebM video; its content is checked, not just its name.', upload_to='exercise-videos/', validators=[programmes.videos.VideoValidator()]),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
