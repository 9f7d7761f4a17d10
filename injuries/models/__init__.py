"""The injuries app's models, one module per topic (docs/architecture.md#apps)."""

from .complaints import (  # noqa: F401
    SIDE_CHOICES,
    ONSET_CHOICES,
    PAIN_QUALITY_CHOICES,
    WEAKNESS_CHOICES,
    SWELLING_CHOICES,
    BRUISING_CHOICES,
    CLASSIFICATION_CHOICES,
    REFERRAL_CHOICES,
    COMPLAINT_FIELDS,
    RED_FLAG_LABELS,
    ComplaintQuerySet,
    Complaint,
    RecoveryDefault,
)
from .injuries import (  # noqa: F401
    Phase,
    PHASE_ORDER,
    InjuryQuerySet,
    Injury,
    EpisodeQuerySet,
    Episode,
    PhaseChange,
    ClassificationOverride,
)
from .checklist import (  # noqa: F401
    ChecklistItem,
    ClearanceCheck,
)
