"""Human review: PO and XLIFF out and back in; reviews live in a file beside the source and win everywhere."""

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
from exporter.errors import TranslationError
from exporter.translate import TranslationMemory, translate_with_report
from exporter.translate.review_files import read_reviews, review_file, save_reviewed_unit

REVIEWED = "Thanks for reading, dear reviewer."
REVIEWED_TITLE = "Reviewed test newsletter"
CAPTION = "Diagrama: de Markdown a PDF, EPUB y correo"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


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


def edit_xliff(path, source_start: str, translation: str, state: str = "final"):
    text = path.read_text()
    edited = re.sub(rf'(<source>{re.escape(source_start)}[^<]*</source>\s*<target state=")[^"]*(">)[^<]*',
                    rf"\g<1>{state}\g<2>{translation}", text)
    assert edited != text
    path.write_text(edited)


def sample(project):
    return load_document(project / "source" / "sample" / "index.md")


def texts_of_edition(folder) -> dict[str, str]:
    """The visible text of each format of one edition."""
    pdf = " ".join(page.extract_text() for page in PdfReader(folder / "sample.pdf").pages)
    with zipfile.ZipFile(folder / "sample.epub") as epub:
        xhtml = " ".join(epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml"))
    return {"pdf": " ".join(pdf.split()), "epub": xhtml, "email": (folder / "sample.email.html").read_text(),
            "web": (folder / "sample.html").read_text()}


def test_a_po_edit_lands_in_the_review_file_and_in_the_next_builds_every_format(bilingual):
    assert run("build", "--lang", "en").exit_code == 0
    edition = bilingual / "output" / "sample" / "en"
    before = texts_of_edition(edition)
    assert all("Thank you" in text for text in before.values()), before["pdf"][-300:]

    exported = run("translate", "export", "source/sample", "--to", "en", "--format", "po", "-o", "review.po")
    assert exported.exit_code == 0, exported.output
    po = polib.pofile(str(bilingual / "review.po"))
    assert len(po) == 27 and po.metadata["X-Document"] == "sample" and po.metadata["Language"] == "en"
    assert {entry.msgctxt for entry in po} >= {"title", "subtitle", "summary", "u1", "u24", "svg-u1"}  # + figure.svg
    assert all(entry.msgstr for entry in po)  # every unit carries its machine translation
    assert all(f"exported: {entry.msgstr}" in entry.comment for entry in po)
    edit_po(bilingual / "review.po", {"Gracias por leer.": REVIEWED, "Boletín de prueba": REVIEWED_TITLE})

    imported = run("translate", "import", "review.po")
    assert imported.exit_code == 0 and "imported 2 reviewed translation(s)" in imported.output
    kept = bilingual / "source" / "sample" / "sample.en.po"
    assert "source/sample/sample.en.po (25 unchanged)" in imported.output
    assert review_file(sample(bilingual), "en") == kept
    stored = polib.pofile(str(kept))
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in stored] == [
        ("title", "Boletín de prueba", REVIEWED_TITLE), ("u24", "Gracias por leer.", REVIEWED)]
    assert "Date" not in kept.read_text()  # nothing that changes from one import to the next

    assert run("build", "--lang", "en").exit_code == 0
    after = texts_of_edition(edition)
    for name, text in after.items():
        assert REVIEWED in text, f"the reviewed paragraph is missing from the {name} edition"
        assert REVIEWED_TITLE in text, f"the reviewed title is missing from the {name} edition"
    with TranslationMemory.for_settings(load_settings(bilingual)) as memory:
        assert memory.db.execute("SELECT COUNT(*) FROM translations WHERE target_text = ?",
                                 (REVIEWED,)).fetchone()[0] == 0  # the memory caches machine output only


def test_one_review_item_per_repeated_text(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "-o", "review.po").exit_code == 0
    entries = [entry for entry in polib.pofile(str(bilingual / "review.po")) if entry.msgid == CAPTION]
    assert len(entries) == 1 and "also units: u5" in entries[0].comment  # the image's alt text and its caption
    edit_po(bilingual / "review.po", {CAPTION: "Diagram: from Markdown to PDF, EPUB and email"})
    assert run("translate", "import", "review.po").exit_code == 0
    settings = load_settings(bilingual)
    result = translate_with_report(sample(bilingual), "en", settings)
    assert result.translations["u4"] == result.translations["u5"] == "Diagram: from Markdown to PDF, EPUB and email"
    assert result.report.human == 2 and result.report.reviewed == ["u4", "u5"]


