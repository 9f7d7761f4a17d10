"""The hook through which apps above injuries tell the checklist what they measured."""

from types import SimpleNamespace

import pytest

from injuries import evidence


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(evidence, "_providers", [])
    return evidence._providers


def test_every_provider_answers_for_its_own_items(providers):
    strength = SimpleNamespace(met=True, template_name="a.html")
    sprint = SimpleNamespace(met=None, template_name="b.html")
    evidence.register(lambda injury: {"strength_within_10pct": strength})
    evidence.register(lambda injury: {"sprint_pain_free": sprint})
    assert evidence.evidence_for(object()) == {"strength_within_10pct": strength, "sprint_pain_free": sprint}


def test_registering_a_provider_twice_asks_it_once(providers):
    calls = []

    def provider(injury):
        calls.append(injury)
        return {}

    evidence.register(provider)
    evidence.register(provider)  # AppConfig.ready() run again
    evidence.evidence_for("injury")
    assert calls == ["injury"]


def test_the_testing_app_is_registered():
    from testing.services import clearance_evidence

    assert clearance_evidence in evidence._providers
