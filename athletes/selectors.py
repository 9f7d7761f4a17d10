"""What the foundation's pages read: the roster, the coach's teams, an athlete's open invitation.

Each takes the user (or an athlete already fetched through athletes/access.py) and returns rows
ready to render (docs/architecture.md#services-selectors-and-views).
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from . import links, status
from .models import Athlete, Invitation, Team

ROSTER_PAGE_SIZE = 50
# What the roster shows: loading whole rows (notes, the user's row) costs more than the page.
ROSTER_COLUMNS = ["first_name", "last_name", "sport", "position", "archived_at", "user_id", "team_id"]


def roster_page(*, user, filters, page: str | None) -> Page:
    """One page of the athletes the user may see, as the roster's filter form narrows them, each
    with their status in words (``athlete.roster_status``: athletes/status.py; None when no app says),
    and ``page.rows``: the same athletes as the page prints them."""
    athletes = filters.filter(Athlete.objects.for_user(user)).select_related("team").only(
        *ROSTER_COLUMNS, "team__name"
    )
    page = Paginator(status.annotate(athletes), ROSTER_PAGE_SIZE).get_page(page)
    page.object_list = list(page.object_list)
    # Each row as the roster prints it (``page.rows``), link and words computed once here: the
    # template only prints them, no {% url %} or nested lookup per cell.
    athlete_url = links.by_pk("athlete_detail")
    page.rows = []
    for athlete in page.object_list:
        athlete.roster_status = roster_status = status.describe(athlete)
        page.rows.append({
            "url": athlete_url(athlete.pk),
            "name": f"{athlete.last_name}, {athlete.first_name}",
            "archived": athlete.archived_at is not None,
            "status_words": roster_status.words if roster_status else "",
            "status_kind": roster_status.kind if roster_status else "",
            "team_name": athlete.team.name,
            "sport": athlete.sport,
            "position": athlete.position,
            "app": "signed up" if athlete.user_id else "—",
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
