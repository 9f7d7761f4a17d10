import smtplib
from datetime import time, timedelta
from urllib.parse import urlsplit
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
import hypothesis
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from injuries import services as injury_services
from programmes import reminders as programme_reminders
from programmes import services as programme_services
from reminders import broker, services
from reminders.models import ChannelPreference, Notification, Reminder, SentLog
from tests.factories import CoachFactory, InjuryFactory, ProgrammeTemplateFactory, assigned_session, complaint_answers

UTC = ZoneInfo("UTC")
# Every hand-over to the broker goes through this one call (reminders/queue.py), self and the id.
SEND = "reminders.queue.Publisher.send"


def _kinds(**filters):
    return sorted(Reminder.objects.filter(**filters).values_list("kind", "recipient__email", "status"))


def test_an_injury_schedules_return_reminders_for_coaches_and_the_athlete(world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    near = Reminder.objects.filter(injury=injury, kind="return_near")
    assert {r.recipient for r in near} == {world.coach, world.athlete_user}
    assert sorted({r.due_at.date() for r in near}) == [injury.expected_return_from - timedelta(days=3), injury.expected_return_from]
    overdue = Reminder.objects.get(injury=injury, kind="return_overdue")
    assert overdue.recipient == world.coach and overdue.due_at.date() == injury.expected_return_to + timedelta(days=1)


def test_an_override_moves_the_pending_return_reminders(world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    injury_services.injury_override_classification(injury=injury, overridden_by=world.coach, classification="grade_2", reason="Scan says grade 2.")
    injury.refresh_from_db()
    due = Reminder.objects.get(injury=injury, kind="return_overdue").due_at.date()
    assert due == injury.expected_return_to + timedelta(days=1)
    assert Reminder.objects.filter(injury=injury).count() == 5  # moved, not duplicated


def _reminder_rows():
    return sorted(Reminder.objects.values_list("recipient_id", "kind", "occurrence", "athlete_id", "injury_id", "status", "due_at"))


# schedule_many against schedule() one by one: the same rows whatever was there before, pending,
# cancelled, under way or sent, at the same time or another (each example rolled back).
BEFORE = st.sampled_from([None, *((status, hour) for status in Reminder.Status.values for hour in (9, 10))])


@hypothesis.settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(BEFORE, min_size=3, max_size=3), hours=st.lists(st.sampled_from([9, 10]), min_size=3, max_size=3),
       repeat=st.booleans())
def test_scheduling_many_at_once_leaves_the_rows_one_at_a_time_would(world, before, hours, repeat):
    from datetime import datetime

    day = datetime(2026, 3, 2, tzinfo=UTC)
    people = [world.coach, world.athlete_user, world.other_coach]
    plans = [services.Plan("return_near", person, f"drill:{i}", world.athlete, day.replace(hour=hour))
             for i, (person, hour) in enumerate(zip(people, hours))]
    if repeat:  # the same occurrence planned twice in one call: made once
        plans.append(plans[0])
    results = []
    for run in ("one at a time", "at once"):
        with transaction.atomic():
            for plan, state in zip(plans, before):
                if state:
                    Reminder.objects.create(kind=plan.kind, recipient=plan.recipient, occurrence=plan.occurrence,
                                            athlete=world.athlete, status=state[0], due_at=day.replace(hour=state[1]))
            if run == "at once":
                assert services.schedule_many(plans) == len(plans)
            else:
                for plan in plans:
                    services.schedule(plan.kind, plan.recipient, plan.occurrence, plan.athlete, plan.due_at, **plan.about)
            results.append(_reminder_rows())
            transaction.set_rollback(True)
    assert results[0] == results[1]


@pytest.mark.calendar  # the injury's return dates come from today
def test_an_injury_plans_its_reminders_in_a_fixed_number_of_queries_however_many_coaches(world):
    from injuries import reminders as injury_reminders

    injury = InjuryFactory(complaint__athlete=world.athlete)
    Reminder.objects.all().delete()
    for coaches in (1, 4):
        while world.team.coaches.count() < coaches:
            world.team.coaches.add(CoachFactory())
        with CaptureQueriesContext(connection) as made:
            injury_reminders.schedule_injury(injury)
        assert Reminder.objects.filter(injury=injury).count() == 3 * coaches + 2  # near x2 for coaches and athlete, overdue
        injury.expected_return_from += timedelta(days=2)
        injury.expected_return_to += timedelta(days=2)
        with CaptureQueriesContext(connection) as moved:
            injury_reminders.schedule_injury(injury)
        touching = lambda queries: [q["sql"] for q in queries if "reminders_reminder" in q["sql"]]  # noqa: E731
        # what is there (one SELECT), the new ones (one INSERT); moving them: one UPDATE per due time
        assert len(touching(made.captured_queries)) == 2
        assert len(touching(moved.captured_queries)) == 1 + 3
        assert Reminder.objects.filter(injury=injury).count() == 3 * coaches + 2  # moved, not duplicated


@pytest.mark.calendar
def test_clearing_cancels_return_reminders_and_plans_the_recurrence_check_ins(world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    injury_services.injury_change_phase(injury=injury, to_phase="cleared", changed_by=world.coach, override=True, reason="Fit again.")
    assert set(Reminder.objects.filter(injury=injury, kind__in=["return_near", "return_overdue"]).values_list("status", flat=True)) == {"cancelled"}
    check_ins = Reminder.objects.filter(injury=injury, kind="recurrence_check_in")
    today = timezone.localdate()
    assert sorted(r.due_at.date() for r in check_ins) == [today + timedelta(days=7), today + timedelta(days=14)]


@pytest.mark.calendar
def test_session_reminders_come_at_7_in_the_athletes_time_zone_and_move_with_the_session(world):
    world.athlete_user.time_zone = "Australia/Sydney"
    world.athlete_user.save()
    session = assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=2))
    reminder = Reminder.objects.get(session=session, kind="session_today")
    local = reminder.due_at.astimezone(ZoneInfo("Australia/Sydney"))
    assert (local.date(), local.time()) == (session.date, time(7, 0))
    programme_services.session_move(session=session, to=session.date + timedelta(days=1))
    reminder.refresh_from_db()
    assert reminder.due_at.astimezone(ZoneInfo("Australia/Sydney")).date() == session.date + timedelta(days=1)


