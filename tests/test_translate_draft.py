"""The offline draft's rules on the real Apertium: each changes what it should, and dropping it undoes that."""

from __future__ import annotations

import sys
from pathlib import Path


from exporter.translate import TranslationMemory, translate_with_report
from exporter.translate.apertium import ApertiumTranslator
from exporter.translate.draft import (
    RULES,
    amount_text,
    fix_case,
    keep_quotations,
    localise_dates,
    localise_numbers,
    plural_es,
    plural_terms,
    replace_amounts,
)
from exporter.translate.glossary import load_glossary
from tests.translate_support import CORPUS, corpus_document, settings_for

ROOT = Path(__file__).resolve().parents[1]


def draft(texts: list[str], rules=RULES, variant: str = "") -> list[str]:
    """Texts through the real Apertium with these rules."""
    return ApertiumTranslator(rules=rules, variant=variant).translate(texts, "es", "en")


def without(rule: str) -> list[str]:
    """Every rule but one."""
    return [r for r in RULES if r != rule]


def test_a_footnote_marker_does_not_end_the_sentence():
    text = 'Nació en octubre<x id="1" ctype="x-note"/> y luego creció.'
    assert draft([text]) == ['It was born in October<x id="1" ctype="x-note"/> and afterwards grew.']
    # as a line break it starts a new sentence, which Apertium gives a subject of its own
    assert "afterwards it grew" in draft([text], without("inline-notes"))[0]


def test_no_capital_after_a_placeholder_unless_the_source_has_one():
    assert draft(['<x id="1"/> recorrió el camino.']) == ['<x id="1"/> visited the path.']
    assert draft(['<x id="1"/> recorrió el camino.'], without("case")) == ['<x id="1"/> Visited the path.']
    assert fix_case('<x id="1"/> Madrid', '<x id="1"/> Madrid') == '<x id="1"/> Madrid'
    assert draft(["Financiación: las rondas de Madrid."]) == ["Financing: the rounds of Madrid."]
    assert draft(["Anthropic levantó la ronda."]) == ["Anthropic raised the round."]
    assert draft(["Un API (con lista de espera) en Madrid (España)."]) == ["An API (with list of wait) in Madrid (Spain)."]


def test_numbers_and_percentages_in_the_target_locale():
    text = "Hay 1.000 usuarios, el 99,8 % de 0,5 millones."
    assert draft([text]) == ["There are 1,000 users, the 99.8% of 500,000."]
    assert "1.000" in draft([text], without("numbers"))[0] and "0.5 millions" in draft([text], without("currency"))[0]
    # versions and plain years are no numbers to rewrite
    assert localise_numbers("Dolly 2.0 en 2023 y v0.0.131", "Dolly 2.0 in 2023 and v0.0.131", "es", "en") == \
        "Dolly 2.0 in 2023 and v0.0.131"
    assert localise_numbers("1.536 y 99,8 %", "1.536 and 99,8 %", "es", "fr") == "1\u202f536 and 99,8\u00a0%"


def test_amounts_of_money_become_the_target_currency_format():
    text = "Costó 0,002 dólares, 5.000 dólares y 10.000 millones de dólares; 105 millones de euros."
    assert draft([text]) == ["It cost $0.002, $5,000 and $10 billion; €105 million."]
    assert "dollars" in draft([text], without("currency"))[0]
    assert amount_text(__import__("decimal").Decimal("4100000000"), "USD", "en") == "$4.1 billion"
    counts = "La valoraba en 4.100 millones; 100 millones de usuarios y 100 millones de ellos."
    assert draft([counts])[0].startswith("It valued it in 4.1 billion; 100 million users and 100 million")
    assert replace_amounts(counts, "es", "en") == \
        ("La valoraba en 977700; 977701 usuarios y 100 millones de ellos.", ["4.1 billion", "100 million"])


def test_dates_follow_the_variant():
    text = "El 30 de noviembre de 2022 y el 1 de marzo."
    assert draft([text]) == ["On November 30, 2022 and on March 1."]
    assert draft([text], variant="en_GB") == ["On 30 November 2022 and on 1 March."]
    assert localise_dates("on 31 February", "en") == "on 31 February"  # not a date: left alone
    assert draft(["Un análisis (abril de 2023) y en enero de 2023."]) == ["An analysis (April 2023) and in January 2023."]
    assert "April of 2023" in draft(["Un análisis en abril de 2023."], without("dates"))[0]


