"""The database tables, by subject. Import models from here."""

from .groups import (
    Cohort, CohortFacilitator, Family, FamilyMembership, Invite, ModuleSchedule, Relationship,
)
from .learning import (
    Encouragement, ModuleProgress, ProgressStatus, QuizAttempt, QuizResponse, Reflection,
    SectionRead, Visibility,
)
from .people import Role, User, load_user
from .types import UTCDateTime, utcnow

__all__ = [
    "Cohort", "CohortFacilitator", "Encouragement", "Family", "FamilyMembership", "Invite",
    "ModuleProgress", "ModuleSchedule", "ProgressStatus", "QuizAttempt", "QuizResponse",
    "Reflection", "Relationship", "Role", "SectionRead", "User", "UTCDateTime", "Visibility",
    "load_user", "utcnow",
]