@pytest.mark.calendar
def test_the_morning_check_in_is_planned_and_cancelled_once_answered(world):
    session = assigned_session(world.athlete, world.coach)
    programme_services.session_complete(session=session, worst_pain=1, sharp_pain=False)
    reminder = Reminder.objects.get(session=session, kind="morning_check_in")
    assert reminder.due_at.astimezone(UTC).date() == timezone.localdate() + timedelta(days=1)
    programme_services.session_morning_report(session=session, feeling="better", pain=0)
    reminder.refresh_from_db()
    assert reminder.status == "cancelled"


def test_pain_in_a_session_alerts_the_coaches_at_once(world, django_capture_on_commit_callbacks):
    session = assigned_session(world.athlete, world.coach, template=ProgrammeTemplateFactory(owner=world.coach))
    with mock.patch(SEND, autospec=True) as enqueue, django_capture_on_commit_callbacks(execute=True):
        programme_services.session_complete(session=session, worst_pain=7, sharp_pain=False)
    alert = Reminder.objects.get(kind="pain_alert")
    assert alert.recipient == world.coach and alert.due_at <= timezone.now()
    assert [c.args[1] for c in enqueue.call_args_list] == [alert.pk]
    assert enqueue.call_args.kwargs["priority"] == services.URGENT_PRIORITY
    assert Reminder.objects.get(pk=alert.pk).status == "claimed"


