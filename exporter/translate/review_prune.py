"""Reviews no unit uses any more (their text was changed or deleted), removed from the review file on request.

The build never drops a review: a stale one is warned about until someone reviews the new text or
says, with ``newsletter translate prune``, that the old text is gone. Git keeps what was removed.
"""

from __future__ import annotations

from pathlib import Path

from exporter.translate.memory import normalise
from exporter.translate.rekey import carry_over
from exporter.translate.review_files import (
    Review,
    Reviews,
    current_units,
    folder_lock,
    read_reviews,
    review_file,
    write_reviews,
)


def unused_reviews(document, lang: str, settings, reviews: Reviews | None = None) -> list[Review]:
    """The reviews of ``document`` in ``lang`` (``reviews`` when already read) that no unit of its body or
    diagrams uses, as the build decides."""
    from exporter.edition_assets import svg_units

    reviews = reviews if reviews is not None else read_reviews(document, lang)
    unused = []
    for scope, units in (("", current_units(document, lang, settings)), ("svg-", svg_units(document, lang, settings))):
        unused += carry_over(reviews.stale([unit.text for unit in units], scope), units, reviews)[1]
    return unused


def prune_reviews(document, lang: str, settings, dry_run: bool = False) -> tuple[Path, list[Review]]:
    """Remove the unused reviews from the review file (unless ``dry_run``): (the file, what was removed)."""
    path = review_file(document, lang)
    with folder_lock(path.parent):
        reviews = read_reviews(document, lang)
        unused = unused_reviews(document, lang, settings, reviews)
        if unused and not dry_run:
            for review in unused:
                reviews.entries.pop(normalise(review.source), None)
            write_reviews(reviews, document, lang)
    return path, unused
