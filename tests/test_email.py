"""The email edition's HTML: structure, links, images, merge tags, size budget and goldens (real engines)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from exporter.cli import cli
from exporter.document import load_document
from exporter.errors import ExportError
from exporter.formats.base import Site
from exporter.formats.email import EmailExporter, email_size_problem
from exporter.themes import load_theme
from tests.email_helpers import (
    BASE_URL,
    TAGS,
    build_email_project,
    content_headings,
    edition_file,
    parse_html,
    text_of,
    with_class,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    return build_email_project(tmp_path_factory.mktemp("email") / "project")


def email_of(output: Path, slug: str = "sample", lang: str = "es") -> str:
    return edition_file(output, slug, lang, ".email.html")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_email_html_golden(output, assert_golden, lang):
    assert_golden(f"email/sample.{lang}.email.html", email_of(output, lang=lang))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_language_direction_colour_schemes_and_preheader(output, lang):
    markup = email_of(output, lang=lang)
    tree = parse_html(markup)
    assert tree.get("lang") == lang and tree.get("dir") == "ltr"
    metas = {m.get("name"): m.get("content") for m in tree.iter("meta") if m.get("name")}
    assert metas["color-scheme"] == "light dark" and metas["supported-color-schemes"] == "light dark"
    assert re.search(r"@media \(prefers-color-scheme: dark\)\s*\{[^}]*!important", markup)
    summary = {"es": "Notas al pie, tablas, código", "en": "Footnotes, tables, code"}[lang]
    preheader = tree.body[0]
    assert text_of(preheader).startswith(summary)
    assert "display:none" in preheader.get("style").replace(" ", "")


def test_header_and_footer_carry_every_link(output):
    tree = parse_html(email_of(output))
    links = {text_of(a): a.get("href") for a in tree.iter("a")}
    edition = BASE_URL + "sample/es/sample"
    assert links["Ver en el navegador"] == edition + ".html"
    assert links["Read in English"] == BASE_URL + "sample/en/sample.html"
    assert links["Descargar PDF"] == edition + ".pdf" and links["Descargar EPUB"] == edition + ".epub"
    assert links["Darse de baja"] == "https://boletin.example.org/baja?u=*|UNIQID|*"
    topbar = text_of(with_class(tree, "topbar", "td")[0])
    assert "Boletín de prueba · Número 0" in topbar
    assert text_of(with_class(tree, "title", "h1")[0]) == "Boletín de prueba"
    assert "Calle Ejemplo 1, 28001 Madrid" in text_of(with_class(tree, "footer", "td")[0])
    assert content_headings(tree) == ["Introducción", "Una tabla", "Código", "Definiciones", "Conclusión"]


def test_translated_edition_says_so_and_links_back(output):
    tree = parse_html(email_of(output, lang="en"))
    assert text_of(with_class(tree, "machine-translated", "p")[0]) == "Machine translation"
    assert {text_of(a): a.get("href") for a in tree.iter("a")}["Leer en español"] == BASE_URL + "sample/es/sample.html"


def test_images_are_absolute_png_with_alt_text_and_published(output):
    tree = parse_html(email_of(output))
    images = list(tree.iter("img"))
    assert [img.get("src") for img in images] == [BASE_URL + "sample/es/cover.png",
                                                  BASE_URL + "sample/es/figure.svg.png"]
    assert all(img.get("alt", "").strip() for img in images)
    assert images[1].get("alt") == "Diagrama: de Markdown a PDF, EPUB y correo" and images[1].get("width") == "400"
    with Image.open(output / "sample" / "es" / "figure.svg.png") as png:  # rasterised at twice its 400 px
        assert png.format == "PNG" and png.size == (800, 240)
    assert (output / "sample" / "es" / "cover.png").is_file()  # published by the email format alone


def test_layout_tables_are_presentation_and_data_tables_scroll(output):
    tree = parse_html(email_of(output, "merge-tags"))
    data_tables = [t for box in with_class(tree, "table-scroll", "div") for t in box.iter("table")]
    assert len(data_tables) == 1 and data_tables[0].get("role") is None
    assert all(t.get("role") == "presentation" for t in tree.iter("table") if t not in data_tables)
    assert not list(tree.iter("colgroup")) and not list(tree.iter("col"))
    box = with_class(tree, "table-scroll", "div")[0]
    assert "overflow-x: auto" in box.get("style")
    assert "table-layout: fixed" in box.xpath("ancestor::table[1]")[0].get("style")
    assert "white-space: pre-wrap" in next(tree.iter("pre")).get("style")


def test_no_remote_requests_unless_the_theme_asks(output, tmp_path):
    markup = email_of(output)
    assert "<link" not in markup and "@import" not in markup and "googleapis" not in markup
    theme_dir = tmp_path / "themes" / "fonts"
    theme_dir.mkdir(parents=True)
    (theme_dir / "theme.toml").write_text('extends = "default"\n[variables]\nemail_font = "Inter, Arial"\n'
                                          '[variables.email_fonts]\nInter = "https://fonts.example.org/inter.css"\n')
    document = load_document(output.parent / "source" / "sample" / "index.md")
    edition = EmailExporter(site=Site(base_url=BASE_URL)).render(document, load_theme("fonts", tmp_path))
    assert '<link href="https://fonts.example.org/inter.css"' in edition.html


def test_merge_tags_survive_in_title_body_and_links(output):
    markup = email_of(output, "merge-tags")
    tree = parse_html(markup)
    title = text_of(with_class(tree, "title", "h1")[0])
    body = text_of(with_class(tree, "content", "td")[0])
    for tag in TAGS:
        assert tag in title and tag in body and tag in text_of(next(tree.iter("title")))
    assert "<em>|FNAME|</em>" not in markup
    assert "https://example.org/perfil?id=*|UNIQID|*&amp;n=%recipient.id%" in markup


def test_mj_include_cannot_leave_the_theme(output, tmp_path):
    theme_dir = tmp_path / "themes" / "nosy"
    theme_dir.mkdir(parents=True)
    (theme_dir / "theme.toml").write_text('extends = "default"\n')
    (theme_dir / "email.mjml").write_text('<mjml><mj-body><mj-include path="../../../../../etc/hostname" />'
                                          '</mj-body></mjml>')
    document = load_document(output.parent / "source" / "sample" / "index.md")
    with pytest.raises(ExportError, match="MJML rendering failed"):
        EmailExporter(site=Site(base_url=BASE_URL)).render(document, load_theme("nosy", tmp_path))


def test_size_budget_warns_at_90_kb_and_check_fails_above_102_kb(output, tmp_path, caplog):
    assert email_size_problem(output / "sample" / "es" / "sample.email.html") is None
    big = tmp_path / "big.email.html"
    big.write_bytes(b"x" * 102_001)
    assert "Gmail clips" in email_size_problem(big) and "102" in email_size_problem(big)
    issue = tmp_path / "long" / "index.md"
    issue.parent.mkdir()
    paragraphs = "\n\n".join(f"Párrafo {n}: " + "texto de relleno " * 30 for n in range(160))
    issue.write_text(f"---\ntitle: Largo\nlang: es\ndate: 2023-10-16\n---\n\n{paragraphs}\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="exporter"):
        written = EmailExporter(site=Site(base_url=BASE_URL)).export(load_document(issue), load_theme("default"),
                                                                     tmp_path)
    size = written[0].stat().st_size
    assert 90_000 < size <= 102_000, size
    assert any("near Gmail's 102 kB clipping limit" in record.getMessage() for record in caplog.records)


def test_build_embed_images_option_uses_cid_sources(tmp_path):
    build_email_project(tmp_path / "p", issues=("sample",))  # linked: nothing embedded
    result = CliRunner().invoke(cli, ["--project", str(tmp_path / "p"), "build", "-f", "email", "-l", "es",
                                      "--embed-images", "--force"])
    assert result.exit_code == 0, result.output
    edition = tmp_path / "p" / "output" / "sample" / "es"
    srcs = [img.get("src") for img in parse_html((edition / "sample.email.html").read_text()).iter("img")]
    assert srcs and all(src.startswith("cid:") for src in srcs)
