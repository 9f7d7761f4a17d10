"""The phone's writes, each applied once per key the phone made (docs/architecture.md#the-phone-offline).

A phone without signal queues what the athlete does and sends it again when the signal returns,
with the key it made at the time. Each write here:

- claims its key in its own transaction (a second request with the same key waits on the unique
  index, then gives the first one's answer: nothing is written twice);
- refuses what no longer applies, with the reason the phone shows: a session finished elsewhere,
  moved or changed by the coach since the phone's copy of the page (its `version`), or anything the
  programme's own services refuse (a set the gating rule now withholds). The write is rolled back
  to a savepoint, so nothing is half-written;
- never loses a pain answer: a finish or check-in the session can no longer take is kept on the
  key's row, and the athlete's coaches get a pain alert (unless the session already holds that
  same answer).

The programme's services still decide everything about the session itself (gating, the log
window, progression): this module adds the key and the version, nothing else.
"""

import hashlib
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.formats import date_format

from athletes.errors import AppError
from athletes.locks import lock_athletes
from programmes import services as programme_services
from programmes.models import PrescribedExercise, ScheduledSession
from reminders import services as reminder_services
from reminders.models import Kind as ReminderKind

from .models import ClientWrite

Outcome = ClientWrite.Outcome
KEY_MAX = 64


class ClientKeyError(AppError):
    """A key the phone should not have sent."""


class SessionChanged(programme_services.SessionLogError):
    """The session was moved or changed since the phone's copy of it."""


@dataclass(frozen=True)
class Answer:
    """What became of one write: saved, refused (and why), or a pain answer kept for the coach."""

    outcome: str
    message: str = ""
    replayed: bool = False
    result: object = field(default=None, compare=False)

    @property
    def saved(self) -> bool:
        return self.outcome == Outcome.APPLIED


# --- The session's version: what the phone's copy of the page showed ---------------------------------


def version_of(session: ScheduledSession, prescriptions) -> str:
    """The session as the athlete sees it: its day, then a digest of its prescriptions and gating.

    A set logged does not change it; a coach's move, a rebuild or a re-gating that changes a
    prescription does (a re-gating that changes nothing leaves every row, id included, as it was:
    programmes/services/regating.py). The day comes first, in plain sight, so that a refusal can
    say the session moved and to when.
    """
    rows = sorted(
        (p.pk, p.exercise_id, p.sets, p.reps_min, p.reps_max, p.reps_by_set, p.hold_seconds, p.load, p.minutes,
         p.withheld_reason)
        for p in prescriptions
    )
    digest = hashlib.sha256(repr((session.is_recovery, session.gating_note, rows)).encode()).hexdigest()[:16]
    return f"{session.date.isoformat()}.{digest}"


def _current_version(session_id: int) -> tuple[ScheduledSession, str]:
    session = ScheduledSession.objects.get(pk=session_id)
    return session, version_of(session, PrescribedExercise.objects.filter(session_id=session_id))


def _day(value) -> str:
    return f"{date_format(value, 'l')} {date_format(value, 'MONTH_DAY_FORMAT')}"


def _check_version(session_id: int, version: str, *, what: str) -> ScheduledSession:
    """Refuse a write made on a copy of the session that is no longer what the coach planned.
    Called with the athlete's row locked, so no change slips in before the write."""
    session, current = _current_version(session_id)
    if version and version != current:
        if version.split(".")[0] != current.split(".")[0]:
            raise SessionChanged(f"Your coach moved this session to {_day(session.date)}, so {what}.")
        raise SessionChanged(f"Your coach changed this session since this page was saved, so {what}. "
                             "Open the session again to see the change.")
    return session


# --- One key, one write -----------------------------------------------------------------------------


def check_key(key: str) -> str:
    if key and not (len(key) <= KEY_MAX and all("!" <= c <= "~" for c in key)):
        raise ClientKeyError("The phone sent a key that cannot be read: reload the page and try again.")
    return key


def fingerprint(kind: str, path: str, data: dict) -> str:
    body = repr(sorted((name, value) for name, value in data.items() if name not in ("csrfmiddlewaretoken", "client_key")))
    return hashlib.sha256(f"{kind} {path}\n{body}".encode()).hexdigest()


def _replay(row: ClientWrite, fingerprint_: str) -> Answer:
    if row.fingerprint != fingerprint_:
        return Answer(Outcome.REFUSED, "This was already sent with other answers: reload the page and try again.", True)
    return Answer(row.outcome, row.message, replayed=True)


def _once(*, user, key, kind, session, fingerprint_, write, keep=None, saved_message=None) -> Answer:
    """Run `write()` once for this key. A refusal rolls the write back; `keep(row, refusal)` may then
    keep what must not be lost, and returns the outcome, the message to show and the row.
    `saved_message(result)` words a saved write; it is kept on the key's row, so the same key sent
    again gets the same words (a finish that alerted the coach says so again)."""
    found = ClientWrite.objects.filter(user=user, key=key).first() if key else None
    if found is not None:
        return _replay(found, fingerprint_)
    with transaction.atomic():
        row = None
        if key:
            try:
                with transaction.atomic():  # waits here while another request holds the same key
                    row = ClientWrite.objects.create(user=user, key=key, kind=kind, session=session,
                                                     fingerprint=fingerprint_, outcome=Outcome.APPLIED)
            except IntegrityError:
                return _replay(ClientWrite.objects.get(user=user, key=key), fingerprint_)
        lock_athletes(session.athlete_id)
        try:
            with transaction.atomic():
                result = write()
        except programme_services.SessionLogError as refusal:
            outcome, message = Outcome.REFUSED, str(refusal)
            if keep is not None:
                outcome, message, row = keep(row, refusal)
            if row is not None:
                row.outcome, row.message = outcome, message[:400]
                row.save(update_fields=["outcome", "message", "worst_pain", "sharp_pain", "feeling", "morning_pain"])
            return Answer(outcome, message)
        message = saved_message(result) if saved_message else ""
        if row is not None and message:
            row.message = message[:400]
            row.save(update_fields=["message"])
        return Answer(Outcome.APPLIED, message, result=result)


