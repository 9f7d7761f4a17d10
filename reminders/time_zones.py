"""The time zones a user may pick, common ones first, each named plainly.

The IANA database lists about 600 names, many of them old aliases (US/Eastern, GB, Asia/Calcutta)
or technical ones (Etc/GMT+1, Factory). We offer the zones of the database's country table
(zone.tab, shipped by the tzdata package): one canonical name per place people live, about 420,
grouped by region, with a short list of well-known zones first. What is stored stays the IANA
name; a user whose stored zone is no longer offered keeps it until they pick another.
"""

import zoneinfo
from functools import cache
from importlib import resources

COMMON_GROUP = "Common time zones"
CURRENT_GROUP = "Your current time zone"

# A short list of well-known zones, by region, each named as people say it.
COMMON = [
    ("UTC", "Coordinated Universal Time"),
    ("Europe/London", "London"),
    ("Europe/Dublin", "Dublin"),
    ("Europe/Lisbon", "Lisbon"),
    ("Europe/Paris", "Paris"),
    ("Europe/Berlin", "Berlin"),
    ("Europe/Madrid", "Madrid"),
    ("Europe/Rome", "Rome"),
    ("Europe/Stockholm", "Stockholm"),
    ("Europe/Athens", "Athens"),
    ("Europe/Istanbul", "Istanbul"),
    ("Europe/Moscow", "Moscow"),
    ("Africa/Lagos", "Lagos"),
    ("Africa/Johannesburg", "Johannesburg"),
    ("Africa/Nairobi", "Nairobi"),
    ("Asia/Dubai", "Dubai"),
    ("Asia/Kolkata", "India"),
    ("Asia/Singapore", "Singapore"),
    ("Asia/Shanghai", "China"),
    ("Asia/Tokyo", "Tokyo"),
    ("Australia/Perth", "Perth"),
    ("Australia/Sydney", "Sydney"),
    ("Pacific/Auckland", "Auckland"),
    ("Pacific/Honolulu", "Hawaii"),
    ("America/Los_Angeles", "US Pacific: Los Angeles"),
    ("America/Denver", "US Mountain: Denver"),
    ("America/Chicago", "US Central: Chicago"),
    ("America/New_York", "US Eastern: New York"),
    ("America/Toronto", "Toronto"),
    ("America/Mexico_City", "Mexico City"),
    ("America/Sao_Paulo", "São Paulo"),
]
REGIONS = {
    "Africa": "Africa",
    "America": "Americas",
    "Antarctica": "Antarctica",
    "Arctic": "Arctic",
    "Asia": "Asia",
    "Atlantic": "Atlantic Ocean",
    "Australia": "Australia",
    "Europe": "Europe",
    "Indian": "Indian Ocean",
    "Pacific": "Pacific",
}
# The country table's short names where they read oddly after a city: "Seoul, South Korea".
COUNTRY_NAMES = {
    "AS": "American Samoa",
    "CD": "DR Congo",
    "CG": "Congo",
    "GB": "United Kingdom",
    "KP": "North Korea",
    "KR": "South Korea",
    "MF": "Saint Martin",
    "MM": "Myanmar",
    "SX": "Sint Maarten",
    "SZ": "Eswatini",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
    "WS": "Samoa",
}


def _table(name: str) -> list[list[str]]:
    text = (resources.files("tzdata.zoneinfo") / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def _place(zone: str, country: str) -> str:
    """"Oslo, Norway"; "Louisville, Kentucky, United States" for a zone with a state in its name."""
    parts = [part.replace("_", " ") for part in zone.split("/")[1:]]
    names = [parts[-1], *reversed(parts[:-1])]
    return ", ".join(names + ([country] if country not in names else []))


@cache
def regional_zones() -> dict[str, list[tuple[str, str]]]:
    """Every canonical zone people live in, by region: {"Europe": [("Europe/Oslo", "Oslo, Norway
    (Europe/Oslo)"), ...]}, each region's zones by name."""
    countries = {code: COUNTRY_NAMES.get(code, name) for code, name in _table("iso3166.tab")}
    available = zoneinfo.available_timezones()
    groups: dict[str, list[tuple[str, str]]] = {label: [] for label in REGIONS.values()}
    for row in _table("zone.tab"):
        code, zone = row[0], row[2]
        region = REGIONS.get(zone.split("/")[0])
        if region and zone in available:
            groups[region].append((zone, f"{_place(zone, countries.get(code, code))} ({zone})"))
    return {region: sorted(zones, key=lambda choice: choice[1]) for region, zones in groups.items() if zones}


def offered() -> frozenset[str]:
    return frozenset(zone for zone, _name in COMMON) | {
        zone for zones in regional_zones().values() for zone, _label in zones
    }


def time_zone_choices(current: str = "") -> list:
    """The picker's grouped choices: the user's own zone if it is no longer offered, the common
    zones, then every region's."""
    choices = []
    if current and current not in offered() and current in zoneinfo.available_timezones():
        choices.append((CURRENT_GROUP, [(current, current.replace("_", " "))]))
    choices.append((COMMON_GROUP, [(zone, f"{name} ({zone})") for zone, name in COMMON]))
    choices.extend(regional_zones().items())
    return choices
