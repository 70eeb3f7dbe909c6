"""Quality flags: each fires on a crafted unit and stays quiet on a correct one; shown in stats, exports and check."""

from __future__ import annotations

import re

import polib
import pytest
from click.testing import CliRunner

from exporter.cli import cli
from exporter.config import load_settings
from exporter.document import load_document
from exporter.translate import TranslationMemory, translate_with_report
from exporter.translate.pipeline import memory_engine
from exporter.translate.quality import needs_look_summary, number_value, unit_flags

CODE = '<x id="1"/>'


def codes(source, target, source_lang="es", target_lang="en", unknown=(), known=frozenset()):
    return [flag.code for flag in unit_flags(source, target, source_lang, target_lang, unknown, known)]


CASES = {  # flag: (source, a bad translation, a correct translation)
    "unknown-words": ("El modelo alucina a menudo.", "The model alucina often.", "The model often hallucinates."),
    "numbers": ("Cuesta 0,002 dólares por cada 1.000 tokens.", "It costs 0,002 dollars for every 1.000 tokens.",
                "It costs 0.002 dollars for every 1,000 tokens."),
    "names": ("El modelo de Meta AI se llama Llama 2.", "The model of Dip AI is called It calls 2.",
              "The model by Meta AI is called Llama 2."),
    "source-language": ("Gracias por leer este número hasta el final.",
                        "Gracias por leer este número hasta el final.", "Thanks for reading this issue to the end."),
    "length": ("Los modelos de lenguaje grandes cambiaron el año.", "Models.",
               "Large language models changed the year."),
    "negation": (f"Ninguna salida del modelo debería llegar a un {CODE}.",
                 f"Any start of the model would have to arrive to a {CODE}.",
                 f"No output of the model should ever reach an {CODE}."),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_flag_fires_on_a_crafted_unit_and_stays_quiet_on_a_correct_one(code):
    source, bad, good = CASES[code]
    unknown = ("alucina",) if code == "unknown-words" else ()
    assert code in codes(source, bad, unknown=unknown)
    assert codes(source, good) == []


def test_the_flags_messages_say_what_differs():
    numbers, = unit_flags(*CASES["numbers"][:2], "es", "en")
    assert numbers.message == ("numbers differ: 0,002, 1.000 in the source, 0,002, 1.000 in the translation "
                               "(in 'en': 0.002, 1,000)")
    names, = unit_flags(*CASES["names"][:2], "es", "en")
    assert names.message == "names missing from the translation: Meta, Llama"
    negation, = unit_flags(*CASES["negation"][:2], "es", "en")
    assert negation.message == "a negation in the source only"
    assert str(unit_flags("Hola a todos.", "Hello everyone.", "es", "en", ["a", "b", "c", "d", "e", "f", "g"])[0]) \
        == "unknown-words: the engine did not know a, b, c, d, e and 2 more"


def test_numbers_are_read_in_each_languages_format():
    assert number_value("1.000", "es") == number_value("1,000", "en") == 1000
    assert number_value("0,002", "es") == number_value("0.002", "en")
    assert number_value("0,002", "en") != number_value("0,002", "es")  # left in Spanish format: flagged
    assert number_value("1\u202f000,5", "fr") == number_value("1,000.5", "en")
    assert codes("En 2023 hubo 3 lanzamientos.", "In 2023 there were 3 launches.") == []


def test_placeholders_acronyms_and_sentence_starts_are_not_names_or_numbers():
    assert codes('La IA de <g id="2">OpenAI</g> no es perfecta.', 'The AI from <g id="2">OpenAI</g> is not perfect.') \
        == []
    assert codes("Mañana llega.", "Tomorrow arrives.") == []  # a capital at the start of a sentence is no name
    assert codes('Ver <x id="12"/> y <x id="13"/>.', 'See <x id="12"/> and <x id="13"/>.') == []


def test_needs_look_summary_counts_units_and_reasons():
    flags = {"u1": unit_flags(*CASES["numbers"][:2], "es", "en"), "u2": [],
             "u3": unit_flags(*CASES["names"][:2], "es", "en") + unit_flags(*CASES["numbers"][:2], "es", "en")}
    assert needs_look_summary(flags, 3) == "2 of 3 units need a human look (numbers 2, names 1)"
    assert needs_look_summary({}, 5) == "0 of 5 units need a human look"


@pytest.fixture
def flagged_project(project):
    """The sample in es and en, with a cached machine translation that drops a number and a negation."""
    config = project / "newsletter.toml"
    config.write_text(config.read_text().replace('languages = ["es"]', 'languages = ["es", "en"]'))
    source = project / "source" / "sample" / "index.md"
    source.write_text(source.read_text().replace(
        "Gracias por leer.", "Gracias por leer. No hay 3 números más este año."))
    settings = load_settings(project)
    document = load_document(source)
    units = translate_with_report(document, "en", settings).units
    last = next(u for u in units if u.text.startswith("Gracias"))
    with TranslationMemory.for_settings(settings) as memory:
        memory.store(memory_engine("apertium", settings), "es", "en", last.text, "Thanks for reading. There are more numbers this year.")
    return project, last.id


def test_flags_show_in_stats_po_xliff_and_check(flagged_project):
    project, unit = flagged_project
    runner = CliRunner()
    stats = runner.invoke(cli, ["translate", "source/sample", "--to", "en", "-o", "en.md", "--stats", "json"])
    assert stats.exit_code == 0
    assert re.search(r"\b[1-9]\d* of 27 units need a human look \(.*numbers 1.*\)", stats.output), stats.output
    assert '"needs_look": ' in stats.output

    assert runner.invoke(cli, ["translate", "export", "source/sample", "--to", "en", "-o", "r.po"]).exit_code == 0
    entry = next(e for e in polib.pofile(str(project / "r.po")) if e.msgctxt == unit)
    assert {"qa-numbers", "qa-negation"} <= set(entry.flags) and "fuzzy" not in entry.flags
    assert "quality: numbers: numbers differ: 3 in the source, none in the translation" in entry.comment
    assert runner.invoke(cli, ["translate", "export", "source/sample", "--to", "en", "--format", "xliff",
                               "-o", "r.xliff"]).exit_code == 0
    xliff = (project / "r.xliff").read_text()
    assert '<note from="quality">negation: a negation in the source only</note>' in xliff

    checked = runner.invoke(cli, ["check", "--sources-only"])
    expected = rf"index\.md:\d+: needs-look \(warning\) en: unit {unit}: numbers: .*; negation: "
    assert re.search(expected, checked.output), checked.output
    assert checked.exit_code == 0  # warnings only
    assert runner.invoke(cli, ["check", "--sources-only", "--strict"]).exit_code == 1


def test_reviewed_units_carry_no_flags(flagged_project):
    project, unit = flagged_project
    from exporter.translate.review_files import save_reviewed_unit

    settings = load_settings(project)
    document = load_document(project / "source" / "sample" / "index.md")
    before = translate_with_report(document, "en", settings)
    assert before.quality()[unit]
    text = next(u.text for u in before.units if u.id == unit)
    save_reviewed_unit(document, "en", unit, text, "Thanks for reading. There are no 3 more issues this year.")
    after = translate_with_report(document, "en", settings)
    assert unit not in after.quality()
    assert "needs-look" not in CliRunner().invoke(cli, ["check", "--sources-only"]).output


def test_an_engine_that_reports_unknown_words_gets_them_flagged(project):
    from exporter.translate import FakeTranslator
    from exporter.translate.engines import outside_placeholders

    class MarkingTranslator(FakeTranslator):
        """Upper-cases every unit and, like Apertium asked to mark them, reports the words it did not know."""

        def translate(self, texts, source, target):
            self.unknown_words = {text: ("boletín",) for text in texts if "boletín" in text}
            return super().translate(texts, source, target)

    def flagged(result) -> set[str]:
        return {unit for unit, flags in result.quality().items() if "unknown-words" in [f.code for f in flags]}

    document = load_document(project / "source" / "sample" / "index.md")
    marking = MarkingTranslator(outside_placeholders(str.upper))
    memory = TranslationMemory(":memory:")
    result = translate_with_report(document, "en", load_settings(project), translator=marking, memory=memory)
    assert flagged(result) and flagged(result) == {u.id for u in result.units if "boletín" in u.text}
    again = translate_with_report(document, "en", load_settings(project), translator=marking, memory=memory)
    assert again.report.from_memory == again.report.units  # nothing sent: the memory keeps the flags too
    assert flagged(again) == flagged(result)


def test_a_recurring_name_is_a_name_even_at_the_start_of_a_sentence():
    from exporter.translate.quality import document_names

    texts = ["Meta presentó LLaMA el 24 de febrero.", "Meta AI, presentación de LLaMA.", "Meta (con Microsoft)",
             "Libro de Packt.", "Libro de cocina.", "Entrenar un modelo.", "Let’s Data Science, sobre RAG."]
    known = document_names(texts)
    assert "Meta" in known and "Libro" not in known and "Entrenar" not in known
    assert codes(texts[0], "It dip it presented LLaMA on 24 February.", known=known) == ["names"]
    assert codes(texts[0], "Meta presented LLaMA on 24 February.", known=known) == []
    assert codes(texts[0], "It dip it presented LLaMA on 24 February.") == []  # without the document: no way to tell
    assert codes(texts[-1], "Let's Data Science, on RAG.") == []  # ’ and ' are the same apostrophe


def test_a_name_written_the_target_languages_way_is_not_missing():
    assert codes("Microsoft abrió una oficina en París y otra en Europa.",
                 "Microsoft opened an office in Paris and another in Europe.") == []
    assert codes("El modelo de Meta AI se llama Llama 2.", "The model of Metaphor AI is called Llama 2.") == ["names"]
    assert codes("El informe de Data Science.", "The report of Dates Science.") == ["names"]  # Data ≠ Dates
