"""What a check found: one :class:`Problem` per broken thing, naming the file, ledger entry or
token concerned. Messages come from :mod:`netral.evidence.messages` (Indonesian / English)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from netral.evidence.messages import render

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    target: str  # a bundle path ("items/3/raw.json"), "entry 12", "head 40", "zip", ...
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = "error"

    def message(self, lang: str = "id") -> str:
        return render(self.code, lang, target=self.target, **self.params)

    def to_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "target": self.target,
            "params": self.params,
            "message": self.message(lang),
        }


@dataclass(slots=True)
class Report:
    """Outcome of a check: ``ok`` only when no error-level problem was found."""

    problems: list[Problem] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, code: str, target: str, severity: Severity = "error", **params: Any) -> None:
        self.problems.append(Problem(code, target, params, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def targets(self) -> set[str]:
        return {p.target for p in self.errors}

    def codes(self) -> set[str]:
        return {p.code for p in self.errors}

    def to_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": [p.to_dict(lang) for p in self.problems],
            "facts": self.facts,
        }
