"""Programme templates: a coach's own copy of a library (or colleague's) template."""

from django.db import transaction

from ..models import ProgrammeTemplate, TemplateEntry


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
