"""An athlete's rights to their data: the download (the athlete or an admin) and the erasure
(an admin only), through coachapp/privacy.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from athletes import audit
from athletes.models import Athlete

from .. import privacy


def _admin_or_own_athlete(user, pk):
    """Admins may reach any athlete's data; an athlete only their own."""
    if user.is_admin:
        return get_object_or_404(Athlete, pk=pk)
    if user.is_athlete:
        return get_object_or_404(Athlete.objects.for_user(user), pk=pk)
    raise PermissionDenied("Only an admin or the athlete may download this.")


@login_required
def athlete_data_export(request, pk):
    """Everything held about one athlete, as a JSON download (the right of access)."""
    athlete = _admin_or_own_athlete(request.user, pk)
    audit.record_shown(request.user, audit.Action.EXPORT_ATHLETE, athlete_id=athlete.pk, record=f"athlete:{athlete.pk}")
    response = HttpResponse(privacy.athlete_data(athlete), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="coachapp-athlete-{athlete.pk}.json"'
    return response


@login_required
def athlete_erase(request, pk):
    """An admin erases an athlete completely; a confirmation page first."""
    if not request.user.is_admin:
        raise PermissionDenied("Only an admin may erase an athlete.")
    athlete = get_object_or_404(Athlete.objects.select_related("team"), pk=pk)
    if request.method == "POST":
        if request.POST.get("confirm") != athlete.full_name:
            messages.error(request, "Type the athlete's full name exactly to confirm.")
        else:
            erasure = privacy.athlete_erase(athlete=athlete, erased_by=request.user)
            messages.success(request, f"Erased athlete {erasure.athlete_id}: {sum(erasure.rows_deleted.values())} rows.")
            return redirect("admin:index")
    return render(request, "athletes/erase.html", {"athlete": athlete})
