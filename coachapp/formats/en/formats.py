# American English: Dec 3, 2026, 2:05 PM (coachapp/formats/__init__.py).
DATE_FORMAT = "M j, Y"  # Dec 3, 2026
TIME_FORMAT = "g:i A"  # 2:05 PM
DATETIME_FORMAT = "M j, Y, g:i A"  # Dec 3, 2026, 2:05 PM
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "M j"  # Dec 3
SHORT_DATE_FORMAT = "M j, Y"  # Dec 3, 2026: never 12/03/2026, which a British reader takes for 12 March
SHORT_DATETIME_FORMAT = "M j, g:i A"  # Dec 3, 2:05 PM
WEEKDAY_DATE_FORMAT = "l, M j"  # Thursday, Dec 3
