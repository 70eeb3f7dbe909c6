"""Translation units flagged for review (their source changed since a reviewer translated them)."""

from __future__ import annotations

from exporter.check import WARNING, Problem
from exporter.document import Document


def flagged_units(settings, document: Document) -> list:
    """Hook: the translation units of ``document`` flagged for review, as ``exporter.translate.memory`` reports them.

    Returns [] while the translation memory has no ``flagged_units(settings, document)`` API.
    """
    try:
        from exporter.translate.memory import flagged_units as memory_flagged_units
    except ImportError:
        return []
    return list(memory_flagged_units(settings, document))


def check_review(settings, document: Document) -> list[Problem]:
    """One warning per unit flagged for review."""
    return [Problem(document.source, None, "needs-review", f"translation unit {unit} is flagged for review", WARNING)
            for unit in flagged_units(settings, document)]
