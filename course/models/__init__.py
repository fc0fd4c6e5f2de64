"""The database tables, by subject. Import models from here."""

from .groups import Cohort, CohortFacilitator, Family, FamilyMembership, Invite, Relationship
from .learning import (
    ModuleProgress,
    ProgressStatus,
    QuizAttempt,
    QuizResponse,
    Reflection,
    SectionRead,
    Visibility,
)
from .people import Role, User, load_user
from .types import UTCDateTime, utcnow

__all__ = [
    "Cohort", "CohortFacilitator", "Family", "FamilyMembership", "Invite", "ModuleProgress",
    "ProgressStatus", "QuizAttempt", "QuizResponse", "Reflection", "Relationship", "Role",
    "SectionRead", "User", "UTCDateTime", "Visibility", "load_user", "utcnow",
]