def test_a_request_enqueues_its_own_alert_never_the_backlog(world, django_capture_on_commit_callbacks):
    backlog = _due(world, 50)
    session = assigned_session(world.athlete, world.coach, template=ProgrammeTemplateFactory(owner=world.coach))
    with mock.patch(SEND, autospec=True) as enqueue, django_capture_on_commit_callbacks(execute=True):
        programme_services.session_complete(session=session, worst_pain=8, sharp_pain=False)
    alert = Reminder.objects.get(kind="pain_alert")
    assert [c.args[1] for c in enqueue.call_args_list] == [alert.pk]
    assert set(Reminder.objects.filter(pk__in=[r.pk for r in backlog]).values_list("status", flat=True)) == {"pending"}


def test_a_failing_hand_over_never_fails_the_page_that_saved_the_alert(world, django_capture_on_commit_callbacks):
    session = assigned_session(world.athlete, world.coach)
    with mock.patch.object(services, "_claim", side_effect=RuntimeError("database went away")):
        with django_capture_on_commit_callbacks(execute=True):
            programme_services.session_complete(session=session, worst_pain=8, sharp_pain=False)
    assert Reminder.objects.get(kind="pain_alert").status == "pending"  # the sweep's now


def test_workers_long_gone_are_forgotten_and_the_others_kept(world):
    from reminders.models import Heartbeat

    now = timezone.now()
    for name, ago in (("worker:old@box", timedelta(days=2)), ("worker:new@box", timedelta(minutes=5)), ("beat", timedelta(days=2))):
        Heartbeat.objects.create(name=name, seen_at=now - ago)
    assert services.heartbeats_forget(before=now - timedelta(days=1)) == 1
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {"worker:new@box", "beat"}


def test_an_urgent_report_alerts_the_coaches(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.athlete_user)
    with mock.patch.object(services, "dispatch_now") as dispatch, django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_create"), complaint_answers(numbness=True))
    alert = Reminder.objects.get(kind="pain_alert", recipient=world.coach)
    dispatch.assert_called_once_with([alert.pk])


def test_with_the_broker_failing_a_request_leaves_its_alert_to_the_sweep_and_stops_trying(world, django_capture_on_commit_callbacks):
    first, second = (assigned_session(a, world.coach) for a in (world.athlete, world.other_athlete))
    with mock.patch.object(broker, "request_connection", side_effect=OSError("timed out")) as connect:
        with django_capture_on_commit_callbacks(execute=True):
            programme_services.session_complete(session=first, worst_pain=8, sharp_pain=False)
        with django_capture_on_commit_callbacks(execute=True):
            programme_services.session_complete(session=second, worst_pain=8, sharp_pain=False)
    assert connect.call_count == 1  # the second request did not wait on the broker at all
    assert set(Reminder.objects.filter(kind="pain_alert").values_list("status", flat=True)) == {"pending"}
    with mock.patch(SEND, autospec=True) as enqueue:
        assert services.sweep(urgent_only=True)["dispatched"] == 2
    assert enqueue.call_count == 2


def _due(world, n, kind="missed_sessions"):
    now = timezone.now()
    return Reminder.objects.bulk_create(
        Reminder(kind=kind, recipient=world.coach, occurrence=f"test:{i}", athlete=world.athlete, due_at=now - timedelta(minutes=1))
        for i in range(n)
    )


def test_two_sweeps_never_claim_the_same_reminder(world):
    _due(world, 50)
    first = services.claim_due(timezone.now(), limit=30)
    second = services.claim_due(timezone.now(), limit=30)
    assert len(first) == 30 and len(second) == 20 and not set(first) & set(second)
    assert services.claim_due(timezone.now()) == []


@pytest.mark.parametrize("pending", [10, 2000])
def test_claiming_costs_the_same_queries_however_many_are_pending(world, pending):
    _due(world, 5)
    later = timezone.now() + timedelta(days=30)
    Reminder.objects.bulk_create(
        Reminder(kind="return_near", recipient=world.coach, occurrence=f"later:{i}", athlete=world.athlete, due_at=later)
        for i in range(pending)
    )
    with CaptureQueriesContext(connection) as queries:
        claimed = services.claim_due(timezone.now())
    assert len(claimed) == 5 and len(queries) == 3


