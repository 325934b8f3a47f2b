"""What scoring a batch of self-assessments produced: results, problems, who submitted and who
did not (chưa nộp). Plain records, so that exports and reports need not know how they were made."""

from __future__ import annotations

from dataclasses import dataclass, field

from isoprov.core.diagnostics import Diagnostic, has_errors
from isoprov.scoring.registry import RegisteredAgency
from isoprov.scoring.rules import Result


@dataclass(frozen=True, slots=True)
class Submission:
    """Who submitted what: an agency's assessment (at its level) for a criteria set and period."""

    code: str
    criteria: str
    period: str
    level: str = ""


@dataclass
class Batch:
    """What scoring a batch produced."""

    results: list[Result] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    submitted: set[Submission] = field(default_factory=set)
    missing: list[RegisteredAgency] = field(default_factory=list)
    level_order: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)
