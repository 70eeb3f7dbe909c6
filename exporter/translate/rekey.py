"""A reviewed translation carried over when only the unit's protected terms changed.

Adding a glossary term turns every occurrence of it into a placeholder, so the units that contain
it get new text (``la <x id="3"/> gestionada`` instead of ``la base de datos vectorial gestionada``)
and new placeholder numbers, and their reviews would go stale. ``rekeyed`` recognises such a review:
its source text, with each placeholder standing for any run, must read exactly as the unit's text
with its protected runs written out; every old placeholder must land on one placeholder of the unit;
and each newly protected term must appear exactly once in the reviewed translation, as the
glossary writes it. Anything less certain returns None, and the review stays stale as before.
"""

from __future__ import annotations

import re

from exporter import ast as pandoc_ast
from exporter.translate.placeholders import PlaceholderError, check, escape, serialise

TAG = re.compile(r'<x id="(\d+)"[^<>]*/>|<g id="(\d+)">')


def written_out(unit) -> tuple[str, dict[tuple[int, int], int]]:
    """The unit's text with each protected run written as its source text, and where each run now is."""
    parts, spans, position, end = [], {}, 0, 0
    for match in TAG.finditer(unit.text):
        parts.append(unit.text[end:match.start()])
        position += match.start() - end
        end = match.end()
        slot = unit.slots.get(int(match.group(1) or match.group(2)))
        if match.group(1) and slot is not None and slot.source:
            text = escape(slot.source)
            if slot.wrapped:  # a term in markup reads as the markup it was: *prompt injection*
                text = f'<g id="{slot.id}">{text}</g>'
            spans[(position, position + len(text))] = slot.id
        else:
            text = match.group(0)
        parts.append(text)
        position += len(text)
    parts.append(unit.text[end:])
    return "".join(parts), spans


def old_pattern(source: str) -> re.Pattern:
    """A pattern of the old source: its text as written, each placeholder a named group (see ``rekeyed``)."""
    pattern, end = [], 0
    for match in TAG.finditer(source):
        pattern.append(re.escape(source[end:match.start()]))
        if match.group(1):
            # a tag, a term in markup, or a run of text (a term written out): never a mix of them
            pattern.append(f'(?P<x{match.group(1)}><x id="\\d+"[^<>]*/>|<g id="\\d+">[^<]*</g>|[^<]+?)')
        else:
            pattern.append(f'<g id="(?P<g{match.group(2)}>\\d+)">')
        end = match.end()
    pattern.append(re.escape(source[end:]))
    return re.compile("".join(pattern), re.S)


def rekeyed(old_source: str, old_translation: str, unit, written: tuple | None = None) -> str | None:
    """``old_translation`` renumbered for ``unit`` (see the module docstring), or None when unsure.

    ``written`` is ``written_out(unit)`` when the caller already has it (it tries one unit against many reviews).
    """
    text, spans = written or written_out(unit)
    try:
        match = old_pattern(old_source).fullmatch(text)
    except re.error:
        return None
    if match is None:
        return None
    renumber: dict[str, str] = {}  # old tag text → new tag text
    wrapped: dict[int, int] = {}  # old <g> id → new <x/> id
    claimed = set()
    tags = {int(m.group(1) or m.group(2)): m.group(0) for m in TAG.finditer(unit.text)}
    for name, value in match.groupdict().items():
        old_id = int(name[1:])
        if name[0] == "g":
            if unit.slots.get(int(value)) is not None and unit.slots[int(value)].wrapped:
                wrapped[old_id] = int(value)  # markup around a now protected term: one <x/> in its place
                claimed.add(int(value))
            else:
                renumber[f'<g id="{old_id}">'] = f'<g id="{value}">'
            continue
        new_id = spans.get(match.span(name))
        tag = TAG.fullmatch(value)
        if new_id is None and tag is not None and tag.group(1):
            new_id = int(tag.group(1))
        if new_id is None:
            return None
        claimed.add(new_id)
        old_tags = {m.group(0) for m in TAG.finditer(old_translation) if m.group(1) == str(old_id)}
        renumber.update({old: tags[new_id] for old in old_tags})
    translation = old_translation
    for old_id, new_id in wrapped.items():  # a marker first: the renumbering below must not touch it
        term = re.escape(escape(pandoc_ast.stringify(unit.slots[new_id].inlines)))  # as the glossary writes it
        translation, count = re.subn(f'<g id="{old_id}">{term}</g>', f"\0{new_id}\0", translation)
        if count != 1:
            return None
    translation = TAG.sub(lambda m: renumber.get(m.group(0), m.group(0)), translation)
    translation = re.sub("\0(\\d+)\0", lambda m: tags[int(m.group(1))], translation)
    for new_id in set(spans.values()) - claimed:  # a newly protected term: its glossary form, found once
        target = escape(pandoc_ast.stringify(unit.slots[new_id].inlines))
        if not target or translation.count(target) != 1:
            return None
        translation = translation.replace(target, tags[new_id])
    try:
        return serialise(check(unit.text, translation))
    except PlaceholderError:
        return None


def carry_over(stale: list, units: list, reviews) -> tuple[dict[str, str], list]:
    """(unit id → translation carried over from a stale review, the reviews still stale) for ``units``.

    Only units without a review of their own are tried, each stale review at most once.
    """
    carried: dict[str, str] = {}
    remaining = list(stale)
    for unit in units:
        if not remaining or reviews.get(unit.text) is not None:
            continue
        written = written_out(unit)
        for review in remaining:
            translation = rekeyed(review.source, review.translation, unit, written)
            if translation is not None:
                carried[unit.id] = translation
                remaining.remove(review)
                break
    return carried, remaining
