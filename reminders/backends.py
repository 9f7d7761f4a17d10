"""The sign-in backend: Django's ModelBackend, whose user comes with the header's unread count.

Every signed-in page loads its user once (``get_user``, from the session) and its header shows how
many notifications are unread. Read as a subquery of the user's own query, the count costs no
round trip of its own (docs/architecture.md#services-selectors-and-views); the context processor
falls back to a query of its own for a user loaded some other way (an API token, the sign-in
request itself).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification


def unread_count():
    """Per user (``OuterRef("pk")``): their unread notifications (notification_unread_idx)."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by().values("user").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(unread), 0)


class UnreadCountBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(unread_notifications=unread_count())
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