def test_deliver_sends_once_with_email_and_notification(world, mailoutbox):
    reminder = _due(world, 1)[0]
    assert services.deliver(reminder.pk) == "sent"
    assert services.deliver(reminder.pk) == "already sent"
    assert SentLog.objects.filter(reminder=reminder).count() == 1
    assert Notification.objects.get(reminder=reminder).user == world.coach
    assert len(mailoutbox) == 1 and mailoutbox[0].alternatives and "/injuries/" not in mailoutbox[0].subject
    assert "http" in mailoutbox[0].body


def test_email_preferences_are_kept_but_pain_alerts_always_reach_coaches(world, mailoutbox):
    ChannelPreference.objects.create(user=world.coach, kind="missed_sessions", email=False)
    ChannelPreference.objects.create(user=world.coach, kind="pain_alert", email=False)
    quiet, loud = _due(world, 1)[0], _due(world, 1, kind="pain_alert")[0]
    Reminder.objects.filter(pk=loud.pk).update(occurrence="pain")
    services.deliver(quiet.pk)
    services.deliver(loud.pk)
    assert [m.subject for m in mailoutbox] == [f"Pain alert: {world.athlete.full_name}"]
    assert Notification.objects.count() == 2  # the in-app list has both


def test_a_mail_error_keeps_the_in_app_notification_and_the_retry_sends_the_email(world, mailoutbox):
    reminder = _due(world, 1)[0]
    with mock.patch.object(services, "send_email", side_effect=smtplib.SMTPServerDisconnected("down")):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            services.deliver(reminder.pk)
    assert not SentLog.objects.exists() and Notification.objects.count() == 1
    assert Reminder.objects.get(pk=reminder.pk).status == "claimed"  # the claim renewed for the retry
    assert services.deliver(reminder.pk) == "sent"
    assert Notification.objects.count() == 1 and len(mailoutbox) == 1


def test_every_send_of_one_reminder_carries_the_same_message_id(world, mailoutbox, settings):
    first, other = _due(world, 2)
    services.deliver(first.pk)
    # The worker was lost after handing the email over (before recording it had: no emailed_at):
    # the lapsed send is requeued and sent again.
    Reminder.objects.filter(pk=first.pk).update(status="sending", claimed_at=timezone.now() - timedelta(hours=1), emailed_at=None)
    SentLog.objects.filter(reminder=first).delete()
    assert services.requeue_stale_claims(timezone.now()) == 1
    assert services.deliver(first.pk) == "sent"
    services.deliver(other.pk)
    ids = [m.extra_headers["Message-ID"] for m in mailoutbox]
    assert ids[0] == ids[1] == services.message_id(first) != ids[2]
    assert ids[0].startswith(f"<reminder.{first.pk}.") and ids[0].endswith(f"@{urlsplit(settings.SITE_URL).hostname}>")
    assert Notification.objects.filter(reminder=first).count() == 1
    assert Reminder.objects.get(pk=first.pk).email_attempts == 2


def test_a_send_under_way_is_not_started_twice(world, mailoutbox):
    reminder = _due(world, 1)[0]
    Reminder.objects.filter(pk=reminder.pk).update(status="sending", claimed_at=timezone.now())
    assert services.deliver(reminder.pk) == "being sent" and not mailoutbox


@pytest.mark.django_db(transaction=True)
def test_the_sending_mark_is_committed_before_the_mail_server_is_called(world, mailoutbox):
    from django.db import connection as db

    reminder = _due(world, 1)[0]
    seen = {}

    def send(reminder, message):
        seen.update(in_transaction=db.in_atomic_block, status=Reminder.objects.get(pk=reminder.pk).status,
                    notified=Notification.objects.filter(reminder=reminder).exists())

    with mock.patch.object(services, "send_email", side_effect=send):
        assert services.deliver(reminder.pk) == "sent"
    assert seen == {"in_transaction": False, "status": "sending", "notified": True}


