"""Hostile input at every URL: never a 500, never an echoed script, nothing half-saved.

The product's promise: "Bad input never gives a 500 or a traceback: a clear message naming the
problem, and nothing half-saved." Every URL name of the access MATRIX has a TARGET here (a new
URL fails `test_every_url_is_fuzzed`). A target starts from a payload its view accepts, on a URL
built by the MATRIX, and hypothesis spoils a few of its fields at a time (wrong types, unknown
choices, huge, negative and out-of-range numbers and dates, NUL bytes, unicode, a script tag,
lists for scalars, missing fields, unknown fields) or makes one up, sent as a persona that
reaches the view or any other, with or without htmx's header, as multipart, urlencoded or JSON,
and now and then as a body Django cannot read. After every request:

* the status is below 500 (the test client re-raises a view's exception: a failure shows it);
* an HTML page never holds SCRIPT literally, and a redirect to this site is followed and
  checked the same way (the page that shows what was just saved must escape it too);
* a refused POST (a 4xx, a form shown again with its errors, a problem told on the page or in
  an error message) changed no row of the project's tables: each table is hashed before and after;
* a full page showing a form with errors shows at least one of them, hidden fields' included.

Each example runs in a savepoint that is rolled back, so examples never see each other's writes.
The ids and tokens in the URLs get their own test, and so does CSRF. Deterministic on CI
(derandomized); FUZZ_EXAMPLES=200 searches deeper on your own machine (about four minutes).
"""
import csv
import io
import json
import os
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.oath import TOTP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import services as account_services
from accounts.forms import SecondFactorForm
from athletes.forms import AcceptInvitationForm, AthleteForm, CoachInvitationForm, InvitationJoinForm, RosterFilterForm
from athletes.models import AccessLog
from injuries.forms import (
    ComplaintConfirmForm,
    ComplaintForm,
    DoctorReviewForm,
    ExportForm,
    InjuryDetailsForm,
    OverrideForm,
    PhaseForm,
)
from injuries.models import ChecklistItem
from monitoring.athlete_forms import MaxVelocityForm, PriorInjuryForm
from monitoring.forms import TeamSessionForm
from monitoring.gps_forms import GpsUploadForm
from phone.forms import EffortForm, FinishForm, MorningForm, SetEditForm, WellnessForm
from programmes.forms import AssignForm, MoveSessionForm, TemplateEntryForm, TemplateForm, TemplateSessionForm
from programmes.progression import Family
from reminders.models import Kind
from reminders.views import PreferencesForm, PushSubscriptionForm
from testing.forms import TestImportForm, TestResultForm
from webhooks.forms import EndpointForm
from tests.conftest import IN_CI, PERSONAS
from tests.factories import (
    PASSWORD,
    InjuryFactory,
    InvitationFactory,
    TestResultFactory,
    complaint_answers,
)
from tests.test_access_matrix import MATRIX

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 25))
GENERIC_EXAMPLES = max(EXAMPLES // 4, 4)  # pages that read no input: a few random payloads each

SCRIPT = "<script>alert(1)</script>"
NEW_PASSWORD = "a-much-longer-secret-42"


class Big(str):
    """A huge value that prints short in hypothesis's falsifying examples."""

    def __repr__(self):
        return f"Big({str.__repr__(self[:12])} * {len(self)})"


HUGE = Big("x" * 100_000)

# The values most likely to break something, drawn far more often than the rest.
SHARP = ["\x00", "a\x00b", SCRIPT, HUGE, "", "-1", "99999999999999999999", "9999-12-31", "0001-01-01", "1e400", "NaN"]
NASTY = [
    " ", "\x00" * 3, f'"><img src=x onerror=alert(1)>{SCRIPT}', Big("9" * 5000), Big("é" * 3000), "0", "1", "-0",
    "2.5", "-1e400", "Infinity", "32767", "32768", "2147483647", "2147483648", "-9223372036854775809", "0x1F", "١٢",
    "½", "1,5", " 7 ", "2024-02-30", "99999-01-01", "31/12/2024", "9999-12", "0001-01", "0-0", "2024-13", "true",
    "false", "on", "None", "null", "[]", "{}", "' OR 1=1 --", "%00", "../../etc/passwd", "\r\nX-Injected: 1",
    "/\r\n/evil", "//evil.example/", "javascript:alert(1)", "🦵💥", "\u202egnp.exe", "Zalgơ̷̢̛", "\ufeffbom", "a" * 61,
    "x" * 2001,
]


def nasty_value():
    return st.one_of(st.sampled_from(SHARP), st.sampled_from(NASTY), st.text(max_size=20))


# --- What each kind of field gets: its own edges, its own random values, and the nasty ones --------


def _days(*offsets):
    return [(timezone.localdate() + timedelta(days=n)).isoformat() for n in offsets]


EDGES = {
    "number": ["-1", "0", "32767", "32768", "2147483648", "99999999999999999999", "1e400", "NaN", "Infinity", "1.5",
               "99999.95", "999999.995", "1E-400"],
    "date": ["9999-12-31", "9999-12-26", "0001-01-01", "0001-01-07", "2024-02-30", *_days(-8, 0, 1)],
    "month": ["9999-12", "0001-01", "10000-01", "9999-13", "0-1", "2024-13", "2024-05-01"],
    "text": ["a\x00b", SCRIPT, HUGE, " ", "é" * 2001],
    "next": ["/", "//evil.example/", "https://evil.example/", "/\r\n/evil", "/\x00", f"/{SCRIPT}", "javascript:alert(1)",
             "\\\\evil.example"],
    "bool": ["True", "False", "true", "false", "on", "off", "1", "0", "yes", ""],
}


def _numbers():
    return st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.integers(min_value=-3, max_value=40).map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
        st.floats().map(str),
    )


