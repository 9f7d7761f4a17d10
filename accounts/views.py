"""Signing in (password, then a code if the account has two-factor sign-in), password resets,
the admin's sign-in, and the account's security page: one view per step or action."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe
from django_otp import user_has_device

from athletes.access import coach_required

from . import auth, selectors, services
from .forms import EmailAuthenticationForm, PasswordResetForm, SecondFactorForm

# --- Signing in, with an optional second factor --------------------------------------------------


class SignInView(LoginView):
    """Email and password; an account with two-factor sign-in then needs a code as well."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    template_name = "accounts/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if user_has_device(user):
            services.pending_sign_in_start(session=self.request.session, user=user, next_url=self.get_success_url())
            return redirect("login_code")
        return super().form_valid(form)


@sensitive_post_parameters("otp_token")
@never_cache
def sign_in_code(request):
    """The second step: the code from the authenticator app, or a recovery code."""
    user, next_url = services.pending_sign_in(session=request.session)
    if user is None:
        messages.info(request, "Please sign in again: the code was not entered in time.")
        return redirect("login")
    # Wrong codes count towards the same lockout as wrong passwords.
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        services.pending_sign_in_clear(session=request.session)
        return get_lockout_response(request, None, credentials)
    form = SecondFactorForm(user, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.pending_sign_in_clear(session=request.session)
            login(request, form.get_user())
            return redirect(next_url)
        auth.log_second_factor_failure(request, user)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return render(request, "accounts/login_code.html", {"form": form})


def admin_login(request):
    """The admin signs in through coachapp's own sign-in, so that two-factor applies there too."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if request.user.is_staff:
        return redirect("admin:index")
    raise PermissionDenied("The admin is for coachapp's administrators.")


# --- Password resets: Django's steps, throttled, and ending lockouts -------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, throttled per address here and per account in the form; the answer is the same
    page whether or not the email has an account."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.html"
    subject_template_name = "accounts/password_reset_subject.txt"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "address": auth.client_address(self.request)}

    def post(self, request, *args, **kwargs):
        if services.password_reset_refused(address=auth.client_address(request)):
            return render(request, self.template_name, {"form": self.get_form_class()(), "throttled": True}, status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's; the new password also ends the account's sign-in lockouts, everywhere."""

    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.sign_in_lockout_clear(user=form.user)
        return response


# --- The account's security page: two-factor sign-in and other sessions ----------------------------
# One page (GET), and one POST per action; each action answers with the page again (a wrong code)
# or a redirect to it. Turning two-factor on or off also ends the account's other sessions.

TWO_FACTOR_TEMPLATE = "accounts/two_factor.html"
STALE = "That did not match this page any more: please choose again."


def _two_factor_page(request, form=None):
    """The page as it stands for this user; `form` is a code form posted with a mistake in it."""
    context = selectors.two_factor_page(user=request.user)
    context["form"] = _code_form(request, device=context["setup"]) if form is None else form
    return render(request, TWO_FACTOR_TEMPLATE, context)


def _code_form(request, device=None):
    data = request.POST if request.method == "POST" else None
    return SecondFactorForm(request.user, data=data, device=device, auto_id="two-factor-%s")


def _stale(request):
    """An action the page no longer offers (two-factor was turned on or off in another tab, say)."""
    messages.error(request, STALE)
    return redirect("two_factor")


@require_safe
@coach_required
def two_factor(request):
    """Turn two-factor sign-in on (scan, confirm with a code) or off; renew recovery codes;
    sign out everywhere else."""
    return _two_factor_page(request)


@require_POST
@coach_required
def two_factor_begin(request):
    """Set up, step one: a new key for the authenticator app, shown as a QR code and as text."""
    if user_has_device(request.user):
        return _stale(request)
    services.two_factor_begin(user=request.user)
    return redirect("two_factor")


@require_POST
@coach_required
def two_factor_enable(request):
    """Set up, step two: a code from the app confirms it; the recovery codes are shown once."""
    setup = selectors.two_factor_setup(user=request.user)
    if setup is None:
        return _stale(request)
    form = _code_form(request, device=setup)
    if not form.is_valid():
        return _two_factor_page(request, form)
    codes = services.two_factor_enable(user=request.user, device=setup, session=request.session)
    return render(request, TWO_FACTOR_TEMPLATE, {"enabled": True, "codes": codes})


@require_POST
@coach_required
def two_factor_cancel(request):
    if selectors.two_factor_setup(user=request.user) is None:
        return _stale(request)
    services.two_factor_cancel(user=request.user)
    return redirect("two_factor")


@require_POST
@coach_required
def recovery_codes_renew(request):
    """New recovery codes, once a current code is entered; the old ones stop working."""
    if not user_has_device(request.user):
        return _stale(request)
    form = _code_form(request)
    if not form.is_valid():
        return _two_factor_page(request, form)
    codes = services.recovery_codes_renew(user=request.user)
    return render(request, TWO_FACTOR_TEMPLATE, {"enabled": True, "codes": codes})


@require_POST
@coach_required
def two_factor_disable(request):
    """Turn two-factor sign-in off, once a current code is entered."""
    if not user_has_device(request.user):
        return _stale(request)
    form = _code_form(request)
    if not form.is_valid():
        return _two_factor_page(request, form)
    services.two_factor_disable(user=request.user, session=request.session)
    messages.success(request, "Two-factor sign-in is off: your password alone signs you in.")
    return redirect("two_factor")


@require_POST
@coach_required
def sessions_end_others(request):
    """Sign out everywhere else: every other session of the account ends; this one stays."""
    services.sessions_end_others(user=request.user, session=request.session)
    messages.success(request, "Signed out everywhere else: only this browser is still signed in.")
    return redirect("two_factor")