def test_po_then_xliff_imports_keep_both_sets_of_edits(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "--format", "po", "-o", "r.po").exit_code == 0
    assert run("translate", "export", "source/sample", "--to", "en", "--format", "xliff",
               "-o", "r.xliff").exit_code == 0
    edit_po(bilingual / "r.po", {"Gracias por leer.": REVIEWED, "Boletín de prueba": REVIEWED_TITLE})
    assert run("translate", "import", "r.po").exit_code == 0
    edit_xliff(bilingual / "r.xliff", "Introducción", "Foreword")
    imported = run("translate", "import", "r.xliff")
    assert imported.exit_code == 0 and "imported 1 reviewed translation(s)" in imported.output, imported.output

    reviews = read_reviews(sample(bilingual), "en")
    assert {r.unit: r.translation for r in reviews.entries.values()} == {
        "title": REVIEWED_TITLE, "u24": REVIEWED, "u1": "Foreword"}
    again = run("translate", "import", "r.po")  # importing the first file again undoes nothing either
    assert again.exit_code == 0 and "imported 0 reviewed translation(s)" in again.output
    result = translate_with_report(sample(bilingual), "en", load_settings(bilingual))
    assert [result.translations[u] for u in ("title", "u1", "u24")] == [REVIEWED_TITLE, "Foreword", REVIEWED]


def test_the_same_unit_edited_differently_in_two_files_is_a_reported_conflict(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "-o", "a.po").exit_code == 0
    assert run("translate", "export", "source/sample", "--to", "en", "--format", "xliff",
               "-o", "b.xliff").exit_code == 0
    edit_po(bilingual / "a.po", {"Gracias por leer.": REVIEWED})
    assert run("translate", "import", "a.po").exit_code == 0
    edit_xliff(bilingual / "b.xliff", "Gracias por leer.", "Many thanks for reading.")
    edit_xliff(bilingual / "b.xliff", "Introducción", "Foreword")
    result = run("translate", "import", "b.xliff")
    assert result.exit_code == 1
    assert re.search(r"error: b\.xliff:\d+: unit u24: conflict: sample\.en\.po:\d+ has another translation",
                     result.output), result.output
    assert "1 entry(ies) refused" in result.output and "the 1 good edit(s) were stored" in result.output
    reviews = read_reviews(sample(bilingual), "en")
    assert {r.unit: r.translation for r in reviews.entries.values()} == {"u24": REVIEWED, "u1": "Foreword"}


def test_every_bad_unit_is_reported_with_its_msgstr_line_and_good_edits_are_kept(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "-o", "review.po").exit_code == 0
    path = bilingual / "review.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgctxt == "u2":
            entry.msgstr = entry.msgstr.replace('<x id="3"/>', "inline code")
        elif entry.msgctxt == "u13":
            entry.msgstr = entry.msgstr + ' <x id="9"/>'
        elif entry.msgctxt == "u24":
            entry.msgstr = REVIEWED
    po.save(str(path))
    lines = path.read_text().splitlines()
    starts = {u: lines.index(f'msgctxt "{u}"') for u in ("u2", "u13")}
    expected = {u: next(i + 1 for i in range(start, len(lines)) if lines[i].startswith("msgstr"))
                for u, start in starts.items()}

    result = run("translate", "import", "review.po")
    assert result.exit_code == 1
    assert f'error: review.po:{expected["u2"]}: unit u2: lost <x id="3"/>; keep every placeholder' in result.output
    assert f"error: review.po:{expected['u13']}: unit u13:" in result.output
    assert "2 entry(ies) refused" in result.output, result.output
    reviews = read_reviews(sample(bilingual), "en")
    assert [(r.unit, r.translation) for r in reviews.entries.values()] == [("u24", REVIEWED)]


