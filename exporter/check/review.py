"""Translations that need a human: stale reviews in the review files, and machine units with quality flags."""

from __future__ import annotations

import re

from exporter.check import WARNING, Problem
from exporter.document import Document


def target_languages(settings, document: Document) -> list[str]:
    """The languages ``document`` is translated into."""
    return [lang for lang in settings.languages if lang != document.meta.lang]


def check_review(settings, document: Document) -> list[Problem]:
    """Stale reviews (judged as the build does) and quality flags of every translated edition of ``document``."""
    from exporter.translate.memory import TranslationMemory

    path = settings.root / settings.section("translation")["memory"]
    memory = TranslationMemory(path) if path.exists() else None  # quality flags need the cached machine output
    try:
        return [problem for lang in target_languages(settings, document)
                for problem in edition_problems(settings, document, lang, memory)]
    finally:
        if memory is not None:
            memory.close()


def edition_problems(settings, document: Document, lang: str, memory) -> list[Problem]:
    """One warning per stale review (at its line in the review file) and per remembered machine unit with
    quality flags (at its line in the source), for the edition in ``lang``."""
    from exporter.translate.pipeline import memory_engine, segment_document
    from exporter.translate.quality import document_names, unit_flags
    from exporter.translate.rekey import carry_over
    from exporter.translate.review_files import read_reviews

    reviews = read_reviews(document, lang)
    if not reviews.entries and memory is None:
        return []  # nothing reviewed, nothing remembered: nothing to judge
    units = segment_document(document, settings, lang).units
    _, stale = carry_over(reviews.stale([unit.text for unit in units]), units, reviews)
    problems = [Problem(reviews.path, review.line or None, "stale-review",
                        f"{lang}: unit {review.unit} changed since it was reviewed: machine translation used, "
                        "review it again (or `newsletter translate prune` if its text was removed)", WARNING)
                for review in stale]
    if memory is None:
        return problems
    engine, source = memory_engine(settings.section("translation")["engine"], settings), document.meta.lang
    source_text = document.source.read_text(encoding="utf-8") if document.source.is_file() else ""
    known = document_names(unit.text for unit in units)
    for unit in units:
        machine = memory.lookup(engine, source, lang, unit.text)
        if machine is None or reviews.get(unit.text) is not None:
            continue
        flags = unit_flags(unit.text, machine, source, lang, (), known)
        if flags:
            problems.append(Problem(document.source, unit_line(source_text, unit.text), "needs-look",
                                    f"{lang}: unit {unit.id}: {'; '.join(map(str, flags))}", WARNING))
    return problems


def unit_line(source_text: str, unit_text: str) -> int | None:
    """The line of the source file where a unit's words start (None if markup hides them)."""
    from exporter.errors import line_of
    from exporter.translate.quality import plain

    words = re.findall(r"[^\W_][\w ,]*", plain(unit_text))
    for needle in (run.strip() for run in sorted(words, key=len, reverse=True)[:3]):
        if len(needle) >= 4 and source_text.count(needle) == 1:
            return line_of(source_text, needle)
    return None
