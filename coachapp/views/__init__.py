"""The project's own pages, one module per concern:

- ``system``: /health/, the web manifest, the service worker and the benchmark's baselines;
- ``coach``: the coach's home and athlete page, which show every app's data;
- ``privacy``: an athlete's data download and erasure.
"""

from .coach import athlete_detail, home
from .privacy import athlete_data_export, athlete_erase
from .system import bare, bare_signed_in, health, service_worker, webmanifest

__all__ = [
    "athlete_data_export",
    "athlete_detail",
    "athlete_erase",
    "bare",
    "bare_signed_in",
    "health",
    "home",
    "service_worker",
    "webmanifest",
]
