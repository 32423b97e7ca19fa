"""Digital-footprint self-audit: read one's own platform exports and flag campaign traces."""

from netral.audit.pipeline import (
    AuditOptions,
    AuditReport,
    AuditUsageError,
    Finding,
    SourceSummary,
    problem_message,
    run_audit,
)

__all__ = [
    "AuditOptions",
    "AuditReport",
    "AuditUsageError",
    "Finding",
    "SourceSummary",
    "problem_message",
    "run_audit",
]
