from django.urls import path

from . import views

urlpatterns = [
    path("athletes/<int:athlete_pk>/complaints/new/", views.complaint_create, name="complaint_create"),
    path("athletes/<int:athlete_pk>/complaints/preview/", views.complaint_preview, name="complaint_preview"),
    path("complaints/", views.inbox, name="complaint_inbox"),
    path("complaints/<int:pk>/confirm/", views.complaint_confirm, name="complaint_confirm"),
    path("injuries/<int:pk>/", views.injury_detail, name="injury_detail"),
    path("injuries/<int:pk>/override/", views.injury_override, name="injury_override"),
    path("me/report/", views.report_create, name="report_create"),
    path("me/reports/<int:pk>/", views.report_sent, name="report_sent"),
]
