"""A logged load is a number with a unit: typed and shown in the athlete's unit (kilograms or
pounds, their choice in settings), stored in kilograms; bad input says what is wrong and saves
nothing; the load a tap logs follows the set before it; old text loads became numbers where they
read as one."""

import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from athletes.models import User
from programmes import loads, services
from programmes.models import Exercise, PrescribedExercise, SetLog
from tests.factories import assigned_session

HTMX = {"HX-Request": "true"}
LB_45 = Decimal("20.412")  # 45 lb = 20.41165665 kg, stored to the gram


def _rdl(session):
    return session.exercises.select_related("exercise").get(exercise__key="rdl_dumbbell")


def _url(item, number):
    return reverse("set_log", args=[item.pk, number])


@pytest.fixture
def in_pounds(world):
    world.athlete_user.load_unit = User.LoadUnit.LB
    world.athlete_user.save(update_fields=["load_unit"])
    return world.athlete_user


# --- Reading and converting a load (plain Python) -----------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("20 kg", (Decimal("20"), "kg")),
    ("45lb", (Decimal("45"), "lb")),
    ("45 LBS", (Decimal("45"), "lb")),
    ("20", (Decimal("20"), "kg")),  # no unit written: kilograms
    ("22,5 kg", (Decimal("22.5"), "kg")),
    (" 12.5 kilos ", (Decimal("12.5"), "kg")),
    ("Moderate dumbbells", None),
    ("2 x 10 kg", None),
    ("10-12 kg", None),
    ("", None),
    ("501 kg", None),  # over the limit: not a load anyone lifts here
    ("1101 lb", None),
])
def test_a_load_written_in_words_reads_as_a_number_and_its_unit(text, expected):
    assert loads.parse(text) == expected


def test_a_load_without_a_unit_is_not_read_when_a_unit_is_required():
    assert loads.parse_kg("20", default_unit=None) is None
    assert loads.parse_kg("20 kg", default_unit=None) == Decimal("20.000")


def test_every_load_typed_in_pounds_reads_back_exactly():
    for halves in range(0, 2201):  # 0 to 1100 lb, the step of the number box
        typed = Decimal(halves) / 2
        assert loads.from_kg(loads.to_kg(typed, loads.LB), loads.LB) == typed
    assert loads.to_kg(Decimal(45), loads.LB) == LB_45
    assert loads.load_text(LB_45, loads.LB) == "45 lb" and loads.load_text(LB_45, loads.KG) == "20.41 kg"
    assert loads.load_text(None, loads.KG) == "" and loads.amount_text(Decimal("22.500"), loads.KG) == "22.5"
    assert loads.volume_text(Decimal("1234.5"), loads.KG) == "1,235 kg"


# --- The migration of the old text loads ----------------------------------------------------------


def _load_migration():
    path = next(Path(__file__).resolve().parents[2].glob("programmes/migrations/*_setlog_load_number.py"))
    return importlib.import_module(f"programmes.migrations.{path.stem}")


def test_old_text_loads_become_numbers_where_they_read_as_one_and_stay_words_otherwise(world):
    session = assigned_session(world.athlete, world.coach)
    rdl = _rdl(session)
    run = PrescribedExercise.objects.create(
        session=session, order=9, exercise=Exercise.objects.get(key="run_brisk_walk"), family="running",
        sets=1, reps_min=1, reps_max=1, minutes=20,
    )
    texts = {1: "20 kg", 2: "45lb", 3: "Moderate dumbbells"}
    for number, text in texts.items():
        SetLog.objects.create(prescribed=rdl, set_number=number, reps=8, note=text)
    curl = session.exercises.get(exercise__key="curl_slider")
    SetLog.objects.create(prescribed=curl, set_number=1, reps=8, note="20")
    SetLog.objects.create(prescribed=curl, set_number=2, reps=8, note="600 kg")
    SetLog.objects.create(prescribed=run, set_number=1, reps=1, note="20")  # a run's note stays a note

    migration = _load_migration()
    migration.text_to_number(apps, None)

    got = {(log.prescribed_id, log.set_number): (log.load_kg, log.note) for log in SetLog.objects.all()}
    assert got == {
        (rdl.pk, 1): (Decimal("20.000"), ""),
        (rdl.pk, 2): (LB_45, ""),
        (rdl.pk, 3): (None, "Moderate dumbbells"),
        (curl.pk, 1): (Decimal("20.000"), ""),
        (curl.pk, 2): (None, "600 kg"),
        (run.pk, 1): (None, "20"),
    }
    migration.number_to_text(apps, None)  # and back: nothing is lost either way
    assert dict(SetLog.objects.filter(prescribed=rdl).values_list("set_number", "note")) == {
        1: "20 kg", 2: "20.412 kg", 3: "Moderate dumbbells",
    }


# --- Logging a set with a load, in the athlete's unit ----------------------------------------------


