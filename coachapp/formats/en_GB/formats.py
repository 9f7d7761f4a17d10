# British English (the default): 3 Dec 2026, 14:05 (coachapp/formats/__init__.py).
DATE_FORMAT = "j M Y"  # 3 Dec 2026
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "j M Y, H:i"  # 3 Dec 2026, 14:05
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j M"  # 3 Dec
SHORT_DATE_FORMAT = "j M Y"  # 3 Dec 2026: never 03/12/2026, which an American reads as 12 March
SHORT_DATETIME_FORMAT = "j M, H:i"  # 3 Dec, 14:05 (this year's events: reports, notifications)
WEEKDAY_DATE_FORMAT = "l j M"  # Thursday 3 Dec