def _dates():
    return st.one_of(
        st.dates().map(lambda day: day.isoformat()),
        st.integers(min_value=-400, max_value=400).map(lambda n: _days(n)[0]),
        st.sampled_from(["2024-02-29", "2023-02-29", "12/31/2024", "2024-1-1", "2024-01-01T10:00"]),
    )


def _months():
    return st.one_of(
        st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(min_value=-5, max_value=10_001), st.integers(-1, 13)),
        _dates(),
    )


def _emails(world):
    known = [world.coach.email, world.other_coach.email.upper(), world.athlete_user.email, world.admin.email]
    return st.one_of(
        st.emails().filter(lambda e: len(e) < 250),
        st.sampled_from(known),
        st.sampled_from(["a@b", "a@b..c", "ü@ü.de", f"{SCRIPT}@example.com", "x@" + "a" * 300 + ".com", "@", "a@[127.0.0.1]"]),
    )


def _pks(world):
    pks = [world.team.pk, world.other_team.pk, world.athlete.pk, world.other_athlete.pk, world.coach.pk, world.admin.pk]
    return st.one_of(st.sampled_from(pks).map(str), st.sampled_from(["0", "-1", "all", "1.0", " 1", "99999999999999999999"]))


def _csv_files(world):
    """An import file: the real header and rows made of plausible and hostile cells, in various encodings."""
    today = timezone.localdate()
    cell = st.one_of(
        st.sampled_from([
            world.athlete.email, world.athlete.full_name, str(world.athlete.pk), world.other_athlete.email,
            "nordic", "sprint10", "aslr", today.isoformat(), (today - timedelta(days=3)).isoformat(),
            "9999-12-31", "300", "290.5", "1e400", "NaN", "-5", "999999.995", "=cmd|' /C calc'!A0", "",
        ]),
        nasty_value(),
    )
    header = st.one_of(
        st.just(["athlete", "test", "date", "left", "right", "value", "notes"]),
        st.lists(st.sampled_from(["athlete", "test", "date", "left", "right", "value", "notes", "Athlete ", "?"]), max_size=8),
    )

    def build(header, rows, delimiter, encoding):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode(encoding, errors="replace")

    content = st.one_of(
        st.builds(
            build, header, st.lists(st.lists(cell, max_size=9), max_size=6),
            st.sampled_from([",", ";", "\t", "|"]), st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
        ),
        st.binary(max_size=300),
        st.sampled_from([b"", b"\x00\x01PK\x03\x04", "athlete,test,date\n\"unclosed".encode(), HUGE.encode()]),
    )
    name = st.sampled_from(["results.csv", f"{SCRIPT}.csv", "../../x.csv", "résultats.csv", "x" * 300])
    return st.builds(lambda n, c: SimpleUploadedFile(n, c, content_type="text/csv"), name, content)


