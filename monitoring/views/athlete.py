"""One athlete's load, exposure and risk, for their coach (docs/load-and-risk.md): the recurrence
watch, high-speed running, near-maximal speed, the Nordic dose beside strength, the risk
checklist and earlier hamstring injuries; with the two forms that feed it (a maximal velocity,
an earlier injury)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from athletes import audit
from athletes.access import coach_required, get_athlete_for_user

from .. import measures as m
from .. import selectors, services
from ..athlete_forms import MaxVelocityForm, PriorInjuryForm
from ..models import PriorInjury

# Shown under each section: where its rule comes from (docs/load-and-risk.md#sources).
SOURCES = {"load": m.FOSTER_2001, "hsr": f"{m.DUHIG_2016}; {m.GABBETT_2016}", "speed": m.MALONE_2017, "dose": f"{m.PETERSEN_2011}; {m.OPAR_2015}"}


@coach_required
def athlete_load(request, athlete_pk):
    """Is this athlete strong enough, dosed enough, and exposed to enough (not too much) speed?"""
    athlete = get_athlete_for_user(request.user, athlete_pk)
    return _page(request, athlete)


def _page(request, athlete, *, velocity_form=None, injury_form=None):
    """The page, with a form that was refused shown again with its errors."""
    user, today = request.user, services.today_for(request.user)
    audit.record_shown(user, audit.Action.VIEW_ATHLETE_LOAD, athlete_id=athlete.pk, record=f"load:{athlete.pk}")
    context = {
        "today": today,
        "sources": SOURCES,
        # Exposure, the watch and the risk checklist from one load of the athlete's rows; all
        # None for an archived athlete, whom monitoring no longer follows.
        **(selectors.athlete_overview(user=user, athlete_id=athlete.pk, today=today) or {"exposure": None, "risk": None, "watch": None}),
        "athlete": athlete,
        **selectors.athlete_load_and_mornings(athlete, today),
        "prior_injuries": list(PriorInjury.objects.for_user(user).filter(athlete=athlete).select_related("entered_by")),
        "velocity_form": velocity_form or MaxVelocityForm(initial={"measured_on": today}),
        "injury_form": injury_form or PriorInjuryForm(initial={"approx_date": today.replace(day=1)}),
    }
    return render(request, "monitoring/athlete_load.html", context)


@require_POST
@coach_required
def max_velocity_set(request, athlete_pk):
    athlete = get_athlete_for_user(request.user, athlete_pk)
    form = MaxVelocityForm(request.POST)
    if not form.is_valid():
        return _page(request, athlete, velocity_form=form)
    try:
        row = services.max_velocity_enter(athlete=athlete, velocity=form.cleaned_data["velocity"],
                                          measured_on=form.cleaned_data["measured_on"], by=request.user)
    except services.MonitoringError as error:
        messages.error(request, f"Maximal velocity not saved: {error}")
    else:
        messages.success(request, f"Saved {athlete.full_name}'s maximal velocity: {row.velocity} m/s, "
                                  f"measured {date_format(row.measured_on)}.")
    return redirect("athlete_load", athlete_pk=athlete.pk)


@require_POST
@coach_required
def prior_injury_create(request, athlete_pk):
    athlete = get_athlete_for_user(request.user, athlete_pk)
    form = PriorInjuryForm(request.POST)
    if not form.is_valid():
        return _page(request, athlete, injury_form=form)
    try:
        injury = services.prior_injury_add(athlete=athlete, by=request.user, **form.cleaned_data)
    except services.MonitoringError as error:
        messages.error(request, f"Earlier injury not saved: {error}")
    else:
        messages.success(request, f"Added an earlier hamstring injury ({injury.get_side_display().lower()}, "
                                  f"{date_format(injury.approx_date, 'YEAR_MONTH_FORMAT')}).")
    return redirect("athlete_load", athlete_pk=athlete.pk)
