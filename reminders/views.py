from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from athletes import audit

from . import services
from .models import ALWAYS_EMAILED_TO_COACHES, EmailPreference, Kind, Notification
from .time_zones import time_zone_choices

LIST_SIZE = 50

# Which kinds reach which role.
KINDS_FOR = {
    "coach": [Kind.PAIN_ALERT, Kind.RETURN_NEAR, Kind.RETURN_OVERDUE, Kind.MISSED_SESSIONS, Kind.RECURRENCE_CHECK_IN],
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
        chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
        role = "coach" if (user.is_coach or user.is_admin) else "athlete"
        self.locked = set(ALWAYS_EMAILED_TO_COACHES) if role == "coach" else set()
        for kind in KINDS_FOR[role]:
            self.fields[kind] = forms.BooleanField(
                required=False,
                label=Kind(kind).label,
                initial=True if kind in self.locked else chosen.get(kind, True),
                disabled=kind in self.locked,
                help_text="Always emailed to coaches: it is about an athlete's safety." if kind in self.locked else "",
            )
        if role == "athlete":  # the only people who log and read loads
            self.fields["load_unit"] = forms.ChoiceField(
                label="Weights in", choices=user.LoadUnit.choices, initial=user.load_unit, required=False,
                help_text="How you type and read the loads in your sessions and history.",
            )
            self.order_fields(["time_zone", "load_unit"])


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        time_zone = form.cleaned_data.pop("time_zone")
        unit_before = request.user.load_unit
        load_unit = form.cleaned_data.pop("load_unit", "") or unit_before  # not sent: unchanged
        choices = {kind: wanted for kind, wanted in form.cleaned_data.items() if kind not in form.locked}
        moved = services.preferences_save(
            user=request.user, time_zone=time_zone, email_choices=choices, load_unit=load_unit
        )
        message = "Saved your email choices."
        if load_unit != unit_before:
            message += f" Loads now show in {request.user.get_load_unit_display().lower()}."
        if moved:
            message += f" {moved} upcoming reminder{'s' if moved != 1 else ''} now follow{'s' if moved == 1 else ''} your new time zone."
        messages.success(request, message)
        return redirect("notification_preferences")
    return render(request, "reminders/preferences.html", {"form": form})
