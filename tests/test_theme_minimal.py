"""The built-in `minimal` theme: it extends `default`, ships only what it changes, and changes every format."""

from __future__ import annotations

import re
import tomllib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import cli
from exporter.fonts import font_stacks
from exporter.themes import BUILTIN_THEMES, load_theme

FORMATS = ("html", "pdf", "epub", "email")


def test_minimal_extends_default_and_ships_only_what_it_changes():
    theme, default = load_theme("minimal"), load_theme("default")
    folder = (BUILTIN_THEMES / "minimal").resolve()
    assert theme.dirs == (folder, (BUILTIN_THEMES / "default").resolve())
    assert tomllib.loads((folder / "theme.toml").read_text())["extends"] == "default"
    assert sorted(p.name for p in folder.iterdir()) == ["reference.docx", "theme.toml"]
    for name in ("page.html", "page.css", "print.html", "print.css", "epub.css", "email.mjml", "email.css",
                 "index.html"):
        assert theme.find(name) == default.find(name)  # inherited, not copied
    own = tomllib.loads((folder / "theme.toml").read_text())["variables"]
    assert own and all(theme.variables[key] != default.variables.get(key) for key in own)
    assert theme.variables["code_font"] == default.variables["code_font"]  # inherited variable


def inline_styles(html: str) -> set[tuple[str, str]]:
    """Every (property, value) pair of every ``style`` attribute."""
    pairs = set()
    for style in re.findall(r'\sstyle="([^"]*)"', html):
        for declaration in style.split(";"):
            if ":" in declaration:
                prop, value = declaration.split(":", 1)
                pairs.add((prop.strip().lower(), " ".join(value.split())))
    return pairs


def pdf_fonts(path: Path) -> set[str]:
    """Base names of the fonts a PDF embeds, subset prefixes and hyphens dropped (``DejaVuSerif``, either engine)."""
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(path).pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1].replace("-", ""))
    return fonts


def epub_stylesheet(path: Path) -> str:
    with zipfile.ZipFile(path) as epub:
        return "".join(epub.read(name).decode() for name in epub.namelist() if name.endswith(".css"))


def css_rule(css: str, selector: str) -> str:
    match = re.search(rf"(?:^|}})\s*{re.escape(selector)}\s*{{([^}}]*)}}", css, re.M)
    assert match, f"no rule for {selector}"
    return match.group(1)


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """The sample issue built in every built-in format, once per theme."""
    from tests.conftest import make_project

    root = make_project(tmp_path_factory.mktemp("themes") / "project")
    editions = {}
    for theme in ("default", "minimal"):
        args = ["--project", str(root), "build", "--theme", theme, "-o", str(root / theme)]
        result = CliRunner().invoke(cli, [*args, *(arg for name in FORMATS for arg in ("-f", name))])
        assert result.exit_code == 0, result.output
        editions[theme] = root / theme / "sample" / "es"
    return editions


def test_web_page_takes_the_accent_and_header(builds):
    pages = {theme: (folder / "sample.html").read_text() for theme, folder in builds.items()}
    for theme, page in pages.items():
        assert f"--accent: {load_theme(theme).variables['accent']};" in page
    header = "header.masthead { text-align: center"  # minimal's page_extra_css: a centred header
    assert header in pages["minimal"] and header not in pages["default"]
    index = {theme: (folder.parent.parent / "index.html").read_text() for theme, folder in builds.items()}
    assert index["default"] != index["minimal"] and "#047857" in index["minimal"]


def test_pdf_takes_the_body_font(builds):
    fonts = {theme: pdf_fonts(folder / "sample.pdf") for theme, folder in builds.items()}
    assert "DejaVuSerif" in fonts["default"]  # body_font 'DejaVu Serif'
    assert not any("Serif" in font for font in fonts["minimal"]) and "DejaVuSans" in fonts["minimal"]


def test_epub_takes_the_theme_stylesheet(builds):
    body = {theme: css_rule(epub_stylesheet(folder / "sample.epub"), "body") for theme, folder in builds.items()}
    assert re.search(r"font-family: [^;]*\bserif;", body["default"]) and "sans-serif" not in body["default"]
    assert "DejaVu Sans" in body["minimal"] and "serif;" not in body["minimal"].replace("sans-serif", "")


def test_email_inlines_the_theme_font_and_accent(builds):
    styles = {theme: inline_styles((folder / "sample.email.html").read_text()) for theme, folder in builds.items()}
    minimal = load_theme("minimal").variables
    font = font_stacks(minimal, "es")["email"]  # the theme's stack, with the script faces after it
    assert font.startswith(minimal["email_font"].removesuffix(", sans-serif"))
    assert ("font-family", font) in styles["minimal"]
    assert ("font-family", font) not in styles["default"]
    assert ("border-top", f"4px solid {minimal['accent']}") in styles["minimal"]
    assert ("border-top", f"4px solid {load_theme('default').variables['accent']}") in styles["default"]
    assert ("color", minimal["accent"]) in styles["minimal"]  # links, from the email.css template
    assert ("color", minimal["accent"]) not in styles["default"]
