"""Every corpus document, copied as it is (front matter and all), builds in four formats, passes EPUBCheck
and translates es→en; its email does not overflow a phone (Debian Chromium at 320 and 375 px) (issue 16).

Two projects: the Spanish documents (languages = ["es"]) and the English ones (["en"]), since a document
without ``lang`` takes the project's first language. SOURCE_DATE_EPOCH gives the undated ones their date.
The editions are served on 127.0.0.1 so the emails' absolute image URLs load for real.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import cli
from tests.conftest import EPOCH, REPO, TESTS

pytestmark = pytest.mark.slow
CORPUS = TESTS / "corpus"
SPANISH = ["es/k8s-components.md", "es/k8s-what-is-kubernetes.md", "es/laravel-docs-es-csrf.md",
           "es/mdn-css-flex-direction.md", "es/mdn-html-dialog.md", "es/mdn-http-cache-control.md",
           "es/mdn-js-array-map.md", "newsletters/es-esta-semana-en-rust-1-2023-10-11.md",
           "parallel/js-array-tosorted/es.md", "parallel/react-importing-and-exporting-components/es.md"]
ENGLISH = ["newsletters/en-lwkd-2019-01-13.md", "newsletters/en-this-week-in-neovim-2022-08-29.md",
           "parallel/js-array-tosorted/en.md", "parallel/react-importing-and-exporting-components/en.md",
           "edge/gfm-extensions-tests.txt", "edge/github-docs-organizing-information-with-tables.md",
           "edge/pandoc-testsuite.txt"]
FIRST_ISSUE = "llm-boom-2023"
WIDE_TABLE = "edge-github-docs-organizing-information-with-tables"  # a corpus document with wide tables
CHECKLIST = """---
title: Lista de comprobación
lang: es
date: 2024-01-13
---
## Antes de empezar

