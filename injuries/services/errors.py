"""The refusals of injuries' services: one base class, which views turn into a message."""

from athletes.errors import AppError


class InjuryError(AppError):
    """A write the clinical rules refuse; the message says why, in words a coach can act on."""


class ComplaintAlreadyConfirmed(InjuryError):
    def __init__(self):
        super().__init__("This report was already confirmed.")


class RedFlagRemovalNeedsReason(InjuryError):
    """A coach confirmed an athlete's report without a red flag the athlete reported."""

    def __init__(self, flags: list[str]):
        self.flags = flags
        super().__init__(
            "The athlete reported " + "; ".join(flags).lower() + ". Write why you are removing it."
        )


class PhaseChangeError(InjuryError):
    """A phase change the rules do not allow; the message says why."""


class PhaseChangedMeanwhile(PhaseChangeError):
    """The page was opened before someone else moved the injury."""


class ChecklistOverrideNeedsReason(InjuryError):
    """A coach set a measured item against the measured tests without saying why.

    ``evidence`` is what the measurements say about the item (injuries/evidence.py)."""

    def __init__(self, evidence, done: bool):
        self.evidence, self.done = evidence, done
        says = "met" if evidence.met else "not met yet"
        verb = "tick" if done else "untick"
        super().__init__(f"The measured tests say this is {says}. Write why you {verb} it anyway.")
