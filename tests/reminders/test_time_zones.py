"""The time-zone picker: common zones first, then every canonical zone by region, each named
plainly; no alias or technical zone offered; the stored value an IANA name checked on save."""

import re
import zoneinfo

import pytest
from django.urls import reverse

from reminders.time_zones import COMMON, COMMON_GROUP, CURRENT_GROUP, offered, regional_zones, time_zone_choices

URL = reverse("notification_preferences")
LEGACY = ["Etc/GMT+1", "Etc/UTC", "Factory", "US/Eastern", "GB", "Asia/Calcutta", "Europe/Kiev", "America/Buenos_Aires",
          "Australia/ACT", "Canada/Pacific", "Zulu", "EST5EDT"]


def _groups(body: str) -> list[str]:
    return re.findall(r'<optgroup label="([^"]+)">', body)


def _options(body: str) -> dict[str, str]:
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', body))


def test_the_common_zones_come_first_then_every_region(client, world):
    client.force_login(world.coach)
    body = client.get(URL).content.decode()
    assert _groups(body) == [COMMON_GROUP, "Africa", "Americas", "Antarctica", "Arctic", "Asia", "Atlantic Ocean",
                             "Australia", "Europe", "Indian Ocean", "Pacific"]
    common = body[body.index(f'label="{COMMON_GROUP}"'):body.index('label="Africa"')]
    assert list(_options(common)) == [zone for zone, _name in COMMON]
    assert 20 <= len(COMMON) <= 35
    assert _options(common)["Europe/London"] == "London (Europe/London)"
    assert _options(common)["America/New_York"] == "US Eastern: New York (America/New_York)"
    assert 400 <= len(offered()) < 450  # not the 600 names of the whole database


def test_each_regional_zone_is_named_by_its_place_and_country():
    labels = {zone: label for zones in regional_zones().values() for zone, label in zones}
    assert labels["Europe/Oslo"] == "Oslo, Norway (Europe/Oslo)"
    assert labels["Europe/London"] == "London, United Kingdom (Europe/London)"
    assert labels["Asia/Seoul"] == "Seoul, South Korea (Asia/Seoul)"
    assert labels["America/Argentina/Buenos_Aires"] == "Buenos Aires, Argentina (America/Argentina/Buenos_Aires)"
    assert labels["America/Kentucky/Louisville"] == "Louisville, Kentucky, United States (America/Kentucky/Louisville)"
    for zone, label in labels.items():
        assert "_" not in label.split(" (")[0], label


def test_no_alias_or_technical_zone_is_offered():
    zones = offered()
    assert zones <= zoneinfo.available_timezones()
    for zone in LEGACY:
        assert zone not in zones, zone
    assert not [zone for zone in zones if zone.startswith(("Etc/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/"))]
    assert {"Europe/Kyiv", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "UTC", "Australia/Sydney"} <= zones


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Oslo", "Pacific/Chatham", "UTC"])
def test_a_zone_from_the_list_is_saved_by_its_iana_name(client, world, zone):
    client.force_login(world.coach)
    response = client.post(URL, {"time_zone": zone})
    assert response.status_code == 302
    world.coach.refresh_from_db()
    assert world.coach.time_zone == zone


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Etc/GMT+1", "Factory", "US/Eastern", "", "Europe/London\x00"])
def test_a_zone_not_offered_is_refused_with_a_message_and_nothing_saved(client, world, zone):
    world.coach.time_zone = "Europe/Oslo"
    world.coach.save()
    client.force_login(world.coach)
    response = client.post(URL, {"time_zone": zone})
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    world.coach.refresh_from_db()
    assert world.coach.time_zone == "Europe/Oslo"


def test_a_user_on_an_old_alias_keeps_it_until_they_pick_another(client, world):
    world.athlete_user.time_zone = "US/Eastern"
    world.athlete_user.save()
    client.force_login(world.athlete_user)
    body = client.get(URL).content.decode()
    assert _groups(body)[0] == CURRENT_GROUP
    assert re.search(r'<option value="US/Eastern" selected>US/Eastern</option>', body)
    assert client.post(URL, {"time_zone": "US/Eastern"}).status_code == 302  # saving other choices keeps it
    world.athlete_user.refresh_from_db()
    assert world.athlete_user.time_zone == "US/Eastern"
    assert time_zone_choices("Mars/Olympus")[0][0] == COMMON_GROUP  # never offer what does not exist


def test_the_picker_is_searchable_by_a_script_of_ours_and_works_without_it(client, world):
    world.coach.time_zone = "Europe/Oslo"
    world.coach.save()
    client.force_login(world.coach)
    body = client.get(URL).content.decode()
    assert re.search(r'<select name="time_zone"[^>]*data-zone-search="Search time zones by city or country"', body)
    assert re.search(r'<option value="Europe/Oslo" selected>', body)
    assert re.search(r'<script src="/static/js/time-zones[.\w]*\.js" defer></script>', body)
    assert "<script>" not in body and "onclick" not in body and 'style="' not in body
