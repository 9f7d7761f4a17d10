"""`make bench`'s pages at a tiny size, in-process: every page passes its own validator (so the
bench never stops on a fact that no longer matches the app) and the API rows, called with a
token and no session, keep their query counts flat as the data grows (bench/pages.py)."""

import pytest

from bench import seed
from bench.pages import PAGES
from bench.run import Persona, count_queries

TINY = seed.Size(
    "tiny", teams=1, athletes=10, injuries=12, open_injuries=2, sessions_per_athlete=20,
    reminders_pending=0, test_results_per_athlete=10,
)
# More athletes than the API's page of 50, over several teams.
TINY_LARGE = seed.Size(
    "tiny_large", teams=3, athletes=60, injuries=100, open_injuries=8, sessions_per_athlete=20,
    reminders_pending=0, test_results_per_athlete=10,
)
API_PAGES = {"api_athletes", "api_board"}


@pytest.mark.calendar
@pytest.mark.django_db
def test_every_bench_page_passes_its_validator_and_the_api_rows_queries_stay_flat():
    world = seed.World()
    personas, counts = {}, {}
    for size in (TINY, TINY_LARGE):
        seed.grow(world, size)
        for page in PAGES:
            persona = personas.get(page.as_user) or personas.setdefault(page.as_user, Persona(world.users[page.as_user]))
            counts[(page.name, size.name)] = count_queries(page, world, persona)["queries"]  # raises on a failed check

    assert API_PAGES <= {page.name for page in PAGES}
    assert all(page.token for page in PAGES if page.name in API_PAGES)
    for name in API_PAGES:
        assert counts[(name, "tiny_large")] == counts[(name, "tiny")], name


@pytest.mark.django_db
def test_an_api_page_is_called_with_the_token_alone(world):
    from api.models import ApiToken

    page = next(page for page in PAGES if page.name == "api_athletes")
    persona = Persona(world.coach)
    request = persona.http_request(page, None)

    assert request["cookie"] == ""  # no session
    token = request["headers"]["Authorization"].removeprefix("Token ")
    row = ApiToken.objects.get(user=world.coach)
    assert not row.write and token.startswith(row.token_key)  # read only, made through api.services
    assert persona.http_request(page, None)["headers"]["Authorization"] == f"Token {token}"  # made once
    assert not persona.token_client.cookies