def test_a_load_typed_in_pounds_is_stored_in_kilograms_and_shown_in_pounds(athlete_client, world, in_pounds):
    session = assigned_session(world.athlete, world.coach)
    rdl = _rdl(session)
    body = athlete_client.post(_url(rdl, 1), {"reps": "8", "load": "45"}, headers=HTMX).content.decode()
    log = SetLog.objects.get()
    assert (log.reps, log.load_kg) == (8, LB_45)
    assert "✓ 8 reps · 45 lb" in body and "Saved" in body
    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "Load (lb)" in page and "Load (kg)" not in page
    assert f'id="load-{rdl.pk}-1" type="number" name="load" min="0" max="1100" step="0.5" inputmode="decimal" value="45"' in page


def test_the_load_box_is_a_number_box_labelled_in_kilograms_by_default(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    rdl = _rdl(session)
    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert f'<label for="load-{rdl.pk}-2">Load (kg)</label>' in page
    assert f'id="load-{rdl.pk}-2" type="number" name="load" min="0" max="500" step="0.5" inputmode="decimal" value=""' in page
    assert "Loads are in kilograms" in page and reverse("notification_preferences") in page
    assert 'type="text" name="load"' not in page


def test_a_tap_keeps_the_load_of_the_set_logged_before_it(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    rdl = _rdl(session)
    athlete_client.post(_url(rdl, 1), {"reps": "10", "load": "22.5"}, headers=HTMX)
    body = athlete_client.post(_url(rdl, 2), headers=HTMX).content.decode()  # a plain tap
    assert "✓ 8 reps · 22.5 kg" in body
    athlete_client.post(_url(rdl, 1), headers=HTMX)  # a retried tap keeps the set's own load
    loads_by_set = dict(SetLog.objects.filter(prescribed=rdl).values_list("set_number", "load_kg"))
    assert loads_by_set == {1: Decimal("22.500"), 2: Decimal("22.500")}
    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert f'id="load-{rdl.pk}-3" type="number" name="load" min="0" max="500" step="0.5" inputmode="decimal" value="22.5"' in page


def test_an_empty_load_box_means_bodyweight(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    rdl = _rdl(session)
    athlete_client.post(_url(rdl, 1), {"reps": "8", "load": "20"}, headers=HTMX)
    body = athlete_client.post(_url(rdl, 1), {"reps": "8", "load": ""}, headers=HTMX).content.decode()
    assert SetLog.objects.get().load_kg is None
    assert "✓ 8 reps" in body and " kg" not in body.split("set-value")[1].split("</span>")[0]


def test_a_first_tap_logs_the_prescribed_load_only_when_it_is_written_as_a_load(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    rdl, curl = _rdl(session), session.exercises.get(exercise__key="curl_slider")
    PrescribedExercise.objects.filter(pk=rdl.pk).update(load="20 kg")
    PrescribedExercise.objects.filter(pk=curl.pk).update(load="Moderate dumbbells")
    athlete_client.post(_url(rdl, 1), headers=HTMX)
    athlete_client.post(_url(curl, 1), headers=HTMX)
    assert SetLog.objects.get(prescribed=rdl).load_kg == Decimal("20.000")
    assert SetLog.objects.get(prescribed=curl).load_kg is None


def test_a_decimal_comma_is_read_as_a_point(athlete_client, world):
    rdl = _rdl(assigned_session(world.athlete, world.coach))
    athlete_client.post(_url(rdl, 1), {"reps": "8", "load": "22,5"}, headers=HTMX)
    assert SetLog.objects.get().load_kg == Decimal("22.500")


@pytest.mark.parametrize("unit, data, message", [
    ("kg", {"reps": "8", "load": "-5"}, "Load (kg): A load cannot be negative."),
    ("kg", {"reps": "8", "load": "600"}, "Load (kg): A load can be at most 500 kg."),
    ("lb", {"reps": "8", "load": "1200"}, "Load (lb): A load can be at most 1100 lb."),
    ("kg", {"reps": "8", "load": "heavy"}, "Load (kg): Type the load as a number of kilograms, like 20 or 22.5."),
    ("lb", {"reps": "8", "load": "heavy"}, "Load (lb): Type the load as a number of pounds, like 20 or 22.5."),
    ("kg", {"reps": "8", "load": "20.125"}, "Load (kg): Use at most two decimals, like 22.5."),
    ("kg", {"reps": "8", "load": "1e9"}, "Load (kg): A load can be at most 500 kg."),
    ("kg", {"reps": "-1", "load": "20"}, "Reps done: Reps cannot be fewer than 0."),  # nothing half-saved
])
def test_a_bad_load_says_what_is_wrong_and_saves_nothing(athlete_client, world, unit, data, message):
    User.objects.filter(pk=world.athlete_user.pk).update(load_unit=unit)
    rdl = _rdl(assigned_session(world.athlete, world.coach))
    response = athlete_client.post(_url(rdl, 1), data, headers=HTMX)
    assert response.status_code == 200 and message in response.content.decode()
    assert not SetLog.objects.exists()
    followed = athlete_client.post(_url(rdl, 1), data, follow=True)  # without htmx: the page, with the message
    assert followed.status_code == 200 and message in followed.content.decode()
    assert not SetLog.objects.exists()


def test_a_bad_load_keeps_the_load_logged_before(athlete_client, world):
    rdl = _rdl(assigned_session(world.athlete, world.coach))
    athlete_client.post(_url(rdl, 1), {"reps": "8", "load": "20"}, headers=HTMX)
    athlete_client.post(_url(rdl, 1), {"reps": "6", "load": "-3"}, headers=HTMX)
    log = SetLog.objects.get()
    assert (log.reps, log.load_kg) == (8, Decimal("20.000"))


def test_the_service_and_the_table_refuse_a_load_out_of_range(world):
    rdl = _rdl(assigned_session(world.athlete, world.coach))
    with pytest.raises(services.SessionLogError, match="between 0 and 500 kg"):
        services.set_log(prescribed=rdl, set_number=1, load_kg=Decimal("500.5"))
    assert not SetLog.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        SetLog.objects.create(prescribed=rdl, set_number=1, reps=8, load_kg=Decimal("-1"))


def test_a_run_takes_a_note_not_a_load(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    run = PrescribedExercise.objects.create(
        session=session, order=9, exercise=Exercise.objects.get(key="run_brisk_walk"), family="running",
        sets=1, reps_min=1, reps_max=1, minutes=20,
    )
    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert f'<label for="note-{run.pk}-1">Note</label>' in page and f'id="load-{run.pk}-1"' not in page
    body = athlete_client.post(_url(run, 1), {"reps": "1", "note": "Windy, took it easy", "load": "30"}, headers=HTMX)
    log = SetLog.objects.get()
    assert (log.load_kg, log.note) == (None, "Windy, took it easy")
    assert "✓ 20 min · Windy, took it easy" in body.content.decode()


def test_history_shows_each_set_with_its_load_in_the_athletes_unit(athlete_client, world, in_pounds):
    session = assigned_session(world.athlete, world.coach)
    rdl = _rdl(session)
    athlete_client.post(_url(rdl, 1), {"reps": "8", "load": "45"}, headers=HTMX)
    athlete_client.post(_url(rdl, 2), headers=HTMX)
    services.session_complete(session=session, worst_pain=1, sharp_pain=False)
    body = athlete_client.get(reverse("athlete_history")).content.decode()
    assert "8 × 45 lb, 8 × 45 lb, –" in body
    User.objects.filter(pk=in_pounds.pk).update(load_unit="kg")
    assert "8 × 20.41 kg, 8 × 20.41 kg, –" in athlete_client.get(reverse("athlete_history")).content.decode()


# --- "Weights in", on the settings page -----------------------------------------------------------


def _settings(client, **data):
    return client.post(reverse("notification_preferences"), {"time_zone": "Europe/London", **data}, follow=True)


def test_an_athlete_chooses_pounds_in_settings_and_the_session_page_follows(athlete_client, world):
    page = athlete_client.get(reverse("notification_preferences")).content.decode()
    assert '<label for="id_load_unit">Weights in:</label>' in page
    assert '<option value="kg" selected>Kilograms (kg)</option>' in page and "Pounds (lb)" in page
    body = _settings(athlete_client, load_unit="lb").content.decode()
    assert "Loads now show in pounds (lb)." in body
    world.athlete_user.refresh_from_db()
    assert (world.athlete_user.load_unit, world.athlete_user.time_zone) == ("lb", "Europe/London")
    session = assigned_session(world.athlete, world.coach)
    assert "Load (lb)" in athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    again = _settings(athlete_client, load_unit="lb").content.decode()
    assert "Loads now show" not in again  # unchanged: nothing to say


def test_settings_without_the_unit_keep_it_and_a_bad_unit_saves_nothing(athlete_client, world, in_pounds):
    _settings(athlete_client)
    in_pounds.refresh_from_db()
    assert in_pounds.load_unit == "lb"
    body = _settings(athlete_client, load_unit="stone", time_zone="Asia/Tokyo").content.decode()
    assert "Select a valid choice" in body
    in_pounds.refresh_from_db()
    assert (in_pounds.load_unit, in_pounds.time_zone) == ("lb", "Europe/London")


def test_a_coach_logs_no_loads_and_is_not_asked_about_weights(coach_client, world):
    page = coach_client.get(reverse("notification_preferences")).content.decode()
    assert "Weights in" not in page
    _settings(coach_client, load_unit="lb")
    world.coach.refresh_from_db()
    assert world.coach.load_unit == "kg"
