"""Format plug-ins from outside the package: the example DOCX exporter, and broken or clashing plug-ins.

Entry points are read when a process starts, so every check runs the real CLI in a subprocess.
The example is installed with pip into a temporary folder put on PYTHONPATH (the same build and
``*.dist-info`` as a normal install) rather than into the shared virtualenv, so tests running at
the same time never see a ``docx`` format appear and nothing is left behind if a run is killed.
"""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from exporter.ast import headings
from exporter.document import load_document
from tests.conftest import FIXTURES, REPO, make_project

EXAMPLE = REPO / "examples" / "exporter-docx"
CONFIG = """title = "Boletín de prueba"
base_url = "https://boletin.example.org/"
languages = ["es", "en"]
default_formats = {formats}

[translation]
engine = "apertium"
"""


def newsletter(*args: str, cwd: Path, path: list[Path]) -> subprocess.CompletedProcess:
    """Run ``python -m exporter ARGS`` in a fresh process with ``path`` on PYTHONPATH."""
    entries = [*map(str, path), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(entries)}
    return subprocess.run([sys.executable, "-m", "exporter", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def docx_site(tmp_path_factory) -> Path:
    """The example plug-in, built and installed by pip into a private site folder."""
    base = tmp_path_factory.mktemp("docx-plugin")
    source = base / "src"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    site = base / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "--target", str(site), str(source)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (site / "newsletter_docx" / "__init__.py").is_file()
    return site


@pytest.fixture(scope="module")
def docx_project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("docx-project") / "project", config=CONFIG.format(formats='["html"]'))


def docx_outline(path: Path) -> list[tuple[str, str]]:
    """(style, text) of the title and every heading of a DOCX, in order, read back by python-docx."""
    document = docx.Document(str(path))
    return [(p.style.name, p.text.strip()) for p in document.paragraphs
            if p.style.name == "Title" or p.style.name.startswith("Heading")]


def html_outline(page: str) -> list[tuple[str, str]]:
    """The same outline from the web page of the same edition: its title and the headings of <main>."""
    def text(fragment: str) -> str:
        return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())

    title = re.search(r'<h1 class="title">(.*?)</h1>', page, re.S).group(1)
    main = page[page.index("<main>"):page.index("</main>")]
    found = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", main, re.S)
    return [("Title", text(title)), *((f"Heading {level}", text(inner)) for level, inner in found)]


def test_pip_installed_plugin_is_listed(docx_site, docx_project):
    result = newsletter("formats", cwd=docx_project, path=[docx_site])
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("docx"))
    assert "newsletter_docx:DocxExporter" in line and line.endswith("available")
    assert {"pdf", "epub", "email", "html"} <= {line.split()[0] for line in result.stdout.splitlines()}


