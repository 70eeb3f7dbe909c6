"""Translation memory: nothing is sent twice, an edit sends only itself, two processes share one file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

from exporter.document import load_document
from exporter.translate import FakeTranslator, TranslationMemory, translate_with_report
from exporter.translate.apertium import ApertiumTranslator
from exporter.translate.engines import outside_placeholders
from exporter.translate.memory import normalise
from tests.translate_support import SAMPLE, settings_for

EDITED = "Gracias por leer este número de prueba."


def edited_sample(tmp_path, old="Gracias por leer.", new=EDITED):
    folder = tmp_path / "edited"
    folder.mkdir(exist_ok=True)
    for item in SAMPLE.parent.iterdir():
        (folder / item.name).write_bytes(item.read_bytes())
    source = folder / "index.md"
    source.write_text(SAMPLE.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return load_document(source)


def test_a_second_run_sends_nothing_and_an_edit_sends_only_its_unit(tmp_path):
    settings = settings_for(tmp_path)
    fake = FakeTranslator(outside_placeholders(str.upper))
    first = translate_with_report(load_document(SAMPLE), "en", settings, translator=fake)
    assert first.report.sent == first.report.units == 27 and first.report.chars_sent == fake.chars > 600

    second = translate_with_report(load_document(SAMPLE), "en", settings, translator=fake)
    assert (second.report.sent, second.report.chars_sent, second.report.from_memory) == (0, 0, 27)
    assert len(fake.calls) == 1  # the engine was not even called
    assert second.document.ast == first.document.ast

    third = translate_with_report(edited_sample(tmp_path), "en", settings, translator=fake)
    assert fake.calls[-1] == [EDITED]
    assert (third.report.sent, third.report.chars_sent, third.report.from_memory) == (1, len(EDITED), 26)
    assert third.translations["u24"] == "GRACIAS POR LEER ESTE NÚMERO DE PRUEBA."


def test_memory_is_keyed_by_engine_and_language_pair(tmp_path):
    settings = settings_for(tmp_path)
    one = FakeTranslator(str.upper, name="one")
    two = FakeTranslator(str.lower, name="two")
    document = load_document(SAMPLE)
    translate_with_report(document, "en", settings, translator=one)
    assert translate_with_report(document, "en", settings, translator=two).report.from_memory == 0
    assert translate_with_report(document, "fr", settings, translator=one).report.from_memory == 0
    assert translate_with_report(document, "en", settings, translator=one).report.from_memory == 27


def test_keys_are_normalised(tmp_path):
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        memory.store("fake", "es", "en", "Hola   mundo\n", "Hello world")
        assert memory.lookup("fake", "es", "en", " Hola mundo") == "Hello world"
        assert normalise("Cafe\u0301  con leche ") == "Café con leche"


def test_the_default_memory_lives_in_the_project(tmp_path):
    translate_with_report(load_document(SAMPLE), "en", settings_for(tmp_path),
                          translator=FakeTranslator(str.upper))
    database = tmp_path / ".newsletter-cache" / "translations.sqlite"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == 26  # 27 units, one text twice


def test_apertium_batches_use_the_memory_too(tmp_path):
    settings = settings_for(tmp_path)
    before = ApertiumTranslator.processes
    translate_with_report(load_document(SAMPLE), "en", settings)
    translate_with_report(load_document(SAMPLE), "en", settings)
    assert ApertiumTranslator.processes - before == 1
    result = translate_with_report(edited_sample(tmp_path), "en", settings)
    assert (result.report.sent, result.report.chars_sent) == (1, len(EDITED))
    assert ApertiumTranslator.processes - before == 2


def test_an_edition_and_its_diagram_texts_start_one_apertium_process(tmp_path):
    from exporter.build import editions_of
    from exporter.edition_assets import svg_strings

    before = ApertiumTranslator.processes
    source, english = editions_of(load_document(SAMPLE), ["es", "en"], settings_for(tmp_path), None)
    assert ApertiumTranslator.processes - before == 1  # the diagram's texts rode along with the body's
    figure = (english.asset_dir / "figure.en.svg").read_bytes()
    assert b'xml:lang="en"' in figure and svg_strings(figure)  # the English diagram was made


WRITER = textwrap.dedent("""
    import sys
    from exporter.translate.memory import TranslationMemory
    memory = TranslationMemory(sys.argv[1])
    for index in range(300):
        memory.store("fake", "es", "en", f"{sys.argv[2]} {index}", f"translation {index}")
        assert memory.lookup("fake", "es", "en", f"{sys.argv[2]} {index % 7}") is not None
""")


def test_two_processes_can_write_at_once(tmp_path):
    database = tmp_path / "shared.sqlite"
    TranslationMemory(database).close()
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(database), name], stderr=subprocess.PIPE)
               for name in ("uno", "dos")]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read().decode()
    with TranslationMemory(database) as memory:
        count = memory.db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    assert count == 600
