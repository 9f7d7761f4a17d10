from django.urls import path

from . import views

urlpatterns = [
    path("teams/<int:pk>/webhooks/", views.team_webhooks, name="team_webhooks"),
    path("webhooks/<int:pk>/switch/", views.webhook_switch, name="webhook_switch"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("webhooks/deliveries/<int:pk>/replay/", views.webhook_delivery_replay, name="webhook_delivery_replay"),
]
