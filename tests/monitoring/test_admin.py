"""The admin of monitoring's records: every list and record opens for an admin, with records in it;
the records the services write are looked at and deleted, not typed; a mapping is checked."""

from datetime import date

import pytest
from django.urls import reverse

from monitoring import imports
from monitoring.models import GpsImport, GpsMapping, GpsRow, MaxVelocity, PriorInjury, SessionRpe, Wellness


@pytest.fixture
def records(world):
    athlete, day = world.athlete, date(2026, 11, 23)
    mapping = imports.gps_mapping_save(team=world.team, name="Ours", columns="catapult", by=world.coach)
    source = GpsImport.objects.create(team=world.team, mapping=mapping, file_name="week.csv", rows=1, imported_by=world.coach)
    return {
        SessionRpe: SessionRpe.objects.create(athlete=athlete, date=day, rpe=6, minutes=60, logged_by="coach"),
        Wellness: Wellness.objects.create(athlete=athlete, date=day, sleep=4, soreness=2, tightness_left=1,
                                          tightness_right=0, mood=4),
        GpsRow: GpsRow.objects.create(athlete=athlete, date=day, minutes=70, total_distance_m=6000, hsr_m=450, source=source),
        MaxVelocity: MaxVelocity.objects.create(athlete=athlete, velocity="9.1", measured_on=day, source="coach"),
        PriorInjury: PriorInjury.objects.create(athlete=athlete, approx_date=date(2025, 3, 1), side="left"),
        GpsImport: source,
        GpsMapping: mapping,
    }


def _url(model, view, *args):
    return reverse(f"admin:monitoring_{model._meta.model_name}_{view}", args=args)


def test_every_list_and_record_opens_for_an_admin(client, world, records):
    client.force_login(world.admin)
    for model, record in records.items():
        changelist = client.get(_url(model, "changelist"), {"q": world.athlete.last_name} if hasattr(model, "athlete") else {})
        assert changelist.status_code == 200, model
        assert client.get(_url(model, "change", record.pk)).status_code == 200, model


@pytest.mark.parametrize("model", [SessionRpe, Wellness, GpsRow, GpsImport])
def test_records_the_services_write_are_not_added_or_changed_here(client, world, records, model):
    client.force_login(world.admin)
    assert client.get(_url(model, "add")).status_code == 403
    assert client.post(_url(model, "change", records[model].pk), {}).status_code == 403


def test_deleting_an_import_deletes_its_rows(client, world, records):
    client.force_login(world.admin)
    response = client.post(_url(GpsImport, "delete", records[GpsImport].pk), {"post": "yes"})
    assert response.status_code == 302 and not GpsRow.objects.exists()


def test_a_mapping_that_cannot_work_is_refused(client, world, records):
    client.force_login(world.admin)
    mapping = records[GpsMapping]
    data = {"team": world.team.pk, "name": "Ours", "preset": "", "columns": '{"fields": {"athlete": "Name"}}'}
    response = client.post(_url(GpsMapping, "change", mapping.pk), data)
    assert response.status_code == 200 and "Choose the export&#x27;s column for" in response.content.decode()
    mapping.refresh_from_db()
    assert mapping.columns == imports.mapping_from("catapult").as_json()


def test_coaches_and_athletes_do_not_open_the_admin(client, world, records):
    for user in (world.coach, world.athlete_user):
        client.force_login(user)
        assert client.get(_url(GpsRow, "changelist")).status_code == 302