def test_the_english_variant_chooses_the_apertium_mode():
    assert draft(["El color del modelo."]) == ["The color of the model."]
    assert draft(["El color del modelo."], variant="en_GB") == ["The colour of the model."]
    assert ApertiumTranslator(variant="en_GB").mode("es", "en") == "spa-eng"
    assert ApertiumTranslator().mode("es", "en") == "spa-eng_US"


def test_a_quotation_already_in_english_is_kept_as_written():
    text = "El artículo «Language Models are Few-Shot Learners» y el «perro negro»."
    assert draft([text]) == ["The article «Language Models are Few-Shot Learners» and the «black dog»."]
    assert "plough" in draft([text], without("quotes"))[0]
    assert keep_quotations("«a b»", "«x»  «y»", ["a", "b"]) == "«x»  «y»"  # counts differ: untouched


def test_unknown_words_are_reported_per_unit_and_the_output_is_clean():
    translator = ApertiumTranslator()
    text = 'El flurbifax de <x id="1"/> no funciona.'
    (out,) = translator.translate([text], "es", "en")
    assert "*" not in out and "flurbifax" in out
    assert translator.unknown_words[text] == ["flurbifax"]


def test_the_report_lists_unknown_words_by_unit_text(tmp_path):
    document = corpus_document(CORPUS / "parallel" / "js-array-tosorted" / "es.md")
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        report = translate_with_report(document, "en", settings_for(tmp_path), memory=memory).report
    assert report.unknown_words
    assert any("array" in words for words in report.unknown_words.values())
    assert all(not any(w.startswith("Zzq") for w in words) for words in report.unknown_words.values())


def test_glossary_terms_match_their_plurals(tmp_path):
    assert plural_es("valoración") == "valoraciones" and plural_es("vectorial") == "vectoriales"
    assert plural_terms({"base de datos vectorial": "vector database"}) == \
        {"bases de datos vectoriales": "vector databases"}
    settings = settings_for(tmp_path)
    settings.glossary.update({"es-en": {"terms": {"ronda": "round"}}})
    glossary = load_glossary(settings, "es", "en")
    assert glossary.terms_pattern().search("dos rondas") and glossary.forced("Rondas") == "Rounds"


def test_domain_terms_only_with_apertium(tmp_path):
    assert load_glossary(settings_for(tmp_path), "es", "en").terms["archivo"] == "file"
    assert "archivo" not in load_glossary(settings_for(tmp_path, engine="google"), "es", "en").terms
    assert "archivo" not in load_glossary(settings_for(tmp_path, draft_rules=without("domain-terms")), "es",
                                          "en").terms


def test_the_draft_scores_at_least_raw_apertium_on_a_parallel_pair():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from draft_quality import measure

    scores = measure([CORPUS / "parallel" / "react-importing-and-exporting-components"], ablation=False)
    row = scores["react-importing-and-exporting-components"]
    assert row["draft"] >= row["raw_apertium"], row


def test_changing_the_variant_or_the_rules_translates_again(tmp_path):
    import datetime as dt

    from exporter.document import Document, Metadata
    from exporter.pandoc import markdown_to_ast

    text = "El color del modelo cambió el 30 de noviembre de 2022.\n\nEl perro come.\n"
    meta = Metadata(title="Prueba", lang="es", date=dt.date(2023, 1, 1), slug="prueba")
    document = Document(meta, markdown_to_ast(text), None, "es", text)
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        us = translate_with_report(document, "en", settings_for(tmp_path), memory=memory)
        again = translate_with_report(document, "en", settings_for(tmp_path), memory=memory)
        gb = translate_with_report(document, "en", settings_for(tmp_path, variant="en_GB"), memory=memory)
    assert us.report.sent > 0 and again.report.sent == 0 and again.report.engine == "apertium"
    assert gb.report.from_memory == 0 and gb.report.sent == us.report.sent
    assert us.translations["u1"] == "The color of the model changed on November 30, 2022."
    assert gb.translations["u1"] == "The colour of the model changed on 30 November 2022."


def test_glossary_terms_match_either_apostrophe():
    from exporter.translate.glossary import Glossary

    glossary = Glossary(("Let's Data Science",), {"let’s go": "vamos"})
    assert glossary.keep_pattern().search("Según Let’s Data Science").group(0) == "Let’s Data Science"
    assert glossary.forced("Let's go") == "Vamos"
