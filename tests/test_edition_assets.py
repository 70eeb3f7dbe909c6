"""Per-language images, translated SVG, the cover choice, EPUB direction and the glyph check's own failure."""

from __future__ import annotations

import shutil

import pytest

from exporter import ast as pandoc_ast
from exporter.check.glyphs import uncovered_characters
from exporter.config import load_settings
from exporter.document import load_document
from exporter.edition_assets import localized_assets, svg_strings, translated_svg
from exporter.formats.epub import with_direction
from exporter.translate import FakeTranslator
from tests.conftest import FIXTURES

SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><title>Pila</title>
<!-- comentario --><text x="1" y="20">Hola <tspan>mundo</tspan></text><rect width="5" height="5"/></svg>"""


@pytest.fixture
def issue(tmp_path):
    """The sample issue in a project of its own, with a diagram and an English cover beside the cover."""
    folder = tmp_path / "source" / "sample"
    shutil.copytree(FIXTURES / "sample", folder)
    (tmp_path / "newsletter.toml").write_text('languages = ["es", "en"]\n', encoding="utf-8")
    return folder


def english(folder, choice="auto"):
    """The English edition of the issue in ``folder`` (a fake engine upper-cases), with its images localized."""
    from exporter import translate
    from exporter.translate import TranslationMemory

    document = load_document(folder / "index.md")
    settings = load_settings(folder.parent.parent)
    translator = FakeTranslator(str.upper)
    real = translate.translate_with_report

    def with_fake_engine(doc, lang, settings, engine=None, review_scope=""):
        return real(doc, lang, settings, translator=translator, memory=TranslationMemory(":memory:"),
                    review_scope=review_scope)

    with pytest.MonkeyPatch.context() as patch:  # the SVG's texts go through the same pipeline
        patch.setattr(translate, "translate_with_report", with_fake_engine)
        edition = with_fake_engine(document, "en", settings).document
        return localized_assets(edition, document, settings, None, choice)


def test_svg_text_is_found_and_replaced_in_order():
    assert svg_strings(SVG) == ["Pila", "Hola", "mundo"]
    out = translated_svg(SVG, {"Pila": "Stack", "Hola": "Hello", "mundo": "world"})
    assert svg_strings(out) == ["Stack", "Hello", "world"] and b"comentario" not in out and b"<rect" in out
    japanese = translated_svg(SVG, {"Pila": "スタック"}, "ja", "Noto Sans CJK JP")
    assert b'font-family="Noto Sans CJK JP, sans-serif"' in japanese and b'xml:lang="ja"' in japanese


def test_without_an_english_cover_the_english_edition_gets_a_typographic_cover(issue):
    assert english(issue).meta.cover == ""
    assert english(issue, "source").meta.cover == "cover.png"
    assert english(issue, "typographic").meta.cover == ""


def test_an_english_image_beside_the_image_is_used(issue):
    shutil.copy(issue / "cover.png", issue / "cover.en.png")
    edition = english(issue)
    assert edition.meta.cover == "cover.en.png"
    assert english(issue, "typographic").meta.cover == ""


def test_svg_images_are_translated_into_the_edition_asset_folder(issue):
    edition = english(issue)
    images = [image.src for image in pandoc_ast.images(edition.blocks)]
    assert "figure.en.svg" in images and "figure.svg" not in images
    assert edition.base_dir != issue and (edition.base_dir / "cover.png").is_file()
    source, translated = svg_strings((issue / "figure.svg").read_bytes()), \
        svg_strings((edition.base_dir / "figure.en.svg").read_bytes())
    assert translated == [text.upper() for text in source] and translated != source
    assert edition.source == issue / "index.md"  # errors still name the source file


def test_epub_documents_carry_their_direction_and_code_runs_left_to_right():
    page = (b'<?xml version="1.0"?>\n<html xmlns="x" lang="ar">'
            b"<body><pre><code>x = 1</code></pre><p>\xd8\xa7</p></body></html>")
    out = with_direction(page, "rtl")
    assert b'<html dir="rtl" xmlns="x"' in out and b'<pre dir="ltr"><code dir="ltr">' in out
    assert with_direction(out, "rtl") == out
    assert b'<html dir="ltr"' in with_direction(page, "ltr") and b"<pre>" in with_direction(page, "ltr")


def test_the_glyph_check_finds_a_character_no_font_draws(tmp_path):
    import weasyprint

    pdf = tmp_path / "tofu.pdf"
    weasyprint.HTML(string="<p>Hola \U0010FFFD mundo 日本</p>").write_pdf(pdf)
    assert list(uncovered_characters(pdf)) == ["\U0010FFFD"]


def test_newsletter_check_reports_letters_without_a_glyph(tmp_path):
    import weasyprint

    from exporter.check.pdf import check_pdfs

    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    weasyprint.HTML(string="<p>مرحبا 日本語 Ελληνικά</p>").write_pdf(good)
    weasyprint.HTML(string="<p>Hola \U0010FFFD</p>").write_pdf(bad)
    problems = check_pdfs([good, bad])
    assert [(p.path, p.code) for p in problems] == [(bad, "missing-glyph")]
    assert "U+10FFFD" in problems[0].message


def test_the_email_aria_label_is_the_title_not_rust_escapes():
    from exporter.formats.email.aria import repaired_aria_label

    broken = r'<body><div aria-label="Don\'t \"q\" स\u{94d}ट" aria-roledescription="email" class="email-body">'
    fixed = repaired_aria_label(broken, 'Don\'t "q" स्ट')
    assert fixed == ('<body><div aria-label="Don&#x27;t &quot;q&quot; स्ट" '
                     'aria-roledescription="email" class="email-body">')


def test_a_reviewed_diagram_text_is_used_in_the_edition_svg(tmp_path, monkeypatch):
    import polib
    from click.testing import CliRunner

    from exporter.cli import cli
    from tests.conftest import make_project

    root = make_project(tmp_path / "project", config='title = "B"\nlanguages = ["es", "en"]\njobs = 1\n')
    monkeypatch.chdir(root)
    run = CliRunner().invoke
    assert run(cli, ["translate", "export", "source/sample", "--to", "en", "-o", "review.po"]).exit_code == 0
    po = polib.pofile(str(root / "review.po"))
    (entry,) = [entry for entry in po if entry.msgctxt.startswith("svg-")]
    assert entry.msgid == "Markdown → PDF · EPUB · email"
    entry.msgstr = "Markdown into PDF, EPUB and email"
    po.save()
    assert run(cli, ["translate", "import", "review.po"]).exit_code == 0
    assert run(cli, ["build", "--lang", "en", "-f", "html"]).exit_code == 0
    svg = (root / "output" / "sample" / "en" / "figure.en.svg").read_bytes()
    assert svg_strings(svg) == ["Markdown into PDF, EPUB and email"]


def test_the_eml_is_byte_identical_across_builds(sample):
    from exporter.formats.email import EmailExporter
    from exporter.themes import load_theme
    from tests.conftest import SITE

    exporter, theme = EmailExporter({}, SITE), load_theme("default")
    first, second = (exporter.render(sample, theme).message.as_bytes() for _ in range(2))
    assert first == second and b'boundary="=_' in first  # MIME boundaries derive from the content, not chance