def _tell_coaches(session: ScheduledSession, row: ClientWrite) -> None:
    """A pain alert to every coach of the athlete: a pain answer arrived that the session could not take."""
    athlete = session.athlete
    reminder_services.schedule_now(ReminderKind.PAIN_ALERT, list(athlete.team.coaches.all()),
                                   f"session:{session.pk}:kept:{row.pk}", athlete, session=session)


def _row_for_keeping(row, *, user, kind, session, fingerprint_) -> ClientWrite:
    """The row that keeps a pain answer; one sent without a key gets a key of the server's own."""
    if row is not None:
        return row
    return ClientWrite.objects.create(user=user, key=f"server-{uuid.uuid4().hex}", kind=kind, session=session,
                                      fingerprint=fingerprint_, outcome=Outcome.KEPT)


# --- The three writes ---------------------------------------------------------------------------------


def set_log_once(*, user, key: str, prescribed: PrescribedExercise, set_number: int, version: str,
                 changes: dict, fingerprint_: str) -> Answer:
    """One set, once per key, on the session the phone showed."""
    def write():
        session = _check_version(prescribed.session_id, version, what="this set was not saved")
        if session.completed_at:
            raise programme_services.SessionLogError(
                "This session was already finished (on another device or by your coach), so this set was not saved.")
        return programme_services.set_log(prescribed=prescribed, set_number=set_number, **changes)

    if not key and not version:  # a page without the phone's script: as before, one tap, one write
        try:
            return Answer(Outcome.APPLIED, result=programme_services.set_log(prescribed=prescribed, set_number=set_number, **changes))
        except programme_services.SessionLogError as refusal:
            return Answer(Outcome.REFUSED, str(refusal))
    return _once(user=user, key=key, kind=ClientWrite.Kind.SET, session=prescribed.session,
                 fingerprint_=fingerprint_, write=write)


FINISHED = "Session saved. Well done."
FINISHED_COACH_TOLD = "Session saved. Your coach has been told about the pain and will adjust your programme."


def _finished_message(decisions) -> str:
    return FINISHED_COACH_TOLD if any(decision.alert_coach for decision in decisions) else FINISHED


def _pain_words(pain: int, sharp: bool | None = None) -> str:
    return f"pain {pain} of 10{', sharp' if sharp else ''}"


def session_finish_once(*, user, key: str, session: ScheduledSession, worst_pain: int, sharp_pain: bool,
                        version: str, fingerprint_: str) -> Answer:
    """Finish a session once per key; a finish the session can no longer take keeps its pain answer
    and tells the coach."""
    def write():
        _check_version(session.pk, version, what="it was not finished")
        return programme_services.session_complete(session=session, worst_pain=worst_pain, sharp_pain=sharp_pain)

    def keep(row, refusal):
        current = ScheduledSession.objects.select_related("athlete__team").get(pk=session.pk)
        yours = _pain_words(worst_pain, sharp_pain)
        if current.completed_at and (current.worst_pain, bool(current.sharp_pain)) == (worst_pain, sharp_pain):
            return Outcome.REFUSED, f"This session was already finished with the same answer ({yours}): nothing more to send.", row
        row = _row_for_keeping(row, user=user, kind=ClientWrite.Kind.FINISH, session=session, fingerprint_=fingerprint_)
        row.worst_pain, row.sharp_pain = worst_pain, sharp_pain
        _tell_coaches(current, row)
        if current.completed_at and not isinstance(refusal, SessionChanged):
            before = _pain_words(current.worst_pain, current.sharp_pain) if current.worst_pain is not None else "no pain answer"
            return Outcome.KEPT, (f"This session was already finished ({before}). Your answer ({yours}) was kept "
                                  "beside it and your coach has been told."), row
        return Outcome.KEPT, f"{refusal} Your pain answer ({yours}) was kept and your coach has been told.", row

    return _once(user=user, key=key, kind=ClientWrite.Kind.FINISH, session=session, fingerprint_=fingerprint_,
                 write=write, keep=keep, saved_message=_finished_message)


def session_morning_once(*, user, key: str, session: ScheduledSession, feeling: str, pain: int,
                         fingerprint_: str) -> Answer:
    """The next-morning check-in once per key; one the session can no longer take is kept and the
    coach told (a second, different check-in included)."""
    def write():
        return programme_services.session_morning_report(session=session, feeling=feeling, pain=pain)

    def keep(row, refusal):
        current = ScheduledSession.objects.select_related("athlete__team").get(pk=session.pk)
        if current.next_morning and (current.next_morning, current.next_morning_pain) == (feeling, pain):
            return Outcome.REFUSED, "This morning's check-in was already in with the same answer: nothing more to send.", row
        row = _row_for_keeping(row, user=user, kind=ClientWrite.Kind.MORNING, session=session, fingerprint_=fingerprint_)
        row.feeling, row.morning_pain = feeling, pain
        _tell_coaches(current, row)
        return Outcome.KEPT, f"{refusal} Your answer ({feeling}, {_pain_words(pain)}) was kept and your coach has been told.", row

    return _once(user=user, key=key, kind=ClientWrite.Kind.MORNING, session=session, fingerprint_=fingerprint_,
                 write=write, keep=keep)
