"""How each athlete on the roster is, in a few plain words, as an app above says it
(docs/architecture.md#events).

The roster belongs to athletes, but whether an athlete is fit is known only to injuries, which sits
above it: athletes never imports it. Instead, that app registers a provider in its
``AppConfig.ready()``, and the roster asks ``annotate`` for the page's query and ``describe`` for
each row. A provider annotates in the same query (subqueries), so the roster's query count stays
the same whatever its size.

A provider has two functions: ``annotate(athletes) -> athletes`` (a queryset of Athlete) and
``describe(athlete) -> Status | None``, reading only what ``annotate`` added.
"""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Status:
    words: str  # "Fit", "Grade 2 strain — rehab"
    kind: str  # available, modified or unavailable: how the page colours it


@dataclass(frozen=True)
class Provider:
    annotate: Callable
    describe: Callable


_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider; registering the same one twice (ready() run again) changes nothing."""
    if provider not in _providers:
        _providers.append(provider)


def provided() -> bool:
    return bool(_providers)


def annotate(athletes):
    for provider in _providers:
        athletes = provider.annotate(athletes)
    return athletes


def describe(athlete) -> Status | None:
    """The first provider's answer about the athlete; None when no provider knows."""
    return next((status for provider in _providers if (status := provider.describe(athlete))), None)
