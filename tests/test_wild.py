"""Documents from the wild and a writer's mistakes: warnings instead of refusals, an error for every path (issue 16).

Each test drives the real CLI (click's runner) over a throw-away project: real pandoc, Pillow, Typst,
MJML, Apertium. Corpus documents are copied as they are, front matter and all.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from PIL import Image

from exporter.cli import cli
from tests.conftest import TESTS

CORPUS = TESTS / "corpus"
CONFIG = 'title = "Boletín"\nbase_url = ""\nlanguages = ["es"]\njobs = 1\n'
HEADER = "---\ntitle: {title}\nlang: es\ndate: 2024-01-13\n---\n"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def wild(tmp_path, monkeypatch):
    """An empty project (languages: es) whose working directory is its root."""
    root = tmp_path / "wild"
    (root / "source").mkdir(parents=True)
    (root / "newsletter.toml").write_text(CONFIG)
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return root


def issue(root, slug: str, body: str, title: str = "Prueba") -> str:
    """Write ``source/<slug>/index.md`` with a valid front matter; return its path relative to the root."""
    folder = root / "source" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(HEADER.format(title=title) + body, encoding="utf-8")
    return f"source/{slug}/index.md"


def corpus_issue(root, relative: str, slug: str) -> str:
    """A corpus document copied as it is (front matter and all) as ``source/<slug>/index.md``."""
    folder = root / "source" / slug
    folder.mkdir(parents=True)
    shutil.copyfile(CORPUS / relative, folder / "index.md")
    return f"source/{slug}/index.md"


def photo(path, size=(4000, 3000)) -> None:
    """A camera-sized JPEG of noise (megabytes, like a real photo)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path, quality=95)


def warnings_of(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("warning: ")]


# --- images: static folder, missing images ---------------------------------------------------------------

def test_a_site_root_image_resolves_in_the_static_folder(wild):
    (wild / "static").mkdir()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(wild / "static" / "og.png")
    source = issue(wild, "raiz", "## Uno\n\n![El logo](/og-image.png) y ![Otro](/og.png)\n")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert f"warning: {wild}/{source}:8: image '/og-image.png' is a site-root path, and the static folder has no " \
           "such file: shown as its alt text" in result.output
    edition = wild / "output" / "raiz" / "es"
    page = (edition / "raiz.html").read_text()
    assert '<img src="og.png" alt="Otro"' in page and (edition / "og.png").read_bytes() == (wild / "static" / "og.png").read_bytes()
    assert "Imagen no disponible: El logo" in page
    assert 'src="og.png"' in (edition / "raiz.email.html").read_text()
    with zipfile.ZipFile(edition / "raiz.epub") as book:
        media = [book.read(name) for name in book.namelist() if name.startswith("EPUB/media/")]
    assert media == [(wild / "static" / "og.png").read_bytes()]
    from pypdf import PdfReader

    assert {image.image.size for page in PdfReader(edition / "raiz.pdf").pages for image in page.images} == {(120, 60)}


def test_static_images_never_escape_the_project(wild):
    (wild / "newsletter.toml").write_text(CONFIG + 'static_dir = "../fuera"\n')
    result = run("build")
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {wild}/newsletter.toml:5: 'static_dir': '../fuera' is outside the project folder"


def test_a_missing_image_is_a_placeholder_in_every_format_and_a_single_warning(wild):
    source = issue(wild, "falta", "## Uno\n\n![Gráfico de ventas](ventas.png)\n\nTexto ![Gráfico de ventas](ventas.png).\n")
    result = run("build", "-f", "html", "-f", "email", "-f", "epub")
    assert result.exit_code == 0, result.output
    assert warnings_of(result.output).count(
        f"warning: {wild}/{source}:8: image 'ventas.png' not found: shown as its alt text") == 1
    edition = wild / "output" / "falta" / "es"
    for name in ("falta.html", "falta.email.html"):
        html = (edition / name).read_text()
        assert html.count('class="image-missing"') == 2 and "ventas.png" not in html.replace('data-src="ventas.png"', "")
    with zipfile.ZipFile(edition / "falta.epub") as book:
        chapter = book.read("EPUB/text/ch001.xhtml").decode()
    assert "Imagen no disponible: Gráfico de ventas" in chapter and "<img" not in chapter


