"""core's models, one module per concern."""

from hsadmin.core.models.audit import AuditEntry, Outcome
from hsadmin.core.models.jobs import (
    ACTIVE_STATES,
    ENDED_STATES,
    Job,
    JobChunk,
    JobItem,
    JobState,
    PauseReason,
)
from hsadmin.core.models.people import Access, User, validate_time_zone
from hsadmin.core.models.ratelimit import RateLimitSlot, RateLimitState
from hsadmin.core.models.signatures import UsedSignature

__all__ = [
    "ACTIVE_STATES",
    "ENDED_STATES",
    "Access",
    "AuditEntry",
    "Job",
    "JobChunk",
    "JobItem",
    "JobState",
    "Outcome",
    "PauseReason",
    "RateLimitSlot",
    "RateLimitState",
    "UsedSignature",
    "User",
    "validate_time_zone",
]
