"""A logged load becomes a number in kilograms (SetLog.load_kg); the old text column stays as the
set's note, because not every text reads as a number ("red band", a run's note).

Text that reads as one load ("20 kg", "45lb", "22,5", "20": kilograms when no unit is written)
moves into the number and leaves the note empty; anything else stays word for word in the note.
Runs keep their text: on a run it was always a note. The parser is frozen here, as it was when
this migration was written (programmes/loads.py is the live one).
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models
from django.db.models import Q

KG_PER_LB = Decimal("0.45359237")
MAX = {"kg": Decimal(500), "lb": Decimal(1100)}
WORDS = {
    "": "kg", "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb", "#": "lb",
}
TEXT = re.compile(r"^\s*(\d{1,4}(?:[.,]\d{1,3})?)\s*([a-z#]*)\.?\s*$", re.IGNORECASE)


def kilograms(text):
    match = TEXT.match(text or "")
    unit = WORDS.get(match.group(2).lower()) if match else None
    if unit is None:
        return None
    amount = Decimal(match.group(1).replace(",", "."))
    if amount > MAX[unit]:
        return None
    kg = amount if unit == "kg" else amount * KG_PER_LB
    return kg.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def text_to_number(apps, schema_editor):
    SetLog = apps.get_model("programmes", "SetLog")
    changed = []
    for log in SetLog.objects.exclude(note="").exclude(prescribed__family="running").only("pk", "note").iterator():
        kg = kilograms(log.note)
        if kg is not None:
            log.load_kg, log.note = kg, ""
            changed.append(log)
    SetLog.objects.bulk_update(changed, ["load_kg", "note"], batch_size=1000)


def number_to_text(apps, schema_editor):
    SetLog = apps.get_model("programmes", "SetLog")
    changed = []
    for log in SetLog.objects.filter(load_kg__isnull=False).only("pk", "load_kg", "note").iterator():
        if not log.note:
            amount = f"{log.load_kg.normalize():f}"
            log.note = f"{amount} kg"
            changed.append(log)
    SetLog.objects.bulk_update(changed, ["note"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0005_exercise_steps")]

    # The schema first, the rows last: no table change after the rows are updated.
    operations = [
        migrations.RenameField(model_name="setlog", old_name="load", new_name="note"),
        migrations.AddField(
            model_name="setlog",
            name="load_kg",
            field=models.DecimalField(blank=True, decimal_places=3, max_digits=7, null=True),
        ),
        migrations.AddConstraint(
            model_name="setlog",
            constraint=models.CheckConstraint(
                condition=Q(load_kg__isnull=True) | Q(load_kg__gte=0, load_kg__lte=Decimal("500")),
                name="setlog_load_0_to_500_kg",
            ),
        ),
        migrations.RunPython(text_to_number, number_to_text),
    ]