def test_a_damaged_image_is_a_placeholder_in_every_format_and_strict_refuses_it(wild):
    source = issue(wild, "rota", "## Uno\n\n![Un diagrama](roto.svg)\n\nTexto y ![una foto](corta.png).\n")
    (wild / "source" / "rota" / "roto.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9"><rect')
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(buffer, "PNG")
    (wild / "source" / "rota" / "corta.png").write_bytes(buffer.getvalue()[:60])  # cut off after its header
    result = run("build")  # every format: the PDF and the email would fail on these files
    assert result.exit_code == 0, result.output
    warnings = warnings_of(result.output)
    assert any(line.startswith(f"warning: {wild}/{source}:8: image 'roto.svg' cannot be read (not well-formed SVG")
               for line in warnings), warnings
    assert any(line.startswith(f"warning: {wild}/{source}:10: image 'corta.png' cannot be read (damaged PNG")
               for line in warnings), warnings
    edition = wild / "output" / "rota" / "es"
    assert {path.suffix for path in edition.iterdir()} >= {".pdf", ".epub", ".html", ".eml"}
    assert (edition / "rota.html").read_text().count('class="image-missing"') == 2
    strict = run("build", "--strict", "--force")
    assert strict.exit_code == 1 and "cannot be read" in strict.output


def test_translate_needs_only_the_text(wild):
    source = issue(wild, "trad", "## Hola\n\nEl gato come pescado.\n\n![Un gato](no-esta.png)\n")
    result = run("translate", source, "--to", "en")
    assert result.exit_code == 0, result.output
    assert "no-esta.png" in result.output and "warning" not in result.output  # images are not its business
    assert "The cat" in result.output or "cat" in result.output.lower()


# --- front matter from other systems ------------------------------------------------------------------------

def test_a_foreign_slug_becomes_a_safe_one_naming_the_original(wild):
    source = corpus_issue(wild, "es/mdn-css-flex-direction.md", "flex")
    result = run("build", "-f", "html")
    assert result.exit_code == 0, result.output
    assert (f"warning: {wild}/{source}:3: slug 'Web/CSS/flex-direction' is not ours (lowercase letters, digits, "
            "hyphens): using 'web-css-flex-direction'") in result.output
    assert (wild / "output" / "web-css-flex-direction" / "es" / "web-css-flex-direction.html").is_file()


def test_yaml_closed_by_dots_and_several_blocks_are_read_as_pandoc_does(wild):
    source = corpus_issue(wild, "edge/gfm-extensions-tests.txt", "gfm")  # front matter closed by '...'
    from exporter.document import load_document

    document = load_document(wild / source)
    assert document.meta.title == "Extensions test" and str(document.meta.date) == "2016-08-31"
    assert document.meta.author == "Yuki Izumi"  # version and license: other systems' keys, kept and ignored
    blocks = HEADER.format(title="Primero") + "Texto.\n\n---\nsubtitle: Del segundo bloque\ntitle: Segundo\n...\n\nMás.\n"
    (wild / "source" / "dos.md").write_text(blocks)
    merged = load_document(wild / "source" / "dos.md")
    assert (merged.meta.title, merged.meta.subtitle) == ("Segundo", "Del segundo bloque")  # the later block wins
    assert "subtitle" not in json.dumps(merged.ast)  # the block is metadata, not text


def test_unknown_front_matter_keys_are_kept_and_ignored(wild):
    corpus_issue(wild, "es/k8s-components.md", "k8s")  # reviewers, content_type, weight, card: Hugo's keys
    result = run("build", "-f", "html")
    assert result.exit_code == 0, result.output
    assert not any("reviewers" in line or "card" in line for line in warnings_of(result.output))


# --- severity: warnings, --strict, failures that stop one issue only ---------------------------------------

def test_the_build_reports_what_check_reports_once_with_file_and_line(wild):
    source = issue(wild, "avisos", "## Uno\n\nVer [la lista](#lista) y [nada](#nada).\n\n![](g.png)\n\n## Lista {#lista}\n")
    Image.new("RGB", (40, 40), "white").save(wild / "source" / "avisos" / "g.png")
    result = run("build", "-f", "html", "-f", "email")
    assert result.exit_code == 0, result.output
    warnings = warnings_of(result.output)
    assert warnings.count(f"warning: {wild}/{source}:8: link to '#nada': no heading or element has that id") == 1
    alt = [line for line in warnings if "has no alt text" in line]
    assert alt == [f"warning: {wild}/{source}:10: image 'g.png' has no alt text (its file name is no alt text: "
                   'every format uses alt="")']
    edition = wild / "output" / "avisos" / "es"
    for name in ("avisos.html", "avisos.email.html"):
        tags = re.findall(r"<img\b[^>]*>", (edition / name).read_text())
        assert tags and all('alt=""' in tag for tag in tags), tags


def test_strict_turns_a_warning_into_a_failure(wild):
    config = wild / "newsletter.toml"  # with a base_url: its absence would be a second warning
    config.write_text(config.read_text().replace('base_url = ""', 'base_url = "https://example.org/"'))
    issue(wild, "estricto", "## Uno\n\nUn [enlace roto](#nada).\n")
    relaxed = run("build", "-f", "html")
    assert relaxed.exit_code == 0 and "link to '#nada'" in relaxed.output
    strict = run("build", "-f", "html", "--strict")  # nothing to rebuild: the sources are still read
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == "error: 1 warning(s), and --strict makes warnings errors"
    quiet = run("build", "-f", "html", "--force", "--strict", "-q")  # -q hides warnings, --strict still counts them
    assert quiet.exit_code == 1 and "link to" not in quiet.output


def test_an_issue_that_fails_does_not_stop_its_neighbour(wild):
    good = issue(wild, "bueno", "## Uno\n\nBien.\n")
    (wild / "source" / "malo").mkdir()
    (wild / "source" / "malo" / "index.md").write_text("---\ntitle: Malo\nlang: es\ndate: 2024-13-45\n---\nHola\n")
    result = run("build", "-f", "html", "--stats", "json")
    assert result.exit_code == 1
    assert (wild / "output" / "bueno" / "es" / "bueno.html").is_file()
    assert not (wild / "output" / "malo").exists()
    error = (f"error: {wild}/source/malo/index.md:4: front matter 'date': '2024-13-45' is not a valid date "
             "(month must be in 1..12); write it as YYYY-MM-DD")
    assert result.output.count(error) == 1
    stats = json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))
    assert list(stats["failed"]) == [f"{wild}/source/malo/index.md"] and stats["built"] == ["bueno/es/html"]
    manifest = json.loads((wild / "output" / "manifest.json").read_text())
    assert set(manifest["issues"]) == {"bueno"}
    assert good


