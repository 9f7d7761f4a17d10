"""What the foundation's pages read: the roster, the coach's teams, an athlete's open invitation.

Each takes the user (or an athlete already fetched through athletes/access.py) and returns rows
ready to render (docs/architecture.md#services-selectors-and-views).
"""

from html import escape  # what Django's escape() does, without its check for lazy strings per call

from django.core.paginator import Page
from django.db.models import Count, F, Q
from django.utils.safestring import mark_safe

from . import links, status
from .paging import CountedPaginator
from .models import Athlete, Invitation, Team

ROSTER_PAGE_SIZE = 50
# What the roster shows: loading whole rows (notes, the user's row) costs more than the page; the
# team's name is annotated (no Team built per row).
ROSTER_COLUMNS = ["first_name", "last_name", "sport", "position", "archived_at", "user_id", "team_id"]
ARCHIVED_BADGE = ' <span class="badge">archived</span>'


def roster_page(*, user, filters, page: str | None) -> Page:
    """One page of the athletes the user may see, as the roster's filter form narrows them, each
    with their status in words (``athlete.roster_status``: athletes/status.py; None when no app says),
    and ``page.rows``: the same athletes as the page prints them."""
    athletes = filters.filter(Athlete.objects.for_user(user)).only(*ROSTER_COLUMNS).annotate(team_name=F("team__name"))
    page = CountedPaginator(status.annotate(athletes), ROSTER_PAGE_SIZE).get_page(page)
    page.object_list = list(page.object_list)
    # Each row as the roster prints it (``page.rows``), link and words computed once here, its
    # cells too (``row["cells_html"]``, every value escaped): the template only prints them, no
    # {% url %}, lookup or {% if %} per cell.
    athlete_url = links.by_pk("athlete_detail")
    page.rows = []
    for athlete in page.object_list:
        athlete.roster_status = roster_status = status.describe(athlete)
        url, name = athlete_url(athlete.pk), f"{athlete.last_name}, {athlete.first_name}"
        archived = athlete.archived_at is not None
        words, kind = (roster_status.words, roster_status.kind) if roster_status else ("", "")
        app = "signed up" if athlete.user_id else "—"
        status_span = f'<span class="status status-{escape(kind)}">{escape(words)}</span>' if words else ""
        cells = (
            f'<td><a href="{escape(url)}">{escape(name)}</a>{ARCHIVED_BADGE if archived else ""}</td>\n'
            f'        <td class="roster-status">{status_span}</td>\n'
            f"        <td>{escape(athlete.team_name)}</td>\n"
            f"        <td>{escape(athlete.sport)}</td>\n"
            f"        <td>{escape(athlete.position)}</td>\n"
            f"        <td>{app}</td>"
        )
        page.rows.append({
            "url": url,
            "name": name,
            "archived": archived,
            "status_words": words,
            "status_kind": kind,
            "team_name": athlete.team_name,
            "sport": athlete.sport,
            "position": athlete.position,
            "app": app,
            "cells_html": mark_safe(cells),
        })
    return page


def team_list(*, user):
    """The user's teams, each with its number of athletes on the roster (not archived)."""
    return Team.objects.for_user(user).annotate(
        active_athletes=Count("athletes", filter=Q(athletes__archived_at__isnull=True))
    )


def invitation_pending(*, athlete: Athlete) -> Invitation | None:
    """The athlete's invitation that has not been accepted yet, if any."""
    return athlete.invitations.filter(accepted_at__isnull=True).first()
