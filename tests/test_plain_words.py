"""No page shows an internal code: every page of the access matrix, opened by its owner over data
with something of everything in it (tests/rich_demo.py), says things in words.

What counts as a code (collected from the code itself, so a new one is checked without a change here):
- a value of any model field's choices that is written like code (`grade_1`, `return_to_training`,
  `if_not_improving`), or a lower-case abbreviation whose label is its capitals (`doms` for DOMS);
- the same for the values of the pure cores' enums and constants (injuries.triage, injuries.pathway,
  injuries.events, programmes.progression, programmes.gating, testing.measures);
- a model field's name with an underscore in it (`expected_return_from`);
- the name of a spec file ("DOMAIN", anything ending ".md");
- the glue of a label and a code the issue found: "Both leg", "each week..".

What counts as visible: the text of the page (the <title> included; scripts and styles not), and
the attributes a person meets: title, aria-label, alt, placeholder, a submit input's value.
"""

import enum
import importlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from tests import rich_demo
from tests.conftest import calendar_moment
from tests.test_access_matrix import MATRIX

APPS = {"accounts", "athletes", "coachapp", "injuries", "phone", "programmes", "reminders", "testing"}
CORES = [
    "injuries.triage",
    "injuries.pathway",
    "injuries.events",
    "programmes.progression",
    "programmes.gating",
    "testing.measures",
]
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
# Not pages a person reads: JSON, iCalendar, JavaScript, CSV (the export has its own tests).
NOT_HTML = {"health", "webmanifest", "service_worker", "calendar_feed", "athlete_data_export", "tests_import_example",
            "gps_import_example"}


# --- What counts as a code -------------------------------------------------------------------------


def _choice_codes(choices) -> set[tuple[str, bool]]:
    """(code, case-sensitive) pairs from a list of (value, label) choices."""
    codes = set()
    for value, label in choices or ():
        if isinstance(label, (list, tuple)):  # grouped choices
            codes |= _choice_codes(label)
            continue
        value, label = str(value), str(label)
        if SNAKE.match(value):
            codes.add((value, False))
        elif value.isalpha() and value.islower() and re.search(rf"\b{value.upper()}\b", label):
            codes.add((value, True))  # doms: "DOMS" in words, "doms" in code
    return codes


def _core_codes() -> set[tuple[str, bool]]:
    codes = set()
    for name in CORES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == name:
                codes |= {(str(member.value), False) for member in value if SNAKE.match(str(member.value))}
            elif isinstance(value, str) and SNAKE.match(value):
                codes.add((value, False))
    return codes


def internal_codes() -> dict[str, re.Pattern]:
    codes = set(_core_codes())
    field_names = set()
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for model_field in model._meta.get_fields():
            codes |= _choice_codes(getattr(model_field, "choices", None))
            if getattr(model_field, "concrete", False) and "_" in model_field.name.strip("_"):
                field_names.add(model_field.name)
    codes |= {(name, False) for name in field_names}
    patterns = {
        code: re.compile(rf"(?<![\w]){re.escape(code)}(?![\w])", 0 if case else re.IGNORECASE)
        for code, case in sorted(codes)
    }
    patterns["DOMAIN"] = re.compile(r"DOMAIN")
    patterns[".md"] = re.compile(r"\w\.md\b")
    # Words glued from codes the issue found: "Both leg", "both hamstring", "each week.."
    patterns["both + singular"] = re.compile(r"\bboth (?:leg|hamstring)\b", re.IGNORECASE)
    patterns["doubled full stop"] = re.compile(r"\w\.\.(?!\.)")
    return patterns


CODES = internal_codes()


def test_the_codes_include_the_known_ones():
    """The collection works: the codes the issue found are among them."""
    for code in ["grade_1", "return_to_training", "if_not_improving", "expected_return_from", "doms", "no_pain_on_touch"]:
        assert code in CODES, code
    assert CODES["grade_1"].search("doms → Grade_1") and not CODES["grade_1"].search("grade 1")
    assert CODES["doms"].search("doms → x") and not CODES["doms"].search("DOMS, not a strain")
    assert CODES["both + singular"].search("17 Nov · Both leg") and not CODES["both + singular"].search("both legs")
    assert CODES["doubled full stop"].search("each week.. Allowed") and not CODES["doubled full stop"].search("and so on...")


