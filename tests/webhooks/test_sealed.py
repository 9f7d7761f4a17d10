"""A webhook's secret is stored sealed under a key from SECRET_KEY (webhooks/sealed.py)."""

import importlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from webhooks import services
from webhooks.models import Endpoint
from webhooks.sealed import seal, unseal

migration = importlib.import_module("webhooks.migrations.0003_seal_secrets")


def _stored(endpoint) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_endpoint WHERE id = %s", [endpoint.pk])
        return cursor.fetchone()[0]


def test_the_table_holds_no_secret_and_the_model_reads_it_back(world):
    endpoint, secret = services.endpoint_create(team=world.team, url="https://hooks.example.com/in",
                                                events=["injury.opened"], created_by=world.coach)
    assert secret not in _stored(endpoint)
    assert Endpoint.objects.get(pk=endpoint.pk).secret == secret


def test_a_rotated_secret_key_still_opens_what_the_old_one_sealed(settings):
    settings.SECRET_KEY = "old-key-" + "x" * 40
    token = seal("whsec_abc")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "new-key-" + "y" * 40, [settings.SECRET_KEY]
    assert unseal(token) == "whsec_abc"
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FALLBACKS"):
        unseal(token)


def test_the_migration_seals_the_secrets_stored_as_they_were(world):
    endpoint, secret = services.endpoint_create(team=world.team, url="https://hooks.example.com/in",
                                                events=["injury.opened"], created_by=world.coach)
    with connection.cursor() as cursor:  # as the table held it before the migration
        cursor.execute("UPDATE webhooks_endpoint SET secret = %s WHERE id = %s", [secret, endpoint.pk])
    migration.seal_existing(None, SimpleNamespace(connection=connection))
    assert _stored(endpoint) != secret
    assert Endpoint.objects.get(pk=endpoint.pk).secret == secret