def test_an_edition_whose_exporter_fails_is_not_published_and_the_other_issue_is(wild):
    issue(wild, "bueno", "## Uno\n\nBien.\n")
    issue(wild, "roto", "## Uno\n\n![Diagrama](roto.svg)\n")
    big = "x" * (3 * 1024 * 1024)  # a well-formed SVG the email refuses to rasterise (over 2 MB)
    (wild / "source" / "roto" / "roto.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><desc>{big}</desc></svg>')
    result = run("build", "-f", "email", "-f", "html")
    assert result.exit_code == 1
    assert "error: " in result.output and "roto" in result.output.split("error: ", 1)[1]
    assert (wild / "output" / "bueno" / "es" / "bueno.email.html").is_file()
    assert not (wild / "output" / "roto").exists()  # neither its email nor its page: an edition is whole or absent


def test_a_build_whose_only_edition_fails_says_why_in_one_line(wild):
    (wild / "newsletter.toml").write_text(CONFIG.replace('languages = ["es"]', "languages = []"))
    issue(wild, "solo", "## Uno\n\n![Diagrama](grande.svg)\n")
    big = "x" * (3 * 1024 * 1024)
    (wild / "source" / "solo" / "grande.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><desc>{big}</desc></svg>')
    result = run("build", "-f", "email")
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "larger than 2 MB" in errors[0]


# --- EPUB nav, email links and diagrams ------------------------------------------------------------------

def test_every_heading_in_the_epub_nav_has_text(wild):
    issue(wild, "vacio", "## <Sandpack>\n\nTexto.\n\n## ![Logo](https://example.org/x.png)\n\n## Segundo\n\nMás.\n")
    result = run("build", "-f", "epub")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(wild / "output" / "vacio" / "es" / "vacio.epub") as book:
        nav = book.read("EPUB/nav.xhtml").decode()
    toc = nav.split('epub:type="toc"', 1)[1].split("</nav>", 1)[0]
    labels = re.findall(r"<a [^>]*>(.*?)</a>", toc, re.S)
    assert labels and all(re.sub(r"<[^>]+>", "", label).strip() for label in labels), labels
    assert "Sección sin título" in toc and "Segundo" in toc


def test_in_document_links_of_the_email_point_at_the_web_edition(wild):
    (wild / "newsletter.toml").write_text(CONFIG.replace('base_url = ""', 'base_url = "https://boletin.example.org/"'))
    issue(wild, "enlaces", "## Índice\n\nVer [la lista](#checklist).\n\n## Lista {#checklist}\n\n- uno\n")
    assert run("build", "-f", "email").exit_code == 0
    html = (wild / "output" / "enlaces" / "es" / "enlaces.email.html").read_text()
    assert 'href="https://boletin.example.org/enlaces/es/enlaces.html#checklist"' in html
    assert 'href="#' not in html


def test_a_rasterised_diagram_is_opaque_on_the_theme_background(wild):
    from exporter.formats.email.images import rasterise_svg

    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
           b'<line x1="0" y1="25" x2="100" y2="25" stroke="black"/></svg>')
    with Image.open(io.BytesIO(rasterise_svg(svg))) as opaque:
        assert opaque.convert("RGBA").getpixel((2, 2)) == (255, 255, 255, 255)
    with Image.open(io.BytesIO(rasterise_svg(svg, background="#fef3c7"))) as tinted:
        assert tinted.convert("RGBA").getpixel((2, 2)) == (254, 243, 199, 255)
    with Image.open(io.BytesIO(rasterise_svg(svg, background=""))) as transparent:
        assert transparent.convert("RGBA").getpixel((2, 2))[3] == 0


# --- images per format -----------------------------------------------------------------------------------

def test_an_oversized_photo_is_shrunk_for_email_web_epub_and_pdf_and_the_original_is_untouched(wild):
    photo(wild / "source" / "foto" / "grande.jpg")
    original = (wild / "source" / "foto" / "grande.jpg").read_bytes()
    issue(wild, "foto", "## Uno\n\n![Una foto enorme](grande.jpg)\n")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "is 4000×3000 px (budget 3000 px a side)" in result.output  # still reported, once
    edition = wild / "output" / "foto" / "es"
    assert (wild / "source" / "foto" / "grande.jpg").read_bytes() == original
    assert not (edition / "grande.jpg").exists()  # the 10+ MB original is never published
    email = (edition / "foto.email.html").read_text()
    assert 'src="grande.w1104.jpg"' in email
    with Image.open(edition / "grande.w1104.jpg") as small:
        assert small.size == (1104, 828)
    assert (edition / "grande.w1104.jpg").stat().st_size < len(original) / 20
    page = (edition / "foto.html").read_text()
    assert 'srcset="grande.w640.jpg 640w, grande.w1280.jpg 1280w"' in page
    with zipfile.ZipFile(edition / "foto.epub") as book:
        media = [info for info in book.infolist() if info.filename.startswith("EPUB/media/")]
        assert len(media) == 1 and media[0].file_size < len(original) / 10
        with Image.open(io.BytesIO(book.read(media[0]))) as inside:
            assert max(inside.size) == 1600
    manifest = json.loads((wild / "output" / "manifest.json").read_text())
    sizes = {entry["path"]: entry for entry in manifest["files"]}
    assert sizes["foto/es/grande.w1104.jpg"]["pixels"] == [1104, 828]
    assert sizes["foto/es/grande.w1104.jpg"]["size"] == (edition / "grande.w1104.jpg").stat().st_size
    from pypdf import PdfReader

    images = [image for page in PdfReader(edition / "foto.pdf").pages for image in page.images]
    assert images and max(images[0].image.size) == 2400  # print resolution, not the camera's


# --- error paths ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("config, message", [
    ('[formats.pfd]\npage_size = "A4"\n',
     "newsletter.toml:4: 'formats.pfd': unknown format table [formats.pfd] (did you mean 'pdf'?)"),
    ('languages = ["english"]\n', "'languages': 'english' is not a language code such as 'es' or 'en' "
                                  "(did you mean 'en'?)"),
])
def test_config_errors_name_the_line_and_suggest(wild, config, message):
    text = CONFIG.replace('languages = ["es"]\n', "") + config
    (wild / "newsletter.toml").write_text(text)
    result = run("build")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and message in result.output


