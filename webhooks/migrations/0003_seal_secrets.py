"""Endpoint secrets are stored sealed (webhooks/sealed.py): seal the ones stored as they were."""

from django.db import migrations

import webhooks.sealed


def seal_existing(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, secret FROM webhooks_endpoint")
        for pk, secret in cursor.fetchall():
            cursor.execute("UPDATE webhooks_endpoint SET secret = %s WHERE id = %s", [webhooks.sealed.seal(secret), pk])


def open_sealed(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, secret FROM webhooks_endpoint")
        for pk, secret in cursor.fetchall():
            cursor.execute("UPDATE webhooks_endpoint SET secret = %s WHERE id = %s", [webhooks.sealed.unseal(secret), pk])


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0002_delivery_settled_idx")]

    operations = [
        migrations.AlterField(model_name="endpoint", name="secret", field=webhooks.sealed.SealedTextField()),
        migrations.RunPython(seal_existing, open_sealed),
    ]
