from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request):
    """The header's unread count: read with the user when the session loaded them
    (reminders/backends.py), else one query, and only when a full page renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted = getattr(user, "unread_notifications", None)  # read with the user (reminders/backends.py)
    if counted is not None:
        return {"unread_count": counted}
    return {"unread_count": SimpleLazyObject(lambda: Notification.objects.filter(user=user, read_at__isnull=True).count())}