@pytest.mark.parametrize("args, message", [
    (["build", "--lang", "english"], "error: --lang: 'english' is not a language code such as 'es' or 'en' "
                                     "(did you mean 'en'?)"),
    (["translate", "source/uno/index.md", "--to", "inglés"], "error: --to: 'inglés' is not a language code"),
    (["build", "source/nope"], "error: no such file or folder: source/nope"),
])
def test_usage_errors_exit_2_in_one_line(wild, args, message):
    issue(wild, "uno", "Hola.\n")
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [message] or result.output.strip().startswith(message)


def test_check_json_is_json_whatever_happens(wild):
    (wild / "source" / "roto").mkdir()
    (wild / "source" / "roto" / "index.md").write_text("---\ntitle: Roto\nlang: es\ndate: 2024-13-45\n---\nHola\n")
    broken_source = run("check", "--json", "--sources-only")
    report = json.loads(broken_source.output)
    assert broken_source.exit_code == 1
    assert [(p["code"], p["line"]) for p in report["problems"]] == [("source", 4)]
    (wild / "newsletter.toml").write_text(CONFIG + "[formats.pfd]\n")
    broken_config = run("check", "--json")
    assert broken_config.exit_code == 1
    problem = json.loads(broken_config.output)["problems"][0]
    assert problem["code"] == "config" and problem["line"] == 5 and "did you mean 'pdf'" in problem["message"]
    no_such_source = run("check", "--json", "source/nada.md")
    assert no_such_source.exit_code == 2
    assert json.loads(no_such_source.output)["problems"][0]["message"] == "no such file or folder: source/nada.md"


def test_global_options_work_before_or_after_the_command(wild):
    issue(wild, "uno", "## Uno\n\nUn [enlace roto](#nada).\n")
    after = run("build", "-f", "html", "-q")
    assert after.exit_code == 0 and after.output == ""
    before = run("-q", "build", "-f", "html", "--force")
    assert before.exit_code == 0 and before.output == ""
    elsewhere = wild.parent / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    moved = run("check", "--sources-only", "--project", str(wild), "--json")
    assert moved.exit_code == 1 and json.loads(moved.output)["checked"] == 1
