"""Columns that apps above testing add to the team's screening page (docs/architecture.md#layers).

testing owns the screening page, but some of what a coach screens a team for is judged above it:
monitoring's risk checklist, say. testing never imports those apps. Instead, an app registers a
column provider in its ``AppConfig.ready()``, and the screening page asks ``columns_for(...)``.

A provider is a function ``provider(*, user, team, athletes, today) -> ScreeningColumn``: a
heading and a cell per athlete id (an athlete without a cell shows a dash). It reads all the
athletes at once, in a fixed number of queries whatever the team's size: the page is pinned.
The columns are the web page's only; the API's screening is testing's own table.

A provider may also give ``annotate(athletes, *, today) -> athletes``: what it reads of each
athlete as columns of the table's own query of the team's athletes (a queryset of Athlete), so
that the athletes it is given carry them and it need not read the athletes again.
"""

from collections.abc import Mapping
from typing import NamedTuple


class ScreeningCell(NamedTuple):
    text: str  # plain words: what the cell says
    flagged: bool = False  # worth a look: shown as a flag
    note: str = ""  # a quieter second line


class ScreeningColumn(NamedTuple):
    heading: str
    cells: Mapping[int, ScreeningCell]
    note: str = ""  # said once under the table: what the column is and is not


screening_columns = []
athlete_annotations = []


def register(provider, *, annotate=None) -> None:
    """Add a column provider (and what it annotates onto the athletes' query); registering the
    same one twice (ready() run again) changes nothing."""
    if provider not in screening_columns:
        screening_columns.append(provider)
    if annotate is not None and annotate not in athlete_annotations:
        athlete_annotations.append(annotate)


def annotate(athletes, *, today):
    """The table's athletes' query with every provider's columns added."""
    for add_columns in athlete_annotations:
        athletes = add_columns(athletes, today=today)
    return athletes


def columns_for(*, user, team, athletes, today) -> list[ScreeningColumn]:
    """Every registered provider's column for these athletes (already scoped by the caller)."""
    return [provider(user=user, team=team, athletes=athletes, today=today) for provider in screening_columns]