def test_a_changed_source_flags_its_review_which_is_kept_and_can_be_approved(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "--format", "xliff",
               "-o", "r.xliff").exit_code == 0
    xliff = (bilingual / "r.xliff").read_text()
    assert 'source-language="es" target-language="en"' in xliff
    assert '<source>Este número de prueba reúne' in xliff and '<x id="3"/>' in xliff
    edit_xliff(bilingual / "r.xliff", "Gracias por leer.", REVIEWED)
    assert run("translate", "import", "r.xliff").exit_code == 0

    settings = load_settings(bilingual)
    source = bilingual / "source" / "sample" / "index.md"
    result = translate_with_report(load_document(source), "en", settings)
    assert result.translations["u24"] == REVIEWED and result.report.human == 1 and result.report.flagged == []

    source.write_text(source.read_text().replace("Gracias por leer.", "Gracias por leer hasta el final."))
    changed = translate_with_report(load_document(source), "en", settings)
    assert changed.report.flagged == ["u24"] and changed.report.human == 0
    assert changed.translations["u24"] != REVIEWED
    assert changed.report.stats()["stale_reviews"] == 1
    warned = run("translate", "source/sample", "--to", "en", "-o", "en.md")
    assert re.search(r"warning: \S*source/sample/sample\.en\.po:\d+: sample \(en\): unit u24 changed since it "
                     r"was reviewed", warned.output), warned.output
    checked = run("check", "--sources-only")
    assert re.search(r"sample\.en\.po:\d+: stale-review \(warning\) en: unit u24 changed", checked.output), \
        checked.output
    assert len(read_reviews(load_document(source), "en").entries) == 1  # kept, not dropped

    assert run("translate", "export", "source/sample", "--to", "en", "-o", "again.po").exit_code == 0
    stale = [e for e in polib.pofile(str(bilingual / "again.po")) if "fuzzy" in e.flags]
    assert [(e.msgctxt, e.previous_msgid, e.msgstr) for e in stale] == [("u24", "Gracias por leer.", REVIEWED)]
    po = polib.pofile(str(bilingual / "again.po"))
    for entry in po:
        if entry.msgctxt == "u24":
            entry.flags.remove("fuzzy")  # the reviewer approves the old translation for the new text
    po.save(str(bilingual / "again.po"))
    assert run("translate", "import", "again.po").exit_code == 0
    reviews = read_reviews(load_document(source), "en")
    assert [(r.unit, r.source, r.translation) for r in reviews.entries.values()] == [
        ("u24", "Gracias por leer hasta el final.", REVIEWED)]  # the stale entry is superseded
    assert translate_with_report(load_document(source), "en", settings).report.flagged == []


def test_save_reviewed_unit_checks_placeholders_and_writes_beside_the_source(bilingual):
    document = sample(bilingual)
    units = {u.id: u for u in translate_with_report(document, "en", load_settings(bilingual)).units}
    with pytest.raises(TranslationError, match=r'unit u2: lost <g id="1">.*lost <x id="3"/>'):
        save_reviewed_unit(document, "en", "u2", units["u2"].text, "No placeholders at all.")
    assert not review_file(document, "en").exists()
    path = save_reviewed_unit(document, "en", "u24", units["u24"].text, REVIEWED)
    assert path == bilingual / "source" / "sample" / "sample.en.po"
    assert translate_with_report(document, "en", load_settings(bilingual)).translations["u24"] == REVIEWED


def test_a_single_file_issue_keeps_its_reviews_beside_it(tmp_path):
    source = tmp_path / "source" / "short.md"
    source.parent.mkdir()
    source.write_text("---\ntitle: Corto\nlang: es\ndate: 2023-10-16\n---\n\nHola.\n")
    assert review_file(load_document(source), "en") == tmp_path / "source" / "short.en.po"


def test_reviews_saved_at_once_are_all_kept(bilingual):
    from concurrent.futures import ThreadPoolExecutor

    document = sample(bilingual)
    units = translate_with_report(document, "en", load_settings(bilingual)).units
    units = list({u.text: u for u in reversed(units) if "<" not in u.text}.values())  # one per distinct text
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda u: save_reviewed_unit(document, "en", u.id, u.text, f"Reviewed {u.id}"), units))
    reviews = read_reviews(document, "en")
    assert len(units) > 8 and {r.unit: r.translation for r in reviews.entries.values()} == {
        u.id: f"Reviewed {u.id}" for u in units}