Lee [la lista](#checklist) antes de instalar.

![Arquitectura](diagrama.svg)

## Lista {#checklist}

- Copia de seguridad

## Lo que ensancha un correo

Supercalifragilisticoespialidosoextraordinariamenteinterminableyaburridamentelarga y
<https://example.org/una/ruta/muy/larga/que/no/termina/nunca/jamas/de/los/jamases/index.html?query=1234567890>.

`codigo_en_linea_muy_largo_sin_espacios_que_no_cabe_en_una_pantalla_de_movil_estrecha()`

| Columna | Otra |
|---|---|
| Celdaconunapalabraextraordinariamentelargaquenocabe | https://example.org/una/ruta/muy/larga/en/una/celda |
"""
DIAGRAM = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160" viewBox="0 0 400 160">
<rect x="20" y="40" width="140" height="70" fill="none" stroke="#000" stroke-width="3"/>
<text x="90" y="82" font-family="DejaVu Sans" font-size="18" text-anchor="middle" fill="#000">Cliente</text>
<line x1="160" y1="75" x2="240" y2="75" stroke="#000" stroke-width="3"/>
<rect x="240" y="40" width="140" height="70" fill="none" stroke="#000" stroke-width="3"/>
<text x="310" y="82" font-family="DejaVu Sans" font-size="18" text-anchor="middle" fill="#000">Servidor</text>
</svg>"""


def slug_folder(relative: str) -> str:
    return relative.rsplit(".", 1)[0].replace("/", "-")


def project(root: Path, lang: str, documents: list[str], base_url: str) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "newsletter.toml").write_text(f'title = "Corpus"\nbase_url = "{base_url}"\nlanguages = ["{lang}"]\n'
                                          "jobs = 2\n")
    for relative in documents:
        folder = root / "source" / slug_folder(relative)
        folder.mkdir()
        shutil.copyfile(CORPUS / relative, folder / "index.md")  # as it is
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Both projects built in every format, served over HTTP: {lang: (root, build output)}, base URLs."""
    base = tmp_path_factory.mktemp("corpus-wild")
    servers, results = [], {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for lang, documents in (("es", SPANISH), ("en", ENGLISH)):
            root = base / lang
            (root / "output").mkdir(parents=True)
            handler = functools.partial(QuietHandler, directory=str(root / "output"))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            project(root, lang, documents, f"http://127.0.0.1:{server.server_address[1]}/")
            if lang == "es":  # the first issue, and a checklist with an in-document link and a diagram
                shutil.copytree(REPO / "source" / FIRST_ISSUE, root / "source" / FIRST_ISSUE)
                (root / "source" / "checklist").mkdir()
                (root / "source" / "checklist" / "index.md").write_text(CHECKLIST, encoding="utf-8")
                (root / "source" / "checklist" / "diagrama.svg").write_text(DIAGRAM, encoding="utf-8")
            result = CliRunner().invoke(cli, ["--project", str(root), "build"], catch_exceptions=False)
            results[lang] = (root, result)
        yield results
    for server in servers:
        server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def base_url(root: Path) -> str:
    return root.joinpath("newsletter.toml").read_text().split('base_url = "', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_corpus_document_builds_in_four_formats(built, lang):
    root, result = built[lang]
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
    manifest = json.loads((root / "output" / "manifest.json").read_text())
    documents = SPANISH if lang == "es" else ENGLISH
    assert len(manifest["issues"]) == len(documents) + (2 if lang == "es" else 0)
    for slug in manifest["issues"]:
        formats = {entry["format"] for entry in manifest["files"] if entry["slug"] == slug}
        assert {"pdf", "epub", "email", "html"} <= formats, slug


def test_the_warnings_name_what_other_systems_wrote(built):
    root, result = built["es"]
    source = root / "source"
    lines = result.output.splitlines()
    expected = [
        f"warning: {source}/es-mdn-css-flex-direction/index.md:3: slug 'Web/CSS/flex-direction' is not ours "
        "(lowercase letters, digits, hyphens): using 'web-css-flex-direction'",
        f"warning: {source}/es-laravel-docs-es-csrf/index.md:1: no 'title' in the front matter: using 'Protección CSRF'",
        f"warning: {source}/es-k8s-components/index.md:1: no 'lang' in the front matter: using the project's first "
        "language 'es'",
        f"warning: {source}/es-k8s-components/index.md:1: no 'date' in the front matter: using 2023-11-14 "
        "(from SOURCE_DATE_EPOCH)",
        f"warning: {source}/es-mdn-http-cache-control/index.md:67: link to '#browser_compatibility': no heading or "
        "element has that id",
    ]
    for line in expected:
        assert lines.count(line) == 1, line
    assert not any("reviewers" in line or "content_type" in line for line in lines)  # Hugo's keys: ignored
    assert f"{FIRST_ISSUE}.email.html is" not in result.output  # the first issue's email stays under the size warning
    english = built["en"][1].output
    assert "edge-gfm-extensions-tests/index.md: " not in english.replace("no 'lang'", "")  # YAML closed by '...'
    assert "image '/images/docs/illustrations/i_import-export.svg' is a site-root path" in english


def test_epubcheck_finds_nothing_in_any_corpus_edition(built):
    from exporter.check.epub import check_epubs

    epubs = sorted(path for root, _ in built.values() for path in (root / "output").rglob("*.epub"))
    assert len(epubs) == len(SPANISH) + len(ENGLISH) + 2
    assert [str(problem) for problem in check_epubs(epubs)] == []


@pytest.mark.parametrize("relative", SPANISH)
def test_every_spanish_document_translates_to_english(built, relative, tmp_path):
    root, _ = built["es"]
    target = tmp_path / "en.md"
    result = CliRunner().invoke(cli, ["--project", str(root), "translate", str(root / "source" / slug_folder(relative)),
                                      "--to", "en", "-o", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "error" not in result.output and "image" not in result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "lang: en" in text and len(text) > 500


@pytest.mark.parametrize("width", [320, 375])
def test_no_email_overflows_a_phone(built, browser, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    overflowing = []
    try:
        for root, _ in built.values():
            url = base_url(root)
            for email in sorted((root / "output").rglob("*.email.html")):
                page.goto(url + email.relative_to(root / "output").as_posix(), wait_until="load")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    overflowing.append(f"{email.name}: {scroll}px at {width}px")
                if email.parent.parent.name in (FIRST_ISSUE, WIDE_TABLE):
                    page.screenshot(path=str(artifacts / f"email-wild-{email.parent.parent.name}-{width}.png"),
                                    full_page=True)
    finally:
        context.close()
    assert overflowing == []
    assert width  # the first issue and the wide-table document are among those checked
    checked = {email.parent.parent.name for root, _ in built.values() for email in (root / "output").rglob("*.email.html")}
    assert {FIRST_ISSUE, WIDE_TABLE} <= checked


def test_an_in_document_link_of_the_email_resolves(built, browser):
    root, _ = built["es"]
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(base_url(root) + "checklist/es/checklist.email.html", wait_until="load")
        with page.expect_navigation():
            page.click("text=la lista")
        assert page.url.endswith("checklist/es/checklist.html#checklist")
        assert page.locator("#checklist").is_visible()  # the web page holds the anchor the email points at
        assert page.locator("#checklist").inner_text().startswith("Lista")
    finally:
        page.close()


def test_a_diagram_reads_in_dark_mode(built, browser, artifacts):
    root, _ = built["es"]
    context = browser.new_context(viewport={"width": 375, "height": 700}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(base_url(root) + "checklist/es/checklist.email.html", wait_until="load")
        image = page.locator("img[alt='Arquitectura']")
        assert image.evaluate("i => i.complete && i.naturalWidth > 0")
        card = page.locator("div.card").first.evaluate(
            "e => getComputedStyle(e).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)")
        assert sum(card) < 3 * 80  # the client is in dark mode
        image.screenshot(path=str(artifacts / "email-diagram-dark.png"))
        page.screenshot(path=str(artifacts / "email-checklist-dark.png"), full_page=True)
    finally:
        context.close()
    from PIL import Image

    with Image.open(artifacts / "email-diagram-dark.png") as shot:
        levels = shot.convert("L").histogram()  # how many pixels at each grey level, 0 (black) to 255
    total, light, dark = sum(levels), sum(levels[201:]), sum(levels[:60])
    assert light > 0.6 * total  # the diagram keeps its light background in a dark client...
    assert dark > 0.01 * total  # ...so its black strokes and labels stay visible
