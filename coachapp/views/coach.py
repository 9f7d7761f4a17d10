"""The coach's home and athlete page: they show every app's data, so they live in the project
(docs/architecture.md#layers)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from athletes import audit
from athletes.access import coach_required, get_athlete_for_user

from .. import selectors


@login_required
def home(request):
    """Everyone lands here after signing in; each role has its own home."""
    user = request.user
    if user.is_athlete:
        return redirect("athlete_home")
    if user.is_admin and not user.is_coach:
        return redirect("admin:index")
    context = selectors.coach_home(user=user)
    if context["alerts"]:  # pain alerts name athletes and their pain: health data shown
        audit.record_shown(user, audit.Action.VIEW_ALERTS, record="home:alerts")
    return render(request, "athletes/coach_home.html", context)


@coach_required
def athlete_detail(request, pk):
    athlete = get_athlete_for_user(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_ATHLETE, athlete_id=athlete.pk, record=f"athlete:{athlete.pk}")
    context = selectors.athlete_page(user=request.user, athlete=athlete, today=timezone.localdate())
    return render(request, "athletes/athlete_detail.html", context)
