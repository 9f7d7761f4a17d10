"""`make bench`'s settings (run.py sets DJANGO_SETTINGS_MODULE, for itself and gunicorn): the
app's production settings, but for the budget of an API token's throttle.

The API allows each token 600 requests a minute (coachapp/settings.py), which the bench spends
in a couple of seconds. Here the budget is counted per second and never reached: the throttle
still runs on every API request (its cache read and write are in the figures), keeping about a
second's worth of request times per token and worker, where a real script at the limit keeps up
to 600. Never used outside the bench.
"""

from coachapp.settings import *  # noqa: F403
from coachapp.settings import REST_FRAMEWORK

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "1000000/second"},
}
