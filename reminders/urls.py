from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/settings/", views.preferences, name="notification_preferences"),
    path("notifications/push/on/", views.push_subscribe, name="push_subscribe"),
    path("notifications/push/off/", views.push_unsubscribe, name="push_unsubscribe"),
]
