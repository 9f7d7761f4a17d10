import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from athletes import audit

from . import push, services
from .models import ALWAYS_EMAILED_TO_COACHES, ChannelPreference, Kind, Notification, PushSubscription
from .time_zones import time_zone_choices

LIST_SIZE = 50

# Which kinds reach which role.
KINDS_FOR = {
    "coach": [Kind.PAIN_ALERT, Kind.RETURN_NEAR, Kind.RETURN_OVERDUE, Kind.MISSED_SESSIONS, Kind.RECURRENCE_CHECK_IN, Kind.WEBHOOK_OFF],
    "athlete": [Kind.SESSION_TODAY, Kind.MORNING_CHECK_IN, Kind.RETURN_NEAR],
}


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user)[:LIST_SIZE]
    # Alerts and reminders name injuries and pain: health data shown.
    audit.record_shown(request.user, audit.Action.VIEW_NOTIFICATIONS, record="notifications")
    return render(request, "reminders/list.html", {"notifications": notifications})


@require_POST
@login_required
def notification_open(request, pk):
    """Mark one notification read and follow its link."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_read(notification=notification)
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    return redirect(notification.url if safe else "notification_list")


@require_POST
@login_required
def notification_read_all(request):
    services.notifications_read_all(user=request.user)
    messages.success(request, "All marked as read.")
    return redirect("notification_list")


class PreferencesForm(forms.Form):
    # Common zones first, then every region's (reminders/time_zones.py); static/js/time-zones.js
    # adds a search box that narrows the list. The value is the IANA name, one of those offered.
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Morning reminders arrive at 7:00 here. Common zones come first, then every region's.",
        widget=forms.Select(attrs={"data-zone-search": "Search time zones by city or country"}),
        error_messages={"invalid_choice": "Pick your time zone from the list: “%(value)s” is not one of them."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(user.time_zone)
        self.fields["time_zone"].initial = user.time_zone
        if not (user.is_coach or user.is_admin):  # athletes are the only people who log and read loads
            self.fields["load_unit"] = forms.ChoiceField(
                label="Weights in", choices=user.LoadUnit.choices, initial=user.load_unit, required=False,
                help_text="How you type and read the loads in your sessions and history.",
            )


class ChannelsForm(forms.Form):
    """Per kind of reminder: by email, and by push to this person's devices (when the server has
    push keys). The in-app list always has every reminder, so it is not a choice."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        chosen = {kind: (email, by_push) for kind, email, by_push in ChannelPreference.objects.filter(user=user).values_list("kind", "email", "push")}
        role = "coach" if (user.is_coach or user.is_admin) else "athlete"
        self.locked = set(ALWAYS_EMAILED_TO_COACHES) if role == "coach" else set()
        self.push_on = push.enabled()
        self.kinds = KINDS_FOR[role]
        for kind in self.kinds:
            email, by_push = chosen.get(kind, (True, True))
            self.fields[f"email_{kind}"] = forms.BooleanField(
                required=False,
                label="By email",
                initial=True if kind in self.locked else email,
                disabled=kind in self.locked,
                help_text="Always emailed to coaches: it is about an athlete's safety." if kind in self.locked else "",
            )
            if self.push_on:
                self.fields[f"push_{kind}"] = forms.BooleanField(
                    required=False, label="By push notification", initial=by_push
                )

    def rows(self):
        """(kind's name, email field, push field or None) for each kind, in the page's order."""
        return [
            (Kind(kind).label, self[f"email_{kind}"], self[f"push_{kind}"] if self.push_on else None)
            for kind in self.kinds
        ]

    def choices(self, channel: str) -> dict[str, bool]:
        return {
            kind: self.cleaned_data[f"{channel}_{kind}"]
            for kind in self.kinds
            if f"{channel}_{kind}" in self.fields and not (channel == "email" and kind in self.locked)
        }


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    channels = ChannelsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and channels.is_valid():
        unit_before = request.user.load_unit
        load_unit = form.cleaned_data.get("load_unit") or unit_before  # not sent: unchanged
        moved = services.preferences_save(
            user=request.user, time_zone=form.cleaned_data["time_zone"], email_choices=channels.choices("email"),
            push_choices=channels.choices("push"), load_unit=load_unit,
        )
        message = "Saved your settings."
        if load_unit != unit_before:
            message += f" Loads now show in {request.user.get_load_unit_display().lower()}."
        if moved:
            message += f" {moved} upcoming reminder{'s' if moved != 1 else ''} now follow{'s' if moved == 1 else ''} your new time zone."
        messages.success(request, message)
        return redirect("notification_preferences")
    devices = PushSubscription.objects.filter(user=request.user) if channels.push_on else []
    return render(request, "reminders/preferences.html", {
        "form": form, "channels": channels, "devices": devices, "push_key": settings.WEBPUSH_VAPID_PUBLIC_KEY,
    })


# --- Push on this device (static/js/push.js) -------------------------------------------------------

BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


class PushSubscriptionForm(forms.Form):
    """What the browser's pushManager.subscribe() gave: where to push, and the keys to encrypt with."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.RegexField(BASE64URL, max_length=200, error_messages={"invalid": "The browser's key is not valid."})
    auth = forms.RegexField(BASE64URL, max_length=100, error_messages={"invalid": "The browser's secret is not valid."})

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        if problem := push.endpoint_problem(endpoint):
            raise forms.ValidationError(problem)
        return endpoint


class PushEndpointForm(forms.Form):
    endpoint = forms.CharField(max_length=1000)


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


@require_POST
@login_required
def push_subscribe(request):
    """Turn push on for the device that posts (JSON answer: static/js/push.js calls it)."""
    form = PushSubscriptionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": f"Push could not be turned on: {_first_error(form)}"}, status=400)
    subscription = services.push_subscription_save(
        user=request.user, user_agent=request.headers.get("User-Agent", ""), **form.cleaned_data
    )
    return JsonResponse({"device": subscription.device})


@require_POST
@login_required
def push_unsubscribe(request):
    """Turn push off for one of the person's own devices: this one (JSON, from static/js/push.js),
    or one listed on the settings page (a plain form: back to the page with a message)."""
    form = PushEndpointForm(request.POST)
    wants_json = request.headers.get("Accept") == "application/json"
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"error": "Push could not be turned off: the browser sent no device address."}, status=400)
        messages.error(request, "Push could not be turned off: no device was named. Reload the page and try again.")
        return redirect("notification_preferences")
    removed = services.push_subscription_delete(user=request.user, endpoint=form.cleaned_data["endpoint"])
    if wants_json:
        return JsonResponse({"removed": removed})
    messages.success(request, "Push notifications are off for that device." if removed else "That device had no push notifications on.")
    return redirect("notification_preferences")