def test_a_cancelled_reminder_is_not_sent(world, mailoutbox):
    reminder = _due(world, 1)[0]
    Reminder.objects.filter(pk=reminder.pk).update(status="cancelled")
    assert services.deliver(reminder.pk) == "cancelled" and not mailoutbox


def test_claims_of_a_dead_worker_go_back_in_the_queue(world, settings):
    _due(world, 3)
    claimed = services.claim_due(timezone.now())
    assert services.requeue_stale_claims(timezone.now()) == 0
    later = timezone.now() + timedelta(seconds=settings.REMINDER_STALE_CLAIM_SECONDS + 1)
    assert services.requeue_stale_claims(later) == len(claimed)
    assert sorted(services.claim_due(later)) == sorted(claimed)


def test_a_dead_workers_pain_alert_is_requeued_within_a_minute_and_routine_ones_later(world, settings):
    assert settings.REMINDER_URGENT_STALE_CLAIM_SECONDS + 15 <= 60  # lease + the urgent sweep's period
    (routine,), (alert,) = _due(world, 1), _due(world, 1, kind="pain_alert")
    Reminder.objects.filter(pk=alert.pk).update(occurrence="alert")
    services.claim_due(timezone.now())
    soon = timezone.now() + timedelta(seconds=settings.REMINDER_URGENT_STALE_CLAIM_SECONDS + 1)
    assert services.requeue_stale_claims(soon, urgent_only=True) == 1
    assert dict(Reminder.objects.values_list("kind", "status")) == {"pain_alert": "pending", "missed_sessions": "claimed"}


def test_the_sweeps_leave_a_heartbeat_and_the_urgent_one_sends_only_urgent_kinds(world):
    from reminders.models import Heartbeat

    _due(world, 2)
    Reminder.objects.filter(pk=_due(world, 1, kind="pain_alert")[0].pk).update(occurrence="alert")
    with mock.patch(SEND, autospec=True) as enqueue:
        assert services.sweep(urgent_only=True) == {"requeued": 0, "dispatched": 1}
        assert services.sweep() == {"requeued": 0, "dispatched": 2}
    priorities = [c.kwargs["priority"] for c in enqueue.call_args_list]
    assert priorities == [services.URGENT_PRIORITY, services.ROUTINE_PRIORITY, services.ROUTINE_PRIORITY]
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {"sweep", "sweep-urgent"}
    assert Heartbeat.objects.get(name="sweep").detail == {"requeued": 0, "dispatched": 2}


def test_a_failed_send_retries_inside_its_claims_lease(world, settings):
    routine, alert = _due(world, 1)[0], _due(world, 1, kind="pain_alert")[0]
    for retries in range(10):
        assert services.retry_delay(alert.pk, retries) <= settings.REMINDER_URGENT_STALE_CLAIM_SECONDS / 2
        assert services.retry_delay(routine.pk, retries) <= settings.REMINDER_STALE_CLAIM_SECONDS / 2


def test_with_the_broker_down_claims_are_released_for_the_next_sweep(world):
    _due(world, 4)
    with mock.patch(SEND, autospec=True, side_effect=OSError("connection refused")):
        assert services.dispatch_due_now() == 4
    assert set(Reminder.objects.values_list("status", flat=True)) == {"pending"}


@pytest.mark.calendar
def test_two_missed_sessions_in_a_row_tell_the_coaches_once(world):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    with time_machine.travel(monday):
        programme_services.programme_assign(template=ProgrammeTemplateFactory(owner=world.coach), athletes=[world.athlete],
                                            start_date=monday, weekdays=[0], assigned_by=world.coach)
        assigned_session(world.athlete, world.coach, start=monday + timedelta(days=2))
    assert programme_reminders.detect_missed_sessions(timezone.localdate()) == 1
    programme_reminders.detect_missed_sessions(timezone.localdate())
    assert Reminder.objects.filter(kind="missed_sessions").count() == 1


