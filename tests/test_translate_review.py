"""Human review: PO and XLIFF out and back in; reviewed text wins in every format; changed sources are flagged."""

from __future__ import annotations

import re
import zipfile

import polib
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from exporter.cli import cli
from exporter.config import load_settings
from exporter.document import load_document
from exporter.translate import TranslationMemory, translate_with_report

REVIEWED = "Thanks for reading, dear reviewer."
REVIEWED_TITLE = "Reviewed test newsletter"


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


@pytest.fixture
def bilingual(project):
    config = project / "newsletter.toml"
    config.write_text(config.read_text().replace('languages = ["es"]', 'languages = ["es", "en"]'))
    return project


def edit_po(path, changes: dict[str, str]):
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in changes:
            entry.msgstr = changes[entry.msgid]
    po.save(str(path))


def texts_of_edition(folder) -> dict[str, str]:
    """The visible text of each format of one edition."""
    pdf = " ".join(page.extract_text() for page in PdfReader(folder / "sample.pdf").pages)
    with zipfile.ZipFile(folder / "sample.epub") as epub:
        xhtml = " ".join(epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml"))
    return {"pdf": " ".join(pdf.split()), "epub": xhtml, "email": (folder / "sample.email.html").read_text(),
            "web": (folder / "sample.html").read_text()}


def test_a_po_edit_appears_in_the_next_builds_pdf_epub_email_and_web_page(bilingual):
    assert run("build", "--lang", "en").exit_code == 0
    edition = bilingual / "output" / "sample" / "en"
    before = texts_of_edition(edition)
    assert all("Thank you" in text for text in before.values()), before["pdf"][-300:]

    exported = run("translate", "export", "source/sample", "--to", "en", "--format", "po", "-o", "review.po")
    assert exported.exit_code == 0, exported.output
    po = polib.pofile(str(bilingual / "review.po"))
    assert len(po) == 28 and po.metadata["X-Document"] == "sample" and po.metadata["Language"] == "en"
    assert {entry.msgctxt for entry in po} >= {"title", "subtitle", "summary", "u1", "u24", "svg-u1"}  # + figure.svg
    assert all(entry.msgstr for entry in po)  # every unit carries its machine translation
    edit_po(bilingual / "review.po", {"Gracias por leer.": REVIEWED, "Boletín de prueba": REVIEWED_TITLE})

    imported = run("translate", "import", "review.po")
    assert imported.exit_code == 0 and "imported 2 reviewed translation(s)" in imported.output

    assert run("build", "--lang", "en").exit_code == 0
    after = texts_of_edition(edition)
    for name, text in after.items():
        assert REVIEWED in text, f"the reviewed paragraph is missing from the {name} edition"
        assert REVIEWED_TITLE in text, f"the reviewed title is missing from the {name} edition"
        assert "Thank you For reading" not in text


def test_an_xliff_edit_is_used_and_a_changed_source_is_flagged(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "--format", "xliff", "-o", "r.xliff").exit_code == 0
    xliff = (bilingual / "r.xliff").read_text()
    assert 'source-language="es" target-language="en"' in xliff
    assert '<source>Este número de prueba reúne' in xliff and '<x id="3"/>' in xliff
    edited = re.sub(r'(<source>Gracias por leer\.</source>\s*<target state=")translated(">)[^<]*',
                    rf"\1final\2{REVIEWED}", xliff)
    assert edited != xliff
    (bilingual / "r.xliff").write_text(edited)
    assert run("translate", "import", "r.xliff").exit_code == 0

    settings = load_settings(bilingual)
    source = bilingual / "source" / "sample" / "index.md"
    with TranslationMemory.for_settings(settings) as memory:
        result = translate_with_report(load_document(source), "en", settings, memory=memory)
        assert result.translations["u24"] == REVIEWED and result.report.human == 1 and result.report.flagged == []

        source.write_text(source.read_text().replace("Gracias por leer.", "Gracias por leer hasta el final."))
        changed = translate_with_report(load_document(source), "en", settings, memory=memory)
    assert changed.report.flagged == ["u24"] and changed.report.human == 0
    assert changed.translations["u24"] != REVIEWED
    from exporter.translate.memory import flagged_units

    assert flagged_units(settings, load_document(source)) == ["en:u24"]  # what `newsletter check` reports
    warned = run("translate", "source/sample", "--to", "en", "-o", "en.md")
    assert "warning: sample (en): unit u24 changed since it was reviewed" in warned.output

    assert run("translate", "export", "source/sample", "--to", "en", "-o", "again.po").exit_code == 0
    flagged = [entry.msgctxt for entry in polib.pofile(str(bilingual / "again.po")) if "fuzzy" in entry.flags]
    assert flagged == ["u24"]


def test_an_import_that_breaks_placeholders_is_refused_with_its_line(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "-o", "review.po").exit_code == 0
    po = polib.pofile(str(bilingual / "review.po"))
    entry = next(e for e in po if e.msgctxt == "u2")
    entry.msgstr = re.sub(r"<x id=\"3\"/>", "inline code", entry.msgstr)
    po.save(str(bilingual / "review.po"))
    result = run("translate", "import", "review.po")
    assert result.exit_code == 1
    assert re.search(r'error: review.po:\d+: unit u2: lost <x id="3"/>; keep every placeholder', result.output)
    with TranslationMemory.for_settings(load_settings(bilingual)) as memory:
        assert memory.db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
