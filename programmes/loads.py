"""A logged load: typed and read in the athlete's unit (kilograms or pounds), stored in kilograms.

Plain Python: the phone's forms and pages, the set-logging service and the history's weekly
volume all convert through here, so a load reads the same everywhere. A prescription's load
("Moderate dumbbells", "Band assist") stays words: it is advice, not a measurement.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

KG, LB = "kg", "lb"
UNITS = (KG, LB)
UNIT_WORDS = {KG: "kilograms", LB: "pounds"}
KG_PER_LB = Decimal("0.45359237")  # exact, by the international definition of the pound

# The heaviest load a set may log: far above any hamstring exercise, low enough to catch a slip
# of the thumb ("2000"). The same limit in each unit, in round numbers (1100 lb is 499 kg).
MAX_KG = Decimal(500)
MAX_IN = {KG: MAX_KG, LB: Decimal(1100)}

# Stored with three decimals, so that a load typed in pounds (two decimals at most) reads back
# exactly: the rounding error, under 0.0005 kg, is under 0.002 lb.
STORED = Decimal("0.001")
SHOWN = Decimal("0.01")

_UNIT_WORDS = {
    KG: ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"),
    LB: ("lb", "lbs", "pound", "pounds", "#"),
}
_TEXT = re.compile(r"^\s*(\d{1,4}(?:[.,]\d{1,3})?)\s*([a-z#]*)\.?\s*$", re.IGNORECASE)


def to_kg(amount: Decimal, unit: str) -> Decimal:
    """A load typed in `unit`, in kilograms as stored."""
    kg = amount if unit == KG else amount * KG_PER_LB
    return kg.quantize(STORED, rounding=ROUND_HALF_UP)


def from_kg(kg: Decimal, unit: str) -> Decimal:
    """A stored load in `unit`, to two decimals at most."""
    amount = kg if unit == KG else kg / KG_PER_LB
    return amount.quantize(SHOWN, rounding=ROUND_HALF_UP)


def number_text(amount: Decimal) -> str:
    """A number as a person writes it and an <input type=number> takes it: "20", "22.5"."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount_text(kg: Decimal | None, unit: str) -> str:
    """The number of a stored load in `unit`, for a number box; "" for no load."""
    return "" if kg is None else number_text(from_kg(kg, unit))


def load_text(kg: Decimal | None, unit: str) -> str:
    """A stored load in words: "20 kg", "44.09 lb"; "" for no load (bodyweight)."""
    return "" if kg is None else f"{amount_text(kg, unit)} {unit}"


def volume_text(kg: Decimal, unit: str) -> str:
    """A week's volume (reps × load), whole and with thousands separated: "1,240 kg"."""
    amount = from_kg(kg, unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{amount:,} {unit}"


def parse(text: str, *, default_unit: str | None = KG) -> tuple[Decimal, str] | None:
    """A load written as words ("20 kg", "45lb", "22,5", "20 kilos"), as an amount and its unit.

    None when the text is not one number with an optional unit ("Moderate dumbbells", "2 x 10 kg"),
    when it names no unit and `default_unit` is None, or when it is over the limit.
    """
    match = _TEXT.match(text or "")
    if not match:
        return None
    word = match.group(2).lower()
    unit = next((u for u, words in _UNIT_WORDS.items() if word in words), None) if word else default_unit
    if unit is None:
        return None
    try:
        amount = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    if amount > MAX_IN[unit]:
        return None
    return amount, unit


def parse_kg(text: str, *, default_unit: str | None = KG) -> Decimal | None:
    """`parse`, in kilograms as stored; None when the text is not a load."""
    parsed = parse(text, default_unit=default_unit)
    return None if parsed is None else to_kg(*parsed)
