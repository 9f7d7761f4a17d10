
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import audit, selectors, services
from .access import coach_required, get_athlete_for_user, get_team_for_user
from .forms import (
    AcceptInvitationForm,
    AthleteForm,
    CoachInvitationForm,
    InvitationJoinForm,
    RosterFilterForm,
)
from .models import Invitation


@coach_required
def roster(request):
    filters = RosterFilterForm(request.GET, user=request.user)
    page = selectors.roster_page(user=request.user, filters=filters, page=request.GET.get("page"))
    if any(athlete.roster_status for athlete in page.object_list):  # injury statuses: health data shown
        team = filters.cleaned_data.get("team")
        audit.record_shown(
            request.user, audit.Action.VIEW_ROSTER, team_id=team.pk if team else None, record=f"roster:{team.pk if team else 'all'}"
        )
    query = request.GET.copy()
    query.pop("page", None)
    template = "athletes/roster.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(
        request,
        template,
        {"filters": filters, "selects": filters.selects(), "page": page, "query": query.urlencode()},
    )


@coach_required
def athlete_create(request):
    form = AthleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "send_invitation"}
        try:
            athlete = services.athlete_create(
                created_by=request.user,
                send_invitation=form.cleaned_data["send_invitation"],
                **fields,
            )
        except services.ThrottleError as error:  # nothing is saved: untick the box, or wait
            form.add_error("send_invitation", str(error))
        else:
            note = " and invited them by email" if form.cleaned_data["send_invitation"] else ""
            messages.success(request, f"Added {athlete.full_name}{note}.")
            return redirect("athlete_detail", pk=athlete.pk)
    return render(request, "athletes/athlete_form.html", {"form": form})


@coach_required
def athlete_edit(request, pk):
    athlete = get_athlete_for_user(request.user, pk)
    form = AthleteForm(request.POST or None, instance=athlete, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {athlete.full_name}.")
        return redirect("athlete_detail", pk=athlete.pk)
    return render(request, "athletes/athlete_form.html", {"form": form, "athlete": athlete})


@require_POST
@coach_required
def athlete_archive(request, pk):
    athlete = get_athlete_for_user(request.user, pk)
    if request.POST.getlist("archive") not in (["0"], ["1"]):
        return HttpResponseBadRequest("Say whether to archive (archive=1) or restore (archive=0).")
    archive = request.POST["archive"] == "1"
    services.athlete_set_archived(athlete=athlete, archived=archive)
    verb = "Archived" if archive else "Restored"
    messages.success(request, f"{verb} {athlete.full_name}.")
    return redirect("athlete_detail", pk=athlete.pk)


@require_POST
@coach_required
def athlete_invite(request, pk):
    athlete = get_athlete_for_user(request.user, pk)
    if athlete.user_id:
        messages.info(request, f"{athlete.full_name} already has an account.")
    elif not athlete.email:
        messages.error(request, "Add an email address before sending an invitation.")
    else:
        try:
            services.invitation_create(
                invited_by=request.user,
                kind=Invitation.Kind.ATHLETE,
                email=athlete.email,
                team=athlete.team,
                athlete=athlete,
            )
        except services.ThrottleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Sent an invitation to {athlete.email}.")
    return redirect("athlete_detail", pk=athlete.pk)


@coach_required
def team_invite_coach(request, pk):
    """Always an invitation to accept; the page says the same whoever the address belongs to."""
    team = get_team_for_user(request.user, pk)
    form = CoachInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            invitation = services.team_coach_invite(team=team, invited_by=request.user, email=email)
        except services.ThrottleError as error:
            form.add_error("email", str(error))
        else:
            if invitation is None:
                messages.info(request, f"{email} already coaches {team.name}.")
            else:
                messages.success(request, f"Sent an invitation to {email} to coach {team.name}. They join once they accept it.")
            return redirect("home")
    return render(request, "athletes/team_invite.html", {"form": form, "team": team})


def _invitation_refused(request, problem, status=410):
    return render(request, "athletes/invitation_invalid.html", {"problem": problem}, status=status)


def invitation_accept(request, token):
    invitation = Invitation.objects.for_token(token).select_related("team", "athlete").first()
    problem = services.invitation_problem(invitation)
    if problem:
        return _invitation_refused(request, problem)
    if invitation.kind == Invitation.Kind.COACH and services.invitation_account(invitation) is not None:
        return _invitation_join(request, invitation)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data.get("first_name", ""),
                last_name=form.cleaned_data.get("last_name", ""),
            )
        except services.InvitationError as error:
            return render(request, "athletes/invitation_invalid.html", {"problem": str(error)}, status=410)
        login(request, user, backend="reminders.backends.UnreadCountBackend")  # one of settings.AUTHENTICATION_BACKENDS
        messages.success(request, f"Welcome to coachapp, {user.first_name or user.email}.")
        return redirect("home")
    return render(request, "athletes/invitation_accept.html", {"form": form, "invitation": invitation})


def _invitation_join(request, invitation):
    """A coach invitation to an address that has an account: its owner signs in and says yes."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "athletes/invitation_join.html", {"invitation": invitation})
    if user.email.lower() != invitation.email:
        return _invitation_refused(
            request, "This invitation was sent to another email address. Sign out, then sign in with that address.", 403
        )
    if not user.is_coach:
        return _invitation_refused(
            request, "Only a coach's account can coach a team. Ask whoever invited you to use another address.", 403
        )
    form = InvitationJoinForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return HttpResponseBadRequest("Accept the invitation with the button on its page.")
        try:
            services.invitation_join(invitation=invitation, user=user)
        except services.InvitationError as error:
            return _invitation_refused(request, str(error))
        messages.success(request, f"You now coach {invitation.team.name}.")
        return redirect("home")
    return render(request, "athletes/invitation_join.html", {"invitation": invitation})


