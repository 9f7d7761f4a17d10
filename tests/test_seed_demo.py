from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from athletes.models import Athlete, Team
from injuries.models import Complaint, Injury
from testing.models import TestResult

User = get_user_model()
LOGINS = ["admin@example.com", "coach@example.com", "coach2@example.com", "athlete@example.com"]


def test_seed_demo_is_idempotent_and_every_login_works(db, settings, client, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Team.objects.count(), Athlete.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Team.objects.count(), Athlete.objects.count()) == counts
    out = capsys.readouterr().out
    for email in LOGINS:
        assert email in out
        response = client.post(reverse("login"), {"username": email, "password": "coachapp-demo"})
        assert response.status_code == 302, email
        client.logout()


def test_demo_teams_have_their_own_coach_and_five_athletes(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    coach, coach2 = User.objects.get(email="coach@example.com"), User.objects.get(email="coach2@example.com")
    team, team2 = coach.coached_teams.get(), coach2.coached_teams.get()
    assert team != team2
    assert team.athletes.count() >= 5 and team2.athletes.count() >= 5
    assert Athlete.objects.get(user__email="athlete@example.com").team == team
    assert User.objects.get(email="admin@example.com").is_superuser


def test_seed_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", force=True)
    assert User.objects.filter(email="coach@example.com").exists()


@pytest.mark.calendar
def test_the_demo_has_a_story_to_look_at_and_tells_it_once(db, settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    coach = User.objects.get(email="coach@example.com")
    team = coach.coached_teams.get()
    open_injuries = Injury.objects.filter(athlete__team=team, cleared_on__isnull=True)
    assert sorted(open_injuries.values_list("phase", flat=True)) == ["protect", "rehab", "return_to_training"]
    urgent = open_injuries.get(phase="protect")
    assert urgent.waiting_for_doctor  # the urgent case waits for a doctor's review
    assert Injury.objects.filter(athlete__team=team, phase="cleared").count() == 1
    assert Complaint.objects.filter(athlete__team=team, status="pending").count() == 1
    assert TestResult.objects.filter(athlete__team=team).count() == 3 * team.athletes.count()

    client.force_login(coach)
    screening = client.get(reverse("team_screening", args=[team.pk]), {"show": "flagged"}).content.decode()
    assert "<strong>1 of 6 athletes</strong> over a limit" in screening and "Becker" in screening
    client.force_login(User.objects.get(email="athlete@example.com"))
    home = client.get(reverse("athlete_home")).content.decode()
    assert "Today's session" in home


@pytest.mark.calendar
def test_the_demo_webhook_is_switched_off_at_a_reserved_address_with_a_log_to_look_at(db, settings, client, monkeypatch):
    from webhooks import services as webhook_services
    from webhooks.models import Attempt, Delivery, Endpoint, WebhookEvent

    sent = []
    monkeypatch.setattr(webhook_services, "enqueue", sent.extend)
    monkeypatch.setattr(webhook_services, "post", lambda *args: sent.append(args))
    settings.DEBUG = True
    call_command("seed_demo")
    coach = User.objects.get(email="coach@example.com")
    team = coach.coached_teams.get()
    endpoint = Endpoint.objects.get()
    assert endpoint.team == team and not endpoint.active
    assert endpoint.url.startswith("https://") and urlsplit(endpoint.url).hostname.endswith(".example")  # RFC 2606
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["cancelled"] + ["delivered"] * 4
    assert Attempt.objects.count() == 5  # one delivery took two tries, the cancelled one none
    assert set(WebhookEvent.objects.values_list("type", flat=True)) == {
        "injury.opened", "injury.phase_changed", "injury.cleared",
    }
    assert all("notes" not in event.payload["data"] for event in WebhookEvent.objects.all())
    counts = (Endpoint.objects.count(), WebhookEvent.objects.count(), Delivery.objects.count(), Attempt.objects.count())

    call_command("seed_demo")  # idempotent
    assert (Endpoint.objects.count(), WebhookEvent.objects.count(), Delivery.objects.count(), Attempt.objects.count()) == counts
    assert sent == []  # nothing queued, nothing posted

    client.force_login(User.objects.get(email="coach@example.com"))  # its password was set again
    response = client.get(reverse("team_webhooks", args=[team.pk]))
    assert response.status_code == 200, response.get("Location")
    page = response.content.decode()
    assert "receiver.harbour-city.example" in page and "Switched off: A demo address" in page
    assert page.count("Delivered (answer 200)") == 4 and "Not sent: the webhook was switched off" in page


def test_the_demo_webhook_comes_back_after_a_coach_deleted_it(db, settings):
    from webhooks.models import Delivery, Endpoint

    settings.DEBUG = True
    call_command("seed_demo")
    Endpoint.objects.get().delete()
    call_command("seed_demo")  # its events are still there: the deliveries point at them again
    assert Endpoint.objects.count() == 1 and Delivery.objects.count() == 5


@pytest.mark.calendar
def test_the_demo_team_has_a_season_of_load_and_gps_data_seeded_once(db, settings):
    from django.utils import timezone

    from monitoring import measures as m
    from monitoring.models import GpsImport, GpsRow, MaxVelocity, PriorInjury, SessionRpe, Wellness

    settings.DEBUG = True
    call_command("seed_demo")
    today = timezone.localdate()
    team = Team.objects.get(name="Harbour City FC")
    squad = list(team.athletes.all())
    rows = GpsRow.objects.filter(athlete__team=team)
    counts = (rows.count(), SessionRpe.objects.count(), Wellness.objects.count(), MaxVelocity.objects.count(),
              GpsImport.objects.count(), PriorInjury.objects.count())

    this_monday = m.week_of(today)
    season = [this_monday - timedelta(weeks=n) for n in range(16, 0, -1)]
    for athlete in squad:
        mine = rows.filter(athlete=athlete)
        assert mine.filter(date__gte=today).count() == 0  # nothing imported before the session happened
        weeks = {m.week_of(day) for day in mine.values_list("date", flat=True)}
        assert set(season) <= weeks, athlete  # sixteen complete weeks, each with GPS
        before = mine.filter(date__lt=this_monday)
        assert before.filter(session_label__startswith="Match v").count() == 16  # a match a week
        assert before.exclude(session_label__startswith="Match v").count() == 48  # three training days
        for row in mine:
            assert 0 < row.hsr_m < row.total_distance_m and row.sprint_m < row.hsr_m and row.max_velocity > 6
        velocity = MaxVelocity.objects.get(athlete=athlete)
        assert velocity.velocity >= max(mine.values_list("max_velocity", flat=True))
    # Each GPS session has its effort logged, matches as matches.
    assert SessionRpe.objects.filter(athlete__team=team).count() == rows.count()
    assert SessionRpe.objects.filter(athlete__team=team, kind="match", date__lt=this_monday).count() == 16 * len(squad)
    assert sum(GpsImport.objects.filter(team=team).values_list("rows", flat=True)) == rows.count()
    checks = Wellness.objects.filter(athlete__team=team)
    assert checks.values("athlete").distinct().count() == 4 and not checks.filter(date__gte=today).exists()
    assert PriorInjury.objects.get().athlete.first_name == "Tom"

    call_command("seed_demo")  # idempotent
    assert counts == (rows.count(), SessionRpe.objects.count(), Wellness.objects.count(), MaxVelocity.objects.count(),
                      GpsImport.objects.count(), PriorInjury.objects.count())


@pytest.mark.calendar
def test_one_demo_athlete_is_back_from_a_strain_with_two_watch_flags_and_nobody_else_is_flagged(db, settings):
    from django.utils import timezone

    from monitoring import measures as m
    from monitoring.models import GpsRow, Wellness
    from monitoring.selectors import team_recurrence_watch, watch_rows

    settings.DEBUG = True
    call_command("seed_demo")
    today = timezone.localdate()
    coach = User.objects.get(email="coach@example.com")
    team = coach.coached_teams.get()

    # The whole demo, both teams: only Lea is within two months of a return.
    (row,) = watch_rows(list(Athlete.objects.active().order_by("pk")), today)
    assert row["athlete"].first_name == "Lea" and 0 <= (today - row["returned_on"]).days <= 60
    assert {flag.key for flag in row["flags"]} == {"nordic_missed", "sprint_spike"}
    spike = next(flag for flag in row["flags"] if flag.key == "sprint_spike")
    assert "2.0×" in spike.reason  # her last complete week, twice her usual
    assert [r["athlete"] for r in team_recurrence_watch(user=coach, team=team, today=today)] == [row["athlete"]]

    # Nobody else's data would raise a flag: no high-speed running spike this week or last, no
    # tightness rising on the latest mornings.
    this_monday = m.week_of(today)
    for athlete in team.athletes.exclude(pk=row["athlete"].pk):
        weekly = m.weekly_hsr(gps.run for gps in GpsRow.objects.filter(athlete=athlete))
        for week in (this_monday, this_monday - timedelta(weeks=1)):
            assert not m.hsr_week(weekly, week).spike, (athlete, week)
    for athlete in team.athletes.all():
        assert m.tightness_rising(check.morning for check in Wellness.objects.filter(athlete=athlete)) == ()