def kind_of(form_field):
    """How to spoil a form field, from its class (and its choices)."""
    if isinstance(form_field, forms.FileField):
        return "file"
    if isinstance(form_field, forms.ModelChoiceField):
        return "pk"
    if isinstance(form_field, forms.MultipleChoiceField):
        return ("choices", [str(value) for value, _ in form_field.choices])
    if isinstance(form_field, forms.ChoiceField):
        return ("choice", [str(value) for value, _ in form_field.choices if value != ""])
    if isinstance(form_field, forms.BooleanField):
        return "bool"
    if isinstance(form_field, (forms.DateField, forms.DateTimeField)):
        return "date"
    if isinstance(form_field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return "number"
    if isinstance(form_field, forms.EmailField):
        return "email"
    return "text"


def strategy_for(kind, world):
    name, choices = kind if isinstance(kind, tuple) else (kind, None)
    if name == "file":
        return _csv_files(world)
    own = {
        "pk": _pks(world),
        "date": _dates(),
        "month": _months(),
        "number": _numbers(),
        "email": _emails(world),
        "choice": st.sampled_from(choices or [""]),
        "choices": st.lists(st.sampled_from(choices or [""]), max_size=len(choices or [""]) + 1),
    }.get(name)
    edges = st.sampled_from(EDGES[name]) if name in EDGES else None
    return st.one_of(*[strategy for strategy in (edges, own) if strategy is not None], nasty_value())


def fields_of(form_class, prefix=""):
    return {f"{prefix}{name}": kind_of(form_field) for name, form_field in form_class.base_fields.items()}


# --- Targets: every URL, with a payload it accepts -----------------------------------------------


@dataclass
class Target:
    url_name: str
    fields: dict = field(default_factory=dict)  # field name -> kind
    valid: Callable = lambda world, kwargs: {}  # a payload the view accepts (to spoil)
    kwargs: Callable | None = None  # default: the MATRIX's
    methods: tuple = ("post", "post", "post", "get")
    examples: int = EXAMPLES
    prepare: Callable | None = None  # puts the client's session in the state the page expects


def _today(days=0):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _athlete_data(world, kwargs):
    return {
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada.fuzz@example.com", "team": str(world.team.pk),
        "sport": "Football", "position": "Winger", "dominant_leg": "right", "date_of_birth": "2001-02-03",
        "notes": "", "send_invitation": "on",
    }


def _complaint(world, kwargs):
    return complaint_answers()


def _coach_invitation(world):
    token = "fuzz-coach-token-0123456789"
    InvitationFactory(token=token, kind="coach", team=world.team, athlete=None, email="new.coach@example.com")
    return {"token": token}


def _existing_coach_invitation(world):
    """A coach invitation to an address that has a coach's account: its owner signs in and accepts."""
    token = "fuzz-existing-coach-token-0123456789"
    InvitationFactory(token=token, kind="coach", team=world.team, athlete=None, email=world.other_coach.email)
    return {"token": token}


def _session_edit_data(world, kwargs):
    """The session page's own form and formset, as the browser posts them."""
    from programmes.models import TemplateSession

    session = TemplateSession.objects.get(pk=kwargs["pk"])
    data = {"session-week": session.week, "session-order": session.order, "session-title": session.title}
    entries = list(session.entries.order_by("order", "pk"))
    data.update({
        "entries-TOTAL_FORMS": len(entries), "entries-INITIAL_FORMS": len(entries),
        "entries-MIN_NUM_FORMS": 0, "entries-MAX_NUM_FORMS": 12,
    })
    for n, entry in enumerate(entries):
        for name, value in model_to_dict(entry, fields=[*TemplateEntryForm.base_fields, "id"]).items():
            data[f"entries-{n}-{name}"] = "" if value is None else value
        data[f"entries-{n}-session"] = session.pk
    return {name: str(value) for name, value in data.items()}


def _session_edit_fields():
    entry = fields_of(TemplateEntryForm, "entries-0-")
    return {
        **fields_of(TemplateSessionForm, "session-"), **entry, "entries-0-id": "pk", "entries-0-DELETE": "bool",
        **{f"entries-1-{name[len('entries-0-'):]}": kind for name, kind in entry.items()},
        **{f"entries-{name}": "number" for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")},
    }


def _measured_injury(world):
    """A strength item the tests say is not met yet: ticking it needs a reason, which is kept."""
    injury = InjuryFactory(complaint__athlete=world.athlete, onset_date=timezone.localdate() - timedelta(days=20))
    TestResultFactory(athlete=world.athlete, tested_on=timezone.localdate() - timedelta(days=5), left=200, right=150)
    return {"pk": injury.pk, "item": ChecklistItem.STRENGTH.value}


def _red_flag_report(world):
    """An athlete's report with a red flag: removing it needs a reason, or nothing is saved."""
    from injuries.services import complaint_report
    from tests.factories import typed_answers

    report = complaint_report(athlete=world.athlete, reported_by=world.athlete_user, answers=typed_answers(numbness=True))
    return {"pk": report.pk}


def _csv_upload(world, kwargs):
    text = f"athlete,test,date,left,right,value,notes\n{world.athlete.email},nordic,{_today(-2)},300,290,,\n"
    return {"file": SimpleUploadedFile("results.csv", text.encode(), content_type="text/csv")}


def _gps_upload(world):
    day = (timezone.localdate() - timedelta(days=2)).strftime("%d/%m/%Y")
    text = ("Player Name,Date,Activity Name,Total Duration,Total Distance,High Speed Distance,Sprint Distance,Maximum Velocity\n"
            f"{world.athlete.full_name},{day},Training,01:10:00,5200,410,90,8.4\n")
    return SimpleUploadedFile("gps.csv", text.encode(), content_type="text/csv")


def _two_factor_coach(world, kwargs):
    """The coach turns two-factor sign-in on; a recovery code is a code the sign-in step accepts."""
    device = account_services.two_factor_begin(user=world.coach)
    return {"otp_token": account_services.two_factor_enable(user=world.coach, device=device)[0]}


def _two_factor_setup(world, kwargs):
    """The coach has begun setting up an app: the code it shows now confirms it (each example starts
    from this state; a run slower than the code's time window only makes the valid payload a refused one)."""
    device = account_services.two_factor_begin(user=world.coach)
    return {"otp_token": f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"}


def _password_accepted(client, world):
    """As after the coach's password: the sign-in step waits for their code."""
    session = client.session
    session[account_services.PENDING_KEY] = {
        "user": world.coach.pk, "backend": "reminders.backends.UnreadCountBackend", "next": "/",
        "since": time.time(),
    }
    session.save()


COMPLAINT = fields_of(ComplaintForm)
PREFERENCES = {**fields_of(PreferencesForm), **{f"{channel}_{kind}": "bool" for channel in ("email", "push") for kind in Kind.values}}
TEST_KEYS = ("choice", ["nordic", "sprint10", "aslr", "iso90"])

TARGETS: dict[str, Target] = {
    "login": Target("login", {"username": "email", "password": "text", "next": "next"},
                    lambda w, k: {"username": w.coach.email, "password": PASSWORD}),
    "logout": Target("logout", {"next": "next"}),
    "login_code": Target("login_code", {"otp_token": "text"}, _two_factor_coach, prepare=_password_accepted),
    "two_factor_enable": Target("two_factor_enable", fields_of(SecondFactorForm), _two_factor_setup),
    "recovery_codes_renew": Target("recovery_codes_renew", fields_of(SecondFactorForm), _two_factor_coach),
    "two_factor_disable": Target("two_factor_disable", fields_of(SecondFactorForm), _two_factor_coach),
    "password_change": Target(
        "password_change", {"old_password": "text", "new_password1": "text", "new_password2": "text"},
        lambda w, k: {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    "password_reset": Target("password_reset", {"email": "email"}, lambda w, k: {"email": w.coach.email}),
    "password_reset_confirm": Target(
        "password_reset_confirm", {"new_password1": "text", "new_password2": "text"},
        lambda w, k: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    "roster": Target(
        "roster", {**fields_of(RosterFilterForm), "page": "number"},
        lambda w, k: {"q": "a", "team": str(w.team.pk), "status": "active", "page": "1"}, methods=("get",),
    ),
    "athlete_create": Target("athlete_create", fields_of(AthleteForm), _athlete_data),
    "athlete_edit": Target("athlete_edit", fields_of(AthleteForm), _athlete_data),
    "athlete_archive": Target("athlete_archive", {"archive": "bool"}, lambda w, k: {"archive": "1"}),
    "athlete_erase": Target("athlete_erase", {"confirm": "text"}, lambda w, k: {"confirm": w.athlete.full_name}),
    "team_invite_coach": Target("team_invite_coach", fields_of(CoachInvitationForm), lambda w, k: {"email": "c@example.com"}),
    "invitation_accept": Target(
        "invitation_accept", fields_of(AcceptInvitationForm),
        lambda w, k: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
    "invitation_accept:coach": Target(
        "invitation_accept", fields_of(AcceptInvitationForm),
        lambda w, k: {"first_name": "Cee", "last_name": "Oach", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        kwargs=_coach_invitation,
    ),
    "invitation_accept:existing": Target(
        "invitation_accept", fields_of(InvitationJoinForm), lambda w, k: {"action": "accept"},
        kwargs=_existing_coach_invitation,
    ),
    "complaint_create": Target("complaint_create", COMPLAINT, _complaint),
    "complaint_preview": Target("complaint_preview", COMPLAINT, _complaint),
    "complaint_confirm": Target("complaint_confirm", fields_of(ComplaintConfirmForm), _complaint),
    "complaint_confirm:red_flag": Target(
        "complaint_confirm", fields_of(ComplaintConfirmForm),
        lambda w, k: {**complaint_answers(), "reason": "Walked normally in front of me."}, kwargs=_red_flag_report,
    ),
    "report_create": Target("report_create", COMPLAINT, _complaint),
    "injury_override": Target(
        "injury_override", fields_of(OverrideForm),
        lambda w, k: {"classification": "grade_3", "reason": "Scan showed a complete tear."},
    ),
    "injury_phase": Target(
        "injury_phase", fields_of(PhaseForm), lambda w, k: {"to_phase": "cleared", "override": "on", "reason": "Doctor says so."}
    ),
    "injury_check": Target("injury_check", {"done": "bool", "reason": "text"}, lambda w, k: {"done": "true"}),
    "injury_check:measured": Target(
        "injury_check", {"done": "bool", "reason": "text"}, lambda w, k: {"done": "true", "reason": "Device was faulty."},
        kwargs=_measured_injury,
    ),
    "injury_doctor_review": Target(
        "injury_doctor_review", fields_of(DoctorReviewForm),
        lambda w, k: {"reviewer": "Dr Okafor", "reviewed_on": _today(), "note": "No tear; rehab may start."},
    ),
    "injury_details": Target(
        "injury_details", fields_of(InjuryDetailsForm), lambda w, k: {"notes": "Scan on Monday."}
    ),
    "availability_board": Target(
        "availability_board", {"team": "pk", "page": "number"}, lambda w, k: {"team": str(w.team.pk), "page": "1"},
        methods=("get",),
    ),
    "team_export": Target(
        "team_export", fields_of(ExportForm), lambda w, k: {"start": "2020-01-01", "end": _today()}, methods=("get",)
    ),
    "exercise_library": Target(
        "exercise_library", {"family": ("choice", [f.value for f in Family])}, lambda w, k: {"family": "nordic"},
        methods=("get",),
    ),
    "template_create": Target(
        "template_create", fields_of(TemplateForm), lambda w, k: {"name": "Mine", "description": "", "kind": "prevention"}
    ),
    "template_edit": Target(
        "template_edit", fields_of(TemplateForm), lambda w, k: {"name": "Mine", "description": "", "kind": "prevention"}
    ),
    "template_session_add": Target(
        "template_session_add", fields_of(TemplateSessionForm), lambda w, k: {"week": "2", "order": "1", "title": "More"}
    ),
    "template_session_edit": Target("template_session_edit", _session_edit_fields(), _session_edit_data),
    "template_assign": Target(
        "template_assign", fields_of(AssignForm),
        lambda w, k: {"athlete": str(w.athlete.pk), "team": "", "start_date": _today(), "weekdays": ["0", "2", "4"]},
    ),
    "athlete_programme": Target(
        "athlete_programme", {"month": "month"}, lambda w, k: {"month": timezone.localdate().strftime("%Y-%m")},
        methods=("get",),
    ),
    "alert_resolve": Target("alert_resolve", {"next": "next"}, lambda w, k: {"next": "/"}),
    "set_log": Target("set_log", fields_of(SetEditForm), lambda w, k: {"reps": "8", "load": "10"}),
    "session_finish": Target("session_finish", fields_of(FinishForm), lambda w, k: {"worst_pain": "2", "sharp_pain": "False"}),
    "session_morning": Target("session_morning", fields_of(MorningForm), lambda w, k: {"feeling": "same", "pain": "1"}),
    "session_move": Target("session_move", fields_of(MoveSessionForm), lambda w, k: {"date": _today(3)}),
    "calendar_settings": Target(
        "calendar_settings", {"action": ("choice", ["revoke", "regenerate"])}, lambda w, k: {"action": "regenerate"}
    ),
    "notification_preferences": Target(
        "notification_preferences", PREFERENCES, lambda w, k: {"time_zone": "Europe/London", "email_pain_alert": "on"}
    ),
    "push_subscribe": Target(
        "push_subscribe", fields_of(PushSubscriptionForm),
        lambda w, k: {"endpoint": "https://fcm.googleapis.com/fcm/send/fuzz", "p256dh": "BFuzzKey", "auth": "fuzzAuth"},
    ),
    "push_unsubscribe": Target(
        "push_unsubscribe", {"endpoint": "text"}, lambda w, k: {"endpoint": "https://fcm.googleapis.com/fcm/send/fuzz"}
    ),
    "test_result_create": Target(
        "test_result_create", {"test": TEST_KEYS, **fields_of(TestResultForm)},
        lambda w, k: {"test": "nordic", "tested_on": _today(-1), "left": "300", "right": "290.5", "notes": "Best of 3"},
    ),
    "test_result_create:single": Target(
        "test_result_create", {"test": TEST_KEYS, **fields_of(TestResultForm)},
        lambda w, k: {"test": "sprint10", "tested_on": _today(-1), "value": "1.92"},
    ),
    "team_tests_import": Target("team_tests_import", fields_of(TestImportForm), _csv_upload, methods=("post",)),
    "team_screening": Target("team_screening", {"show": ("choice", ["flagged", "all"])}, lambda w, k: {"show": "flagged"},
                             methods=("get",)),
    "max_velocity_set": Target("max_velocity_set", fields_of(MaxVelocityForm),
                               lambda w, k: {"velocity": "9.2", "measured_on": _today(-1)}, methods=("post",)),
    "prior_injury_create": Target("prior_injury_create", fields_of(PriorInjuryForm),
                                  lambda w, k: {"approx_date": "2024-03-01", "side": "left", "grade": "2", "notes": "Club"},
                                  methods=("post",)),
    "team_webhooks": Target("team_webhooks", fields_of(EndpointForm),
                            lambda w, k: {"url": "https://hooks.example.com/in", "events": ["injury.opened"]}),
    # A team's session for everyone at once: the day and kind, then each athlete's cells.
    "team_session_log": Target(
        "team_session_log",
        {**fields_of(TeamSessionForm), "rpe_1": "number", "minutes_1": "number", "pain_1": "number"},
        lambda w, k: {"day": _today(-1), "kind": "training", "label": "", "same_minutes": "70",
                      f"rpe_{w.athlete.pk}": "6", f"minutes_{w.athlete.pk}": "", f"pain_{w.athlete.pk}": "0"},
    ),
    # The GPS import: a file and how to read it, then (a signed token) the column mapping.
    "team_gps_import": Target(
        "team_gps_import", {**fields_of(GpsUploadForm), "step": ("choice", ["map", "import"]), "upload": "text"},
        lambda w, k: {"file": _gps_upload(w), "mapping": "preset:catapult"}, methods=("post", "post", "get"),
    ),
    # The athlete's effort and wellness pages; "saved" is the confirmation's query string.
    "session_effort": Target(
        "session_effort", {**fields_of(EffortForm), "saved": "number", "updated": "text"},
        lambda w, k: {"day": _today(), "kind": "training", "label": "PM", "rpe": "6", "minutes_pick": "75", "hamstring_pain": "0"},
    ),
    "wellness_check": Target(
        "wellness_check", {**fields_of(WellnessForm), "saved": "text"},
        lambda w, k: {"sleep": "4", "soreness": "2", "tightness_left": "1", "tightness_right": "0", "mood": "4"},
    ),
}

# Pages that read no input of their own: random query strings and bodies, fewer examples.
NO_INPUT = [
    "health", "password_change_done", "password_reset_done", "password_reset_complete", "home", "athlete_home",
    "athlete_detail", "athlete_invite", "athlete_data_export", "complaint_inbox", "injury_detail", "injury_history",
    "template_list", "template_detail", "template_copy", "team_programme", "webmanifest", "service_worker",
    "session_detail", "athlete_history", "calendar_feed", "notification_list", "notification_open",
    "notification_read_all", "report_sent", "athlete_tests", "test_result_delete", "tests_import_example", "admin:index",
    "admin_login", "episode_detail", "episode_end",
    "two_factor", "two_factor_begin", "two_factor_cancel", "sessions_end_others",
    "webhook_switch", "webhook_delete", "webhook_delivery_replay",
    "athlete_load", "team_load", "team_recurrence_watch", "gps_import_example",
]
TARGETS.update({name: Target(name, methods=("get", "post"), examples=GENERIC_EXAMPLES) for name in NO_INPUT})


def test_every_url_is_fuzzed():
    """A new URL fails here until it has a target with the fields it reads, or is listed in NO_INPUT."""
    assert {target.url_name for target in TARGETS.values()} == set(MATRIX)


# --- Checks ----------------------------------------------------------------------------------------

# The access log records who was shown what, refused form or not: a read, not a half-save.
NOT_SAVES = {AccessLog}
PROJECT_TABLES = sorted({
    model._meta.db_table
    for label in ("athletes", "injuries", "programmes", "reminders", "monitoring")
    for model in apps.get_app_config(label).get_models(include_auto_created=True)
    if model._meta.managed and not model._meta.proxy and model not in NOT_SAVES
})
SNAPSHOT_SQL = "SELECT " + ", ".join(
    f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t)"
    for table in PROJECT_TABLES
)


def snapshot() -> dict[str, str]:
    """A hash of every row of every project table, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(SNAPSHOT_SQL)
        return dict(zip(PROJECT_TABLES, cursor.fetchone()))


def _contexts(response):
    if response.context is None:
        return []
    contexts = response.context if isinstance(response.context, list) else [response.context]
    return [context.flatten() for context in contexts]


def _forms_with_errors(response):
    found = []
    for context in _contexts(response):
        for value in context.values():
            if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
                found.append(value)
            elif isinstance(value, forms.BaseFormSet) and value.is_bound and value.total_error_count():
                found.append(value)
    return found


def _error_messages(response):
    storage = getattr(response.wsgi_request, "_messages", None)
    return [m for m in getattr(storage, "_queued_messages", []) if m.level >= message_levels.ERROR]


PROBLEM_KEYS = ("error", "phase_error", "problem", "problems", "unknown_test", "check_prompt")


def refused(response) -> bool:
    """A 4xx, a form shown again with its errors, or a problem told on the page or in a message."""
    if 400 <= response.status_code < 500:
        return True
    if _forms_with_errors(response) or _error_messages(response):
        return True
    return any(context.get(key) for context in _contexts(response) for key in PROBLEM_KEYS)


def check_page(response, what):
    assert response.status_code < 500, what
    if response.get("Content-Type", "").startswith("text/html"):
        assert SCRIPT.encode() not in response.content, f"unescaped script in {what}"


def check_errors_shown(response, what):
    """A full page with a form with errors must show at least one of them."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content.decode()
    for form in _forms_with_errors(response):
        errors = (
            [e for errors in form.errors.values() for e in errors]
            if isinstance(form, forms.BaseForm)
            else [*form.non_form_errors(), *(e for f in form.errors for errors in f.values() for e in errors)]
        )
        assert any(escape(error) in body for error in errors), (what, errors)


# --- The fuzz test -----------------------------------------------------------------------------------


def _payload(data, target, valid, world):
    """The valid payload with one to three fields spoiled (and maybe unknown ones added), or a made-up one."""
    value = nasty_value()
    if not target.fields or data.draw(st.integers(0, 5), label="made up") == 0:
        names = st.one_of(st.sampled_from(sorted(target.fields) or ["q", "page"]), st.text(max_size=12))
        return data.draw(st.dictionaries(names, st.one_of(value, st.lists(value, min_size=2, max_size=3)), max_size=6),
                         label="payload")
    payload = dict(valid)
    spoiled = data.draw(st.sets(st.sampled_from(sorted(target.fields)), min_size=1, max_size=3), label="spoiled")
    for name in sorted(spoiled):
        how = data.draw(st.sampled_from(["value", "value", "value", "missing", "list"]), label=f"{name}: how")
        if how == "missing":
            payload.pop(name, None)
            continue
        one = strategy_for(target.fields[name], world)
        payload[name] = data.draw(one if how == "value" else st.lists(one, min_size=2, max_size=3), label=name)
    unknown = st.one_of(st.text(max_size=12), st.sampled_from(["csrfmiddlewaretoken", "id", "pk", "user", "owner"]))
    payload.update(data.draw(st.dictionaries(unknown, value, max_size=2), label="unknown fields"))
    return payload


def _send(client, method, url, payload, headers, encoding):
    if method == "get":
        return client.get(url, payload, headers=headers)
    files = [v for value in payload.values() for v in (value if isinstance(value, list) else [value]) if hasattr(v, "seek")]
    for file in files:
        file.seek(0)  # the valid payload's file is sent by every example
    if encoding == "multipart" or files:
        return client.post(url, payload, headers=headers)
    if encoding == "urlencoded":
        body = urlencode(payload, doseq=True)
        return client.post(url, body, content_type="application/x-www-form-urlencoded", headers=headers)
    if encoding == "json":
        return client.post(url, json.dumps(payload), content_type="application/json", headers=headers)
    if encoding == "too many fields":
        body = urlencode({f"f{n}": "1" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
        return client.post(url, body, content_type="application/x-www-form-urlencoded", headers=headers)
    # A broken multipart body: no boundary in it at all.
    return client.post(url, b"--nope\r\n\x00garbage", content_type="multipart/form-data; boundary=zzz", headers=headers)


def _reaching(name):
    """The personas whose request reaches the view (the others are turned away first)."""
    expected = MATRIX[name].expected
    reach = [p for p in PERSONAS if expected[p] == 200 or (expected[p] == 302 and p != "anonymous")]
    return reach or PERSONAS


@pytest.mark.parametrize("target_id", sorted(TARGETS))
def test_hostile_input_never_breaks_a_page(world, target_id):
    target = TARGETS[target_id]
    kwargs = (target.kwargs or MATRIX[target.url_name].kwargs)(world)
    url = reverse(target.url_name, kwargs=kwargs)
    valid = target.valid(world, kwargs)
    reach = _reaching(target.url_name)

    @settings(
        max_examples=target.examples, deadline=None, database=None, derandomize=IN_CI,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def hostile(data):
        persona = data.draw(st.sampled_from(reach * 3 + PERSONAS), label="persona")
        method = data.draw(st.sampled_from(target.methods), label="method")
        headers = {"HX-Request": "true"} if data.draw(st.booleans(), label="htmx") else {}
        encoding = data.draw(
            st.sampled_from(["multipart"] * 8 + ["urlencoded"] * 6 + ["json", "too many fields", "broken multipart"]),
            label="encoding",
        )
        payload = _payload(data, target, valid, world)
        with transaction.atomic():
            client = Client()
            user = world.persona(persona)
            if user is not None:
                client.force_login(user)
            if target.prepare:
                target.prepare(client, world)
            before = snapshot()
            response = _send(client, method, url, payload, headers, encoding)
            what = f"{method.upper()} {target.url_name} as {persona}: {response.status_code}"
            check_page(response, what)
            if method == "post" and refused(response):
                after = snapshot()
                changed = [table for table in PROJECT_TABLES if before[table] != after[table]]
                assert not changed, f"{what} refused the request but changed {changed}"
            if method == "post" and not headers:
                check_errors_shown(response, what)
            location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
            if location and not urlsplit(location).netloc and location.startswith("/"):
                check_page(client.get(location), f"{what}, then GET {location}")
            transaction.set_rollback(True)

    hostile()


# --- The URL's own parts ------------------------------------------------------------------------------

HOSTILE_URL_PARTS = ["0", "99999999999999999999", "\x00", "a\x00b", "x" * 3000, "é🦵", "..", " ", "%00"]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_hostile_url_parts_never_break_a_page(world, name):
    """Each id or token in the URL replaced by whatever its converter lets through: never a 500."""
    entry = MATRIX[name]
    kwargs = entry.kwargs(world)
    user = world.persona(_reaching(name)[0])
    for key, value in ((key, value) for key in kwargs for value in HOSTILE_URL_PARTS):
        try:
            url = reverse(name, kwargs={**kwargs, key: value})
        except NoReverseMatch:
            continue  # the converter refuses it: the URL cannot even be asked for
        for method in ("get", "post"):
            client = Client()
            if user is not None:
                client.force_login(user)
            check_page(getattr(client, method)(url, entry.data(world)), f"{method.upper()} {url}")


# --- CSRF ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_post_without_a_valid_csrf_token_is_refused_with_a_403(world, name):
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    for persona in PERSONAS:
        for token in (None, "x" * 64):
            client = Client(enforce_csrf_checks=True)
            user = world.persona(persona)
            if user is not None:
                client.force_login(user)
            data = {**entry.data(world), **({"csrfmiddlewaretoken": token} if token else {})}
            response = client.post(url, data, headers={"HX-Request": "true"} if token else {})
            assert response.status_code == 403, (name, persona, token, response.status_code)