# --- What counts as visible ------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The words a person can read or hear on a page."""

    HIDDEN = {"script", "style", "template"}
    SPOKEN = {"title", "aria-label", "alt", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        attrs = dict(attrs)
        self.parts += [attrs[name] for name in self.SPOKEN if attrs.get(name)]
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return "\n".join(parser.parts)


def codes_in(html: str) -> list[str]:
    """Each code shown on the page, with the line it is on."""
    found = []
    for line in VisibleText.of(html).splitlines():
        for code, pattern in CODES.items():
            if pattern.search(line):
                found.append(f"{code!r} in {line.strip()[:120]!r}")
    return found


def test_visible_text_is_what_a_person_meets():
    html = (
        '<html><head><title>grade_1 page</title><script>let grade_2 = 1;</script><style>.grade_3{}</style></head>'
        '<body><a href="/x?phase=return_to_training" class="doms" data-x="grade_2">Rehab</a>'
        '<span title="expected_return_from">x</span><img alt="DOMAIN"><p>if_not_improving</p></body></html>'
    )
    assert sorted(code.split()[0] for code in codes_in(html)) == ["'DOMAIN'", "'expected_return_from'", "'grade_1'", "'if_not_improving'"]


# --- The pages and their owners --------------------------------------------------------------------


@dataclass
class Visit:
    label: str
    persona: str  # who opens it: anonymous, coach, athlete (or another athlete of the demo), admin
    url: str
    method: str = "get"
    data: dict | None = None


def _owners(entry) -> list[str]:
    """Who the page is for: anyone when it is public; else the coach and the athlete when it is
    theirs; else the admin."""
    if entry.expected.get("anonymous") == 200:
        return ["anonymous"]
    owners = [p for p in ("coach", "athlete") if entry.expected.get(p) == 200]
    if not owners and entry.expected.get("admin") == 200:
        owners = ["admin"]
    return owners


def _every(name, demo, kwargs_list, persona):
    return [Visit(f"{name} {kwargs}", persona, reverse(name, kwargs=kwargs)) for kwargs in kwargs_list]


def visits(name: str, demo) -> list[Visit]:
    """Each way of opening page `name` worth a look in the demo: every injury, every athlete's
    phone, every kind of complaint in the preview, and so on; the access matrix's own objects
    otherwise."""
    from injuries.examples import FORM_ANSWERS

    entry = MATRIX[name]
    athletes = [{"pk": a.pk} for a in demo.squad]
    if name in {"athlete_detail", "athlete_programme"}:
        return _every(name, demo, athletes, "coach")
    if name in {"athlete_tests", "complaint_create"}:
        return _every(name, demo, [{"athlete_pk": a.pk} for a in demo.squad], "coach")
    if name == "test_result_create":
        from testing.models import TestType

        url = reverse(name, kwargs={"athlete_pk": demo.other_athlete.pk})
        return [Visit(f"{name} {t.key}", "coach", f"{url}?test={t.key}") for t in TestType.objects.all()]
    if name in {"injury_detail", "injury_history"}:
        return _every(name, demo, [{"pk": i.pk} for i in demo.injuries], "coach")
    if name == "episode_detail":
        return _every(name, demo, [{"pk": e.pk} for e in demo.episodes], "coach")
    if name == "complaint_confirm":
        return _every(name, demo, [{"pk": c.pk} for c in demo.pending_reports], "coach")
    if name == "template_detail":
        return _every(name, demo, [{"pk": t.pk} for t in [*demo.library_templates, demo.own_template]], "coach")
    if name in {"template_edit", "template_assign"}:
        return _every(name, demo, [{"pk": demo.own_template.pk}], "coach")
    if name == "template_session_edit":
        return _every(name, demo, [{"pk": demo.own_template.sessions.first().pk}], "coach")
    if name == "complaint_preview":
        url = reverse(name, kwargs={"athlete_pk": demo.athlete.pk})
        examples = {**FORM_ANSWERS, "urgent": {**FORM_ANSWERS["grade_1"], "numbness": "True"}}
        return [Visit(f"{name} {kind}", "coach", url, "post", answers) for kind, answers in examples.items()]
    if name == "session_detail":
        return _every(name, demo, [{"pk": s.pk} for s in demo.sessions], "athlete")
    if name == "report_sent":
        return [
            Visit(f"{name} {c.athlete.first_name}", f"phone:{c.athlete.first_name}", reverse(name, kwargs={"pk": c.pk}))
            for c in demo.pending_reports
            if c.athlete.user_id
        ]
    if name == "team_export":
        return [Visit(name, "coach", reverse(name, kwargs={"pk": demo.team.pk}))]  # the form; its CSV is not a page
    url, data, found = reverse(name, kwargs=entry.kwargs(demo)), entry.data(demo) or None, []
    for persona in _owners(entry):
        personas = [f"phone:{n}" for n in demo.phone_athletes] if persona == "athlete" else [persona]
        found += [Visit(f"{name} as {who}", who, url, entry.method, data) for who in personas]
    return found


PAGES = sorted(name for name, entry in MATRIX.items() if name not in NOT_HTML and (
    (entry.method == "get" and any(code == 200 for code in entry.expected.values())) or name == "complaint_preview"
))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One rich demo for the whole module, rolled back at its end; each test runs in a savepoint."""
    with django_db_blocker.unblock(), time_machine.travel(calendar_moment(), tick=True), transaction.atomic():
        yield rich_demo.build()
        transaction.set_rollback(True)


def _open(client, demo, visit: Visit):
    if visit.persona.startswith("phone:"):
        client.force_login(demo.phone_athletes[visit.persona.removeprefix("phone:")])
    elif visit.persona != "anonymous":
        client.force_login(demo.persona(visit.persona))
    response = getattr(client, visit.method)(visit.url, visit.data or {})
    client.logout()
    return response


@pytest.mark.parametrize("name", PAGES)
def test_no_page_shows_an_internal_code(name, demo, client, db):
    problems = []
    for visit in visits(name, demo):
        response = _open(client, demo, visit)
        if response.status_code != 200:
            problems.append(f"{visit.label}: answered {response.status_code}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        problems += [f"{visit.label}: {code}" for code in codes_in(response.content.decode())]
    assert not problems, "\n".join(problems)


def test_every_page_is_looked_at():
    """A page added to the access matrix is swept here too, unless it is not HTML."""
    assert {"injury_detail", "injury_history", "athlete_home", "template_detail", "exercise_library"} <= set(PAGES)
    assert not set(PAGES) & NOT_HTML
