"""The one way to record that health data was shown: who, which athlete or team, which record.

Every view or admin page that shows health data calls `record_shown` (docs/architecture.md#audit);
tests/test_access_log.py enumerates the URLs and admin pages and fails for one that does not.
"""

from django.contrib import admin

from .models import AccessLog

Action = AccessLog.Action


def record_shown(user, action, *, athlete_id=None, team_id=None, record="") -> AccessLog:
    """A row of the access log: ids and the kind of access, never the health content itself.

    `user` may be anonymous (the calendar feed, opened by its secret link), stored as no user.
    """
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        athlete_id=athlete_id,
        team_id=team_id,
        record=record[:60],
    )


class ShownInAdmin(admin.ModelAdmin):
    """An admin page of health records: its list and each record's pages are logged."""

    def audit_athlete_id(self, obj):
        return getattr(obj, "athlete_id", None)

    def changelist_view(self, request, extra_context=None):
        record_shown(request.user, Action.ADMIN_VIEW, record=f"admin:{self.opts.model_name}:list")
        return super().changelist_view(request, extra_context=extra_context)

    def get_object(self, request, object_id, from_field=None):
        # Change, history and delete pages all read their record here.
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            record_shown(
                request.user, Action.ADMIN_VIEW, athlete_id=self.audit_athlete_id(obj),
                record=f"admin:{self.opts.model_name}:{obj.pk}",
            )
        return obj