def test_a_changed_review_file_rebuilds_only_the_translated_edition(bilingual):
    assert run("build", "-f", "html").exit_code == 0
    page = bilingual / "output" / "sample" / "en" / "sample.html"
    source_page = bilingual / "output" / "sample" / "es" / "sample.html"
    stamps = page.stat().st_mtime_ns, source_page.stat().st_mtime_ns
    document = sample(bilingual)
    text = next(u.text for u in translate_with_report(document, "en", load_settings(bilingual)).units
                if u.id == "u24")
    path = save_reviewed_unit(document, "en", "u24", text, REVIEWED)
    assert run("build", "-f", "html").exit_code == 0
    assert REVIEWED in page.read_text() and page.stat().st_mtime_ns != stamps[0]
    assert source_page.stat().st_mtime_ns == stamps[1]
    path.write_text(path.read_text().replace(REVIEWED, "Edited by hand in the review file."))
    assert run("build", "-f", "html").exit_code == 0
    assert "Edited by hand in the review file." in page.read_text()


def test_a_translated_edition_is_refused_by_save_reviewed_unit(bilingual):
    edition = translate_with_report(sample(bilingual), "en", load_settings(bilingual)).document
    with pytest.raises(TranslationError, match="not its 'en' edition"):
        save_reviewed_unit(edition, "en", "u24", "Gracias por leer.", REVIEWED)


def test_a_review_file_left_with_merge_conflict_markers_warns_with_its_line_and_the_build_goes_on(bilingual):
    document = sample(bilingual)
    path = save_reviewed_unit(document, "en", "u24", "Gracias por leer.", REVIEWED)
    text = path.read_text()
    path.write_text(text.replace(f'msgstr "{REVIEWED}"',
                                 f'<<<<<<< HEAD\nmsgstr "{REVIEWED}"\n=======\nmsgstr "Thanks!"\n>>>>>>> theirs'))
    line = path.read_text().splitlines().index("<<<<<<< HEAD") + 1
    built = run("build", "--lang", "en", "-f", "html")
    assert built.exit_code == 0
    assert f"warning: {path}:{line}: not a readable review file (Syntax error in review file); a merge conflict " \
           "left in it?: machine translation used for every unit" in built.output, built.output
    assert "Thank you" in (bilingual / "output" / "sample" / "en" / "sample.html").read_text()
    with pytest.raises(TranslationError, match="not a readable review file"):  # never overwritten while broken
        save_reviewed_unit(document, "en", "title", "Boletín de prueba", REVIEWED_TITLE)
    assert "<<<<<<< HEAD" in path.read_text()


def test_an_export_never_overwrites_the_review_file(bilingual, monkeypatch):
    monkeypatch.chdir(bilingual / "source" / "sample")
    result = run("translate", "export", ".", "--to", "en")  # the default name would be sample.en.po, here
    assert result.exit_code == 2 and "sample.en.po is the issue's review file" in result.output
    assert not (bilingual / "source" / "sample" / "sample.en.po").exists()


def test_a_stale_review_is_approved_in_xliff_by_changing_its_state(bilingual):
    document = sample(bilingual)
    save_reviewed_unit(document, "en", "u24", "Gracias por leer.", REVIEWED)
    source = bilingual / "source" / "sample" / "index.md"
    source.write_text(source.read_text().replace("Gracias por leer.", "Gracias por leernos."))
    assert run("translate", "export", "source/sample", "--to", "en", "--format", "xliff",
               "-o", "r.xliff").exit_code == 0
    xliff = (bilingual / "r.xliff").read_text()
    assert re.search(r'<source>Gracias por leernos\.</source>\s*<target state="needs-review-translation">'
                     + re.escape(REVIEWED), xliff)
    assert '<note from="stale">reviewed when the source was: Gracias por leer.</note>' in xliff
    untouched = run("translate", "import", "r.xliff")  # still needs review: nothing approved
    assert untouched.exit_code == 0 and "imported 0 reviewed translation(s)" in untouched.output
    edit_xliff(bilingual / "r.xliff", "Gracias por leernos.", REVIEWED, state="translated")
    assert run("translate", "import", "r.xliff").exit_code == 0
    reviews = read_reviews(load_document(source), "en")
    assert [(r.unit, r.source, r.translation) for r in reviews.entries.values()] == [
        ("u24", "Gracias por leernos.", REVIEWED)]


