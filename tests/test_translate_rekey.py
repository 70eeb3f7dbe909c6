"""A glossary term added after review keeps the reviews of the units it occurs in (exporter/translate/rekey.py)."""

from __future__ import annotations

from exporter import ast as pandoc_ast
from exporter.check.review import check_review
from exporter.config import load_settings
from exporter.document import load_document
from exporter.translate import TranslationMemory, translate_with_report
from exporter.translate.pipeline import segment_document
from exporter.translate.review_files import Review, read_reviews, store_reviews
from exporter.translate.review_prune import unused_reviews
from tests.conftest import make_project

BODY = """
## Infraestructura

La solución gestionada es la pieza clave[^1]; la *prompt injection* sigue abierta, dice [su autor](https://example.org/a).

[^1]: Una nota.
"""
REVIEWED = {  # source text before the glossary knew these terms → the reviewer's English
    "Infraestructura": "Infrastructure",
    'La solución gestionada es la pieza clave<x id="1" ctype="x-note"/>; la <g id="2">prompt injection</g> sigue '
    'abierta, dice <g id="3">su autor</g>.':
        'The managed solution is the key piece<x id="1" ctype="x-note"/>; <g id="2">prompt injection</g> is still '
        'open, says <g id="3">its author</g>.',
    "Una nota.": "A note.",
}
TERMS = '\n[glossary.es-en.terms]\n"pieza clave" = "key piece"\n"prompt injection" = "prompt injection"\n'


def reviewed_project(tmp_path):
    """A project whose one issue was reviewed into English before the glossary knew any term."""
    root = make_project(tmp_path / "project", ("sample",))
    config = root / "newsletter.toml"
    config.write_text(config.read_text().replace('languages = ["es"]', 'languages = ["es", "en"]'))
    source = root / "source" / "sample" / "index.md"
    source.write_text(source.read_text().split("\n---\n", 1)[0] + "\n---\n" + BODY, encoding="utf-8")
    document = load_document(source)
    units = segment_document(document, load_settings(root), "en").units
    assert {unit.text for unit in units} >= set(REVIEWED), [unit.text for unit in units]
    store_reviews(document, "en", [Review(unit.id, unit.text, REVIEWED[unit.text]) for unit in units
                                   if unit.text in REVIEWED])
    return root, source


def translate(root, source):
    return translate_with_report(load_document(source), "en", load_settings(root), memory=TranslationMemory(":memory:"))


def test_new_glossary_terms_keep_the_reviews_they_fall_in(tmp_path):
    root, source = reviewed_project(tmp_path)
    before = translate(root, source)
    assert before.report.stale == [] and before.report.human == len(REVIEWED)
    (root / "newsletter.toml").write_text((root / "newsletter.toml").read_text() + TERMS)

    after = translate(root, source)
    paragraph = next(unit for unit in after.units if "gestionada" in unit.text)
    assert "pieza clave" not in paragraph.text and "prompt injection" not in paragraph.text  # both protected now
    assert after.report.stale == [] and after.report.human == len(REVIEWED), after.report
    text = " ".join(pandoc_ast.stringify(after.document.blocks).split())
    assert "The managed solution is the key piece" in text and "; prompt injection is still open, says its author." in text
    assert read_reviews(load_document(source), "en").path.read_text().count("msgid") == len(REVIEWED) + 1  # untouched
    settings, document = load_settings(root), load_document(source)
    assert [p for p in check_review(settings, document) if p.code == "stale-review"] == []  # check agrees
    assert unused_reviews(document, "en", settings) == []  # and `translate prune` keeps them


def test_a_review_that_does_not_use_the_glossarys_term_goes_stale_as_before(tmp_path):
    root, source = reviewed_project(tmp_path)
    (root / "newsletter.toml").write_text((root / "newsletter.toml").read_text() + TERMS.replace(
        '"key piece"', '"cornerstone"'))  # the reviewer wrote "key piece": no place for the glossary's term
    after = translate(root, source)
    assert [review.unit for review in after.report.stale] == [
        next(unit for unit in after.units if "gestionada" in unit.text).id]
    assert after.report.human == len(REVIEWED) - 1


def test_placeholders_are_renumbered_in_one_pass_and_a_new_term_takes_its_place():
    from exporter.translate.placeholders import Slot
    from exporter.translate.rekey import rekeyed
    from exporter.translate.segments import Unit

    code = {"t": "Code", "c": [["", [], []], "x = 1"]}
    unit = Unit("u1", '<x id="1"/> A <x id="2"/> B <g id="3">c</g> D', {
        1: Slot(1, inlines=[{"t": "Str", "c": "tt"}], source="T"),  # a glossary term: source T, English tt
        2: Slot(2, inlines=[code]),
        3: Slot(3, wrapper={"t": "Emph", "c": []}),
    }, apply=lambda inlines: None)
    old_source, old_translation = 'T A <x id="1"/> B <g id="2">c</g> D', 'tt a <x id="1"/> b <g id="2">c</g> d'
    assert rekeyed(old_source, old_translation, unit) == '<x id="1"/> a <x id="2"/> b <g id="3">c</g> d'
    assert rekeyed(old_source, 'TT a <x id="1"/> b <g id="2">c</g> d', unit) is None  # not the glossary's form
    assert rekeyed('T A <x id="1"/> B c D', old_translation, unit) is None  # the markup changed too: unsure
