from django.urls import reverse

from coachapp import views


def test_health_reports_database_and_broker(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_the_broker_is_unreachable(client, db, monkeypatch):
    monkeypatch.setattr(views.celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "error"}


def test_health_is_503_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(views, "_database_ok", lambda: False)
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["checks"]["database"] == "error"
