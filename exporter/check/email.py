"""Email editions over their size budget (Gmail clips HTML over 102 kB): the email format's own rule."""

from __future__ import annotations

from pathlib import Path

from exporter.check import Problem
from exporter.formats.email import GMAIL_CLIP_KB, email_size_problem


def check_emails(paths: list[Path], limit_kb: int = GMAIL_CLIP_KB) -> list[Problem]:
    """One problem per email edition over ``limit_kb``."""
    return [Problem(path, None, "email-size", reason) for path in paths
            if (reason := email_size_problem(path, limit_kb))]
