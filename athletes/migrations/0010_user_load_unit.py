from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("athletes", "0009_access_log_actions")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="load_unit",
            field=models.CharField(
                choices=[("kg", "Kilograms (kg)"), ("lb", "Pounds (lb)")], default="kg", max_length=2,
                verbose_name="weights in",
            ),
        ),
    ]
