from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request):
    """The header's unread count; one query, and only when a full page renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: Notification.objects.filter(user=user, read_at__isnull=True).count())}
