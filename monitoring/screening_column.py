"""The risk checklist as a column of testing's team screening page (testing/hooks.py), registered
in ``MonitoringConfig.ready()``: testing sits below monitoring and never imports it
(docs/architecture.md#layers; docs/load-and-risk.md#risk-profile)."""

from testing.hooks import ScreeningCell, ScreeningColumn

from . import measures as m
from . import selectors

HEADING = "Risk checklist"
NOTE = ("Risk checklist: the items flagged on each athlete's checklist (previous injury, age, eccentric strength, "
        "asymmetry, Nordic dose, sprint exposure), each with its source on the athlete's load page. "
        "A checklist, not a score and not a probability.")


def risk_cell(items) -> ScreeningCell:
    flagged = [item.label for item in items if item.status == m.Status.FLAG]
    unknown = sum(item.status == m.Status.UNKNOWN for item in items)
    note = f"{unknown} not recorded" if unknown else ""
    if flagged:
        return ScreeningCell("⚠ " + ", ".join(flagged), True, note)
    return ScreeningCell("Nothing flagged", False, note)


def annotate(athletes, *, today):
    """What the checklist reads of each athlete, as columns of the screening table's own query."""
    return selectors.with_risk_columns(athletes, today=today)


def risk_column(*, user, team, athletes, today) -> ScreeningColumn:
    """Each athlete's flagged checklist items, in a fixed number of queries: from the athletes as
    the table read them with ``annotate``'s columns, else from one read of the whole team."""
    if not athletes:
        return ScreeningColumn(HEADING, {}, NOTE)
    if all(hasattr(athlete, "monitoring_prior") for athlete in athletes):
        rows = selectors.risk_profiles_of(athletes, today=today)
    else:
        rows = selectors.team_risk_profiles(user=user, team=team, today=today)
    shown = {athlete.pk for athlete in athletes}
    cells = {row["athlete"].pk: risk_cell(row["items"]) for row in rows if row["athlete"].pk in shown}
    return ScreeningColumn(HEADING, cells, NOTE)