def test_plugin_builds_every_edition_with_title_and_headings_in_order(docx_site, docx_project):
    result = newsletter("build", "-f", "docx", "-f", "html", "--lang", "es", "--lang", "en",
                        cwd=docx_project, path=[docx_site])
    output = docx_project / "output" / "sample"
    source = load_document(FIXTURES / "sample" / "index.md")
    spanish = docx_outline(output / "es" / "sample.docx")
    assert spanish == [("Title", source.meta.title), *((f"Heading {h.level}", h.text) for h in headings(source.blocks))]
    assert len(spanish) > 4
    assert result.returncode == 0, result.stderr  # the English edition needs the translation step
    english = docx_outline(output / "en" / "sample.docx")
    assert english == html_outline((output / "en" / "sample.html").read_text(encoding="utf-8"))
    assert english[0][1] != spanish[0][1] and len(english) == len(spanish)
    properties = docx.Document(str(output / "en" / "sample.docx")).core_properties
    assert properties.language == "en" and properties.title == english[0][1]
    archive = (docx_project / "output" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../sample/en/sample.docx" class="docx">Download DOCX</a>' in archive  # plug-ins' files too


def docx_body_font(path: Path) -> str:
    """The body (minor) font of a DOCX's theme part: where the reference document's fonts end up."""
    with zipfile.ZipFile(path) as package:
        theme = package.read("word/theme/theme1.xml").decode()
    return re.search(r'<a:minorFont>\s*<a:latin typeface="([^"]*)"', theme).group(1)


def test_plugin_takes_the_reference_document_from_the_theme(docx_site, docx_project):
    fonts = {}
    for theme in ("default", "minimal"):
        result = newsletter("build", "-f", "docx", "--lang", "es", "--theme", theme, "-o", f"out-{theme}",
                            cwd=docx_project, path=[docx_site])
        assert result.returncode == 0, result.stderr
        fonts[theme] = docx_body_font(docx_project / f"out-{theme}" / "sample" / "es" / "sample.docx")
    assert fonts == {"default": "DejaVu Serif", "minimal": "DejaVu Sans"}


# --- broken and clashing plug-ins ------------------------------------------------------------------

FANCY = '''from exporter.formats.base import Exporter


class FancyExporter(Exporter):
    """A format two plug-ins both claim."""

    name = "fancy"
    suffix = ".fancy"

    def export(self, document, theme, out_dir):
        target = out_dir / self.filename(document)
        target.write_text(document.meta.title)
        return [target]
'''


def fake_distribution(site: Path, name: str, entry_points: str, module: str | None = None) -> None:
    """An installed distribution as pip leaves it: ``<name>.dist-info`` with METADATA and entry points."""
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[exporter.formats]\n{entry_points}\n")
    if module is not None:
        (site / f"{name.replace('-', '_')}.py").write_text(module)


@pytest.fixture
def broken_plugins(tmp_path) -> tuple[Path, Path]:
    """Two plug-ins claiming `fancy`, one whose import fails, and a project whose default formats use them."""
    site = tmp_path / "site"
    fake_distribution(site, "fancy-one", "fancy = fancy_one:FancyExporter", FANCY)
    fake_distribution(site, "fancy-two", "fancy = fancy_two:FancyExporter", FANCY)
    fake_distribution(site, "broken-plugin", "broken = no_such_module_for_tests:BrokenExporter")
    config = CONFIG.format(formats='["html", "fancy", "broken"]').replace('["es", "en"]', '["es"]')
    return site, make_project(tmp_path / "project", config=config)


CLASH = re.compile(r"two plug-ins register the format 'fancy': fancy-(one|two) \(fancy_\1:FancyExporter\) and "
                   r"fancy-(?!\1)(one|two) \(fancy_\2:FancyExporter\); uninstall one of them$")
BROKEN = ("plug-in broken-plugin (no_such_module_for_tests:BrokenExporter) failed to import: "
          "ModuleNotFoundError: No module named 'no_such_module_for_tests'")


def test_formats_lists_broken_plugins_as_unavailable_and_the_rest_as_before(broken_plugins):
    site, project = broken_plugins
    result = newsletter("formats", cwd=project, path=[site])
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert CLASH.search(lines["fancy"]) and "unavailable: two plug-ins" in lines["fancy"]
    assert lines["broken"].endswith("unavailable: " + BROKEN)
    for name in ("pdf", "epub", "email", "html"):
        assert lines[name].endswith(" available")


def test_build_skips_broken_default_formats_with_one_line_each_and_builds_the_rest(broken_plugins):
    site, project = broken_plugins
    result = newsletter("build", cwd=project, path=[site])
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2
    assert any(line.startswith("warning: skipping format 'fancy': ") and CLASH.search(line) for line in warnings)
    assert f"warning: skipping format 'broken': {BROKEN}" in warnings
    assert (project / "output" / "sample" / "es" / "sample.html").is_file()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name, message", [("broken", re.escape(BROKEN) + "$"), ("fancy", CLASH.pattern)])
def test_asking_for_a_broken_plugin_is_a_one_line_error_naming_it(broken_plugins, name, message):
    site, project = broken_plugins
    result = newsletter("build", "-f", "html", "-f", name, cwd=project, path=[site])
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("[")]
    assert len(lines) == 1 and lines[0].startswith(f"error: format '{name}' is unavailable: ")
    assert re.search(message, lines[0])


# --- the example's own checks, in-process ----------------------------------------------------------

def test_example_explains_a_missing_pandoc(monkeypatch):
    from tests.test_docs import example_plugin

    exporter_class = example_plugin().DocxExporter
    assert exporter_class().unavailable() is None

    def missing():
        raise OSError("No pandoc was found")

    monkeypatch.setattr("exporter.pandoc.pandoc_binary", missing)
    assert exporter_class().unavailable() == "pandoc is not installed (pip install pypandoc-binary)"


@pytest.mark.parametrize("value", ["../../secret.docx", "/etc/reference.docx", "styles.odt"])
def test_example_reference_doc_must_be_a_theme_file_name(value):
    from exporter.errors import ConfigError
    from tests.test_docs import example_plugin

    with pytest.raises(ConfigError, match="formats.docx.reference_doc"):
        example_plugin().DocxExporter({"reference_doc": value})
