"""Programme templates: a coach's own copy of a library (or colleague's) template, and an edit of
one of its sessions, which the sessions already scheduled from it follow at once."""

from django.db import transaction

from athletes.locks import lock_athletes
from athletes.models import Athlete

from ..models import ProgrammeTemplate, TemplateEntry, TemplateSession
from .regating import loggable_sessions, programme_regate


@transaction.atomic
def template_copy(*, template: ProgrammeTemplate, owner) -> ProgrammeTemplate:
    """A coach's own editable copy of a template, sessions and entries included."""
    copy = ProgrammeTemplate.objects.create(
        name=f"{template.name} (copy)", description=template.description, kind=template.kind,
        owner=owner, copied_from=template,
    )
    for session in template.sessions.prefetch_related("entries"):
        entries = list(session.entries.all())
        session.pk = None
        session.template = copy
        session.save()
        for entry in entries:
            entry.pk = None
            entry.session = session
        TemplateEntry.objects.bulk_create(entries)
    return copy


@transaction.atomic
def template_session_save(*, form, entries) -> int:
    """Save a template session (its form and the formset of its exercises) and apply the edit
    to the sessions already scheduled from it that can still be logged: each of those athletes'
    programmes is gated again (``programme_regate``), so their exercises follow the template at
    once, never above what their injury allows, instead of on the next night's re-gating. The
    athletes are locked first, lowest id first (docs/architecture.md#locks). Returns how many
    athletes' sessions followed."""
    session = form.save()
    entries.save()
    athlete_ids = sorted(athletes_following(session))
    lock_athletes(*athlete_ids)
    for athlete in Athlete.objects.filter(pk__in=athlete_ids).order_by("pk"):
        programme_regate(athlete=athlete)
    return len(athlete_ids)


def athletes_following(session: TemplateSession):
    """The ids of the athletes with a session scheduled from ``session`` that they can still log:
    the ones an edit of it reaches."""
    return loggable_sessions().filter(template_session=session).order_by().values_list("athlete_id", flat=True).distinct()