def test_a_rewrapped_file_imports_only_real_edits_and_a_diagram_review_is_not_called_stale(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "-o", "review.po").exit_code == 0
    po = polib.pofile(str(bilingual / "review.po"), wrapwidth=12)
    diagram = next(entry for entry in po if entry.msgctxt == "svg-u1")
    diagram.msgstr = "Reviewed diagram label"
    po.wrapwidth = 12  # a PO editor rewraps comments too, at spaces and after hyphens
    po.save(str(bilingual / "review.po"))
    assert any(line.rstrip().endswith("-") for line in (bilingual / "review.po").read_text().splitlines()
               if line.startswith("#. "))

    imported = run("translate", "import", "review.po")
    assert imported.exit_code == 0 and "imported 1 reviewed translation(s)" in imported.output, imported.output
    assert "changed since the export" not in imported.output
    stored = read_reviews(sample(bilingual), "en")
    assert [(review.unit, review.translation) for review in stored.entries.values()] == [
        ("svg-u1", "Reviewed diagram label")]


def test_approving_a_stale_review_whose_unit_moved_supersedes_the_old_one(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "-o", "r.po").exit_code == 0
    edit_po(bilingual / "r.po", {"Gracias por leer.": REVIEWED})
    assert run("translate", "import", "r.po").exit_code == 0
    source = bilingual / "source" / "sample" / "index.md"
    text = source.read_text()
    first = next(line for line in text.splitlines() if line.startswith("Este número de prueba"))
    source.write_text(text.replace(first, "Un párrafo nuevo.\n\n" + first).replace(
        "Gracias por leer.", "Gracias por leer hasta el final."))  # every later unit id moves by one

    assert run("translate", "export", "source/sample", "--to", "en", "--format", "xliff",
               "-o", "again.xliff").exit_code == 0
    tree = (bilingual / "again.xliff").read_text()
    stale = re.search(r'<trans-unit id="(u\d+)">(?:(?!</trans-unit>).)*?from="stale"', tree, re.S)
    assert stale, tree[-2000:]
    edited = re.sub(rf'(<trans-unit id="{stale.group(1)}">(?:(?!</trans-unit>).)*?<target state=")[^"]*(">)[^<]*',
                    rf"\g<1>final\g<2>Thank you for reading to the end.", tree, count=1, flags=re.S)
    (bilingual / "again.xliff").write_text(edited)
    imported = run("translate", "import", "again.xliff")
    assert imported.exit_code == 0, imported.output

    reviews = read_reviews(load_document(source), "en")
    assert "Gracias por leer." not in {review.source for review in reviews.entries.values()}  # superseded
    assert translate_with_report(load_document(source), "en", load_settings(bilingual)).report.stale == []


def test_prune_removes_only_the_reviews_no_unit_uses(bilingual):
    assert run("translate", "export", "source/sample", "--to", "en", "-o", "r.po").exit_code == 0
    edit_po(bilingual / "r.po", {"Gracias por leer.": REVIEWED, "Boletín de prueba": REVIEWED_TITLE})
    assert run("translate", "import", "r.po").exit_code == 0
    source = bilingual / "source" / "sample" / "index.md"
    source.write_text(source.read_text().replace("Gracias por leer.", ""))  # the paragraph is deleted
    kept = review_file(sample(bilingual), "en")
    before = kept.read_text()
    assert "stale-review" in run("check", "--sources-only").output

    dry = run("translate", "prune", "source/sample", "--to", "en", "--dry-run")
    assert dry.exit_code == 0 and re.search(r"sample\.en\.po:\d+: unit u24: Gracias por leer\.", dry.output), dry.output
    assert "would remove 1 review(s)" in dry.output and kept.read_text() == before
    pruned = run("translate", "prune", "source/sample", "--to", "en")
    assert pruned.exit_code == 0 and "removed 1 review(s)" in pruned.output
    assert [review.source for review in read_reviews(sample(bilingual), "en").entries.values()] == [
        "Boletín de prueba"]  # the title's review is used: it stays
    assert "stale-review" not in run("check", "--sources-only").output
    assert "removed 0 review(s)" in run("translate", "prune", "source/sample", "--to", "en").output
