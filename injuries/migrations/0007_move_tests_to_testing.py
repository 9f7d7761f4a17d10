from django.db import migrations


class Migration(migrations.Migration):
    """TestType and TestResult moved to the testing app (issue 15; docs/architecture.md#apps).

    Their tables stay as they are (injuries_testtype, injuries_testresult): this only forgets the
    models here; testing's 0001_initial takes them over, and renames their content types. The
    seeding migrations before this one (0004, 0006) still find them here.
    """

    dependencies = [
        ("injuries", "0006_pathway_data"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="TestResult"),
                migrations.DeleteModel(name="TestType"),
            ],
            database_operations=[],
        ),
    ]
