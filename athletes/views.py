from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from programmes import phone
from programmes.forms import MorningForm

from . import audit, auth, selectors, services
from .access import athlete_required, coach_required, get_athlete_for_user, get_team_for_user
from .forms import (
    AcceptInvitationForm,
    AthleteForm,
    CoachInvitationForm,
    EmailAuthenticationForm,
    InvitationJoinForm,
    PasswordResetForm,
    RosterFilterForm,
    SecondFactorForm,
)
from .models import Athlete, Invitation


@athlete_required
def athlete_home(request):
    """The athlete's phone: "see a doctor" when the rules say so, today's session, the rest of
    the week, a morning check-in, the injury and any lighter training."""
    athlete = Athlete.objects.for_user(request.user).select_related("team").first()
    context = {"athlete": athlete}
    if athlete:
        audit.record_shown(request.user, audit.Action.VIEW_PROGRAMME, athlete_id=athlete.pk, record="home")
        today = timezone.localdate()
        context.update(phone.home_for(athlete, today))
        context.update(phone.care_for(athlete, today))
        context["today"] = today
        context["morning_form"] = MorningForm()
    return render(request, "athletes/athlete_home.html", context)


@coach_required
def roster(request):
    filters = RosterFilterForm(request.GET, user=request.user)
    page = selectors.roster_page(user=request.user, filters=filters, page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "athletes/roster.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(
        request,
        template,
        {"filters": filters, "page": page, "query": query.urlencode()},
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
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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


# --- Signing in, with an optional second factor --------------------------------------------------


class SignInView(LoginView):
    """Email and password; an account with two-factor sign-in then needs a code as well."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if user_has_device(user):
            auth.pending_sign_in_start(self.request, user, self.get_success_url())
            return redirect("login_code")
        return super().form_valid(form)


@sensitive_post_parameters("otp_token")
@never_cache
def sign_in_code(request):
    """The second step: the code from the authenticator app, or a recovery code."""
    user, next_url = auth.pending_sign_in(request)
    if user is None:
        messages.info(request, "Please sign in again: the code was not entered in time.")
        return redirect("login")
    # Wrong codes count towards the same lockout as wrong passwords.
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        auth.pending_sign_in_clear(request)
        return get_lockout_response(request, None, credentials)
    form = SecondFactorForm(user, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            auth.pending_sign_in_clear(request)
            login(request, form.get_user())
            return redirect(next_url)
        auth.log_second_factor_failure(request, user)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return render(request, "registration/login_code.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, throttled per address here and per account in the form; the answer is the same
    page whether or not the email has an account."""

    form_class = PasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "address": auth.client_address(self.request)}

    def post(self, request, *args, **kwargs):
        if services.password_reset_refused(address=auth.client_address(request)):
            return render(request, self.template_name, {"form": self.get_form_class()(), "throttled": True}, status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's; the new password also ends the account's sign-in lockouts, everywhere."""

    def form_valid(self, form):
        response = super().form_valid(form)
        auth.sign_in_lockout_clear(form.user)
        return response


def admin_login(request):
    """The admin signs in through coachapp's own sign-in, so that two-factor applies there too."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if request.user.is_staff:
        return redirect("admin:index")
    raise PermissionDenied("The admin is for coachapp's administrators.")


@coach_required
def two_factor(request):
    """Turn two-factor sign-in on (scan, confirm with a code) or off; renew recovery codes;
    sign out everywhere else. Turning it on or off also ends the account's other sessions."""
    user = request.user
    enabled = user_has_device(user)
    setup = None if enabled else TOTPDevice.objects.filter(user=user, confirmed=False).first()
    action = request.POST.get("action")
    if request.method == "POST" and action == "begin" and not enabled:
        services.two_factor_begin(user=user)
        return redirect("two_factor")
    if request.method == "POST" and action == "cancel" and setup:
        setup.delete()
        return redirect("two_factor")
    if request.method == "POST" and action == "end_sessions":
        request.session[auth.EPOCH_KEY] = services.sessions_end_others(user=user)
        messages.success(request, "Signed out everywhere else: only this browser is still signed in.")
        return redirect("two_factor")
    expected = ("confirm",) if setup else ("renew", "disable") if enabled else ()
    if request.method == "POST" and action not in expected:
        messages.error(request, "That did not match this page any more: please choose again.")
        return redirect("two_factor")
    form = SecondFactorForm(user, data=request.POST or None, device=setup, auto_id="two-factor-%s")
    if request.method == "POST" and form.is_valid():
        if setup:
            codes = services.two_factor_enable(user=user, device=setup)
        elif action == "disable":
            services.two_factor_disable(user=user)
            request.session[auth.EPOCH_KEY] = user.session_epoch  # other sessions end; this one stays
            auth.logger.info("two-factor off user=%s", user.pk)
            messages.success(request, "Two-factor sign-in is off: your password alone signs you in.")
            return redirect("two_factor")
        else:
            codes = services.recovery_codes_renew(user=user)
        request.session[auth.EPOCH_KEY] = user.session_epoch
        auth.logger.info("two-factor %s user=%s", "on" if setup else "recovery codes renewed", user.pk)
        return render(request, "athletes/two_factor.html", {"enabled": True, "codes": codes})
    context = {"enabled": enabled, "setup": setup, "form": form}
    if setup:
        context["qr_svg"] = auth.authenticator_qr_svg(setup)
        context["key"] = b32encode(setup.bin_key).decode()
    return render(request, "athletes/two_factor.html", context)
