from django.urls import reverse


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_of_signed_in_people_are_never_cached(coach_client):
    response = coach_client.get(reverse("roster"))
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


def test_htmx_is_configured_for_the_policy(coach_client):
    body = coach_client.get(reverse("roster")).content.decode()
    assert '"includeIndicatorStyles": false' in body and '"allowEval": false' in body
