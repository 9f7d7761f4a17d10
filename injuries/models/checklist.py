"""The return checklist: its items and each injury's ticks."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .. import pathway
from .injuries import Injury


class ChecklistItem(models.TextChoices):
    """The criteria between phases and the return-to-training checklist
    (docs/clinical-rules.md#phases-and-criteria); the values are injuries/pathway.py's."""

    WALKS = pathway.WALKS, pathway.ITEM_LABELS[pathway.WALKS]
    REST_PAIN = pathway.REST_PAIN, pathway.ITEM_LABELS[pathway.REST_PAIN]
    WALK_JOG = "walk_jog_pain_free", "Walks and jogs without pain"
    NO_PAIN_ON_TOUCH = "no_pain_on_touch", "No pain when the muscle is pressed"
    ISOMETRIC = "isometric_pain_free", "Holds a strong isometric contraction without pain"
    FLEXIBILITY = "flexibility_matches", "Flexibility like the other side"
    STRENGTH = "strength_within_10pct", "Strength within about 10% of the other side"
    SPRINT = "sprint_pain_free", "Sprints at full speed without pain"
    CONFIDENT = "athlete_confident", "The athlete feels confident"
    DOCTOR = "doctor_clearance", "A doctor has cleared the athlete"


assert tuple(ChecklistItem.values) == pathway.CHECKLIST_ITEMS, "the checklist and the pathway disagree"


class ClearanceCheck(models.Model):
    """One ticked (or unticked) checklist item of one injury; its history is kept.

    The strength and flexibility items follow the measured tests (``source`` = measured) unless
    a coach has set them against the measurement, which needs an ``override_reason``: such an
    override is never undone by a later measurement, only by the coach.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", "Set by a coach"
        MEASURED = "measured", "Set from the measured tests"
        LOGGED = "logged", "Set from a logged pain-free maximal sprint"

    injury = models.ForeignKey(Injury, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(max_length=30, choices=ChecklistItem.choices)
    done = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    override_reason = models.TextField(
        blank=True, help_text="Why a coach set this against the measured tests; kept until the coach changes it."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["injury", "id"]
        constraints = [models.UniqueConstraint(fields=["injury", "item"], name="one_check_per_item")]

    def __str__(self):
        return f"{self.get_item_display()}: {'done' if self.done else 'open'}"
