"""What apps above injuries can say about an injury's checklist items (docs/architecture.md#layers).

injuries owns the checklist, but some of its items are decided by measurements it does not hold:
the strength and flexibility items follow the strength and range tests of the testing app, which
sits above injuries. injuries never imports it. Instead, the app registers a provider in its
``AppConfig.ready()``, and the injury page and a coach's tick ask ``evidence_for(injury)``.

A provider is a function ``provider(injury) -> {item: evidence}`` that answers only for the items
it decides. Each evidence says whether the item is ``met`` (``None`` when nothing measured decides
it yet) and names the ``template_name`` that shows it on the injury page, with the evidence in its
context as ``evidence``.
"""

from typing import Protocol


class Evidence(Protocol):
    met: bool | None
    template_name: str


_providers = []


def register(provider) -> None:
    """Add a provider; registering the same one twice (ready() run again) changes nothing."""
    if provider not in _providers:
        _providers.append(provider)


def evidence_for(injury) -> dict[str, Evidence]:
    """Every registered provider's evidence about the injury's items, by item."""
    found = {}
    for provider in _providers:
        found.update(provider(injury))
    return found
