"""``newsletter check``: problems in the sources and in the built outputs, one :class:`Problem` each.

Each module does one job and returns a list of problems:

- ``sources``: images without alt text, missing, unreadable or oversized images (``SourceIssue`` loads a
  source without stopping at its first bad image);
- ``links``: internal links whose anchor or file does not exist;
- ``review``: stale reviews in the review files, and machine-translated units with quality flags;
- ``epub``: EPUBCheck's messages, every EPUB checked in one Java process;
- ``pdf``: fonts that are not embedded;
- ``email``: email editions over their size budget.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (file and line, if known), a stable code, what, and how bad."""

    path: Path
    line: int | None
    code: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        label = "" if self.severity == ERROR else f" ({self.severity})"
        return f"{where}: {self.code}{label} {self.message}"

    def as_dict(self) -> dict:
        """A JSON-ready mapping."""
        return {**asdict(self), "path": str(self.path)}


def failed(problems: list[Problem], strict: bool = False) -> bool:
    """True if any problem fails the check (warnings too when ``strict``)."""
    return any(p.severity == ERROR or strict for p in problems)


def report_text(problems: list[Problem], checked: int) -> str:
    """The readable report: one ``path:line: code message`` line each, then a summary."""
    lines = [str(problem) for problem in problems]
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    lines.append(f"checked {checked} file(s): {errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def report_json(problems: list[Problem], checked: int) -> str:
    """The report as JSON: ``{"checked": n, "problems": [...]}``."""
    return json.dumps({"checked": checked, "problems": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2)
