"""Every `accounts/...` URL, and the admin's sign-in.

URL names are Django's own (login, logout, password_reset, ...), so Django's views and templates
find them. Django's unthrottled password-reset view is not routed at all (`accounts/password_reset/`
answers 404): ours below is throttled, and its confirmation ends lockouts.
"""

from functools import wraps

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views


def _forget_this_device(view):
    """Signing out wipes what the browser kept for the athlete's phone: the service worker's page
    copies and the queue of writes waiting to send (docs/architecture.md#the-phone-offline)."""

    @wraps(view)
    def sign_out(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return sign_out


urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/login/code/", views.sign_in_code, name="login_code"),
    path("accounts/logout/", _forget_this_device(auth_views.LogoutView.as_view()), name="logout"),
    # The security page, and one POST per action on it.
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/two-factor/begin/", views.two_factor_begin, name="two_factor_begin"),
    path("accounts/two-factor/enable/", views.two_factor_enable, name="two_factor_enable"),
    path("accounts/two-factor/cancel/", views.two_factor_cancel, name="two_factor_cancel"),
    path("accounts/two-factor/recovery-codes/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("accounts/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("accounts/sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
    # Django's own password change; its templates keep Django's names (registration/...), which
    # the admin's password change uses too.
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Password resets: throttled (PasswordResetView), ending lockouts (PasswordResetConfirmView).
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    # Before the admin's own URLs (coachapp/urls.py), so that its sign-in form is never served.
    path("admin/login/", views.admin_login, name="admin_login"),
]