@pytest.mark.calendar
def test_the_hourly_task_sends_the_missed_sessions_reminder_without_waiting_for_the_sweep(world):
    from programmes.tasks import detect_missed_sessions

    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    with time_machine.travel(monday):
        programme_services.programme_assign(template=ProgrammeTemplateFactory(owner=world.coach), athletes=[world.athlete],
                                            start_date=monday, weekdays=[0], assigned_by=world.coach)
        assigned_session(world.athlete, world.coach, start=monday + timedelta(days=2))
    with mock.patch(SEND, autospec=True) as enqueue:
        assert detect_missed_sessions() == 1
    missed = Reminder.objects.get(kind="missed_sessions")
    assert missed.pk in [c.args[1] for c in enqueue.call_args_list] and missed.recipient == world.coach
    assert missed.status == "claimed"


def test_notifications_list_open_and_read_all(client, world):
    reminder = _due(world, 2)
    for r in reminder:
        services.deliver(r.pk)
    client.force_login(world.coach)
    page = client.get(reverse("home")).content.decode()
    assert '<span class="count">2' in page
    first = Notification.objects.order_by("id").first()
    response = client.post(reverse("notification_open", args=[first.pk]))
    assert response["Location"] == first.url
    first.refresh_from_db()
    assert first.read_at
    client.post(reverse("notification_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_preferences_page_locks_pain_alerts_for_coaches(client, world):
    client.force_login(world.coach)
    client.post(reverse("notification_preferences"), {"time_zone": "Europe/Oslo", "email_return_near": "", "email_missed_sessions": "on"})
    assert ChannelPreference.objects.get(user=world.coach, kind="return_near").email is False
    world.coach.refresh_from_db()
    assert world.coach.time_zone == "Europe/Oslo"
    response = client.post(reverse("notification_preferences"), {"time_zone": "Mars/Olympus"})
    assert "time_zone" in response.context["form"].errors
    assert not ChannelPreference.objects.filter(user=world.coach, kind="pain_alert").exists()
    body = client.get(reverse("notification_preferences")).content.decode()
    assert "Always emailed to coaches" in body


@pytest.mark.calendar
def test_changing_time_zone_keeps_upcoming_reminders_at_their_local_hour(client, world):
    world.athlete_user.time_zone = "Europe/London"
    world.athlete_user.save()
    session = assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=3))
    upcoming = Reminder.objects.get(session=session, kind="session_today")
    sent = Reminder.objects.create(
        kind="session_today", recipient=world.athlete_user, occurrence="already-sent", athlete=world.athlete,
        due_at=timezone.now() + timedelta(days=1), status=Reminder.Status.SENT,
    )
    client.force_login(world.athlete_user)
    response = client.post(reverse("notification_preferences"), {"time_zone": "America/New_York"}, follow=True)

    assert "follows your new time zone" in response.content.decode()
    upcoming.refresh_from_db()
    local = upcoming.due_at.astimezone(ZoneInfo("America/New_York"))
    assert (local.date(), local.time()) == (session.date, time(7, 0))
    assert Reminder.objects.get(pk=sent.pk).due_at == sent.due_at  # what has gone out stays as it was


@pytest.mark.calendar
def test_a_bad_time_zone_moves_nothing_and_saves_nothing(client, world):
    session = assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=3))
    before = Reminder.objects.get(session=session, kind="session_today").due_at
    client.force_login(world.athlete_user)
    client.post(reverse("notification_preferences"), {"time_zone": "Mars/Olympus"})
    assert Reminder.objects.get(session=session, kind="session_today").due_at == before
    world.athlete_user.refresh_from_db()
    assert world.athlete_user.time_zone != "Mars/Olympus"
