"""The database tables, by subject. Import models from here."""

from .audit import AuditEvent, AuditKind
from .groups import (
    Cohort,
    CohortFacilitator,
    Family,
    FamilyMembership,
    Invite,
    ModuleSchedule,
    Relationship,
)
from .learning import (
    Encouragement,
    ModuleProgress,
    ProgressStatus,
    QuizAttempt,
    QuizResponse,
    Reflection,
    SectionRead,
    Visibility,
)
from .people import LoginSession, Notice, NoticeKind, Role, User
from .types import UTCDateTime, local_today, utcnow

__all__ = [
    "AuditEvent", "AuditKind", "Cohort", "CohortFacilitator", "Encouragement", "Family",
    "FamilyMembership", "Invite", "LoginSession", "ModuleProgress", "ModuleSchedule", "Notice",
    "NoticeKind", "ProgressStatus", "QuizAttempt", "QuizResponse", "Reflection", "Relationship",
    "Role", "SectionRead", "UTCDateTime", "User", "Visibility", "local_today", "utcnow",
]
