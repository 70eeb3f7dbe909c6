"""The command line: every command and error path, through click's CliRunner."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from exporter.cli import cli
from exporter.output import sha256_file


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def output_files(project):
    folder = project / "output"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_formats_lists_the_builtins():
    result = run("formats")
    assert result.exit_code == 0
    for name in ("pdf", "epub", "email", "html"):
        assert any(line.startswith(name) and "available" in line for line in result.output.splitlines())


def test_build_writes_editions_manifest_and_index(project):
    result = run("build", "-f", "html", "-f", "email")
    assert result.exit_code == 0, result.output
    edition = project / "output" / "sample" / "es"
    assert (edition / "sample.html").is_file() and (edition / "sample.email.html").is_file()
    assert (edition / "figure.svg").is_file()  # images copied next to the page
    manifest = json.loads((project / "output" / "manifest.json").read_text())
    entries = {entry["path"]: entry for entry in manifest["files"]}
    page = entries["sample/es/sample.html"]
    assert page["format"] == "html" and page["lang"] == "es"
    assert page["sha256"] == sha256_file(edition / "sample.html")
    assert page["size"] == (edition / "sample.html").stat().st_size
    assert entries["sample/es/sample.email.html"]["format"] == "email"
    assert entries["sample/es/sample.eml"]["format"] == "email"  # a companion of the email edition
    assert entries["sample/es/sample.txt"]["format"] == "text"
    assert manifest["issues"]["sample"]["title"] == "Boletín de prueba"
    index = (project / "output" / "index.html").read_text()
    assert 'href="sample/es/sample.html"' in index and "Boletín de prueba" in index
    assert not [p for p in (project / "output").iterdir() if p.name.startswith(".staging")]


def test_python_dash_m_runs_the_same_cli():
    result = subprocess.run([sys.executable, "-m", "exporter", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "build" in result.stdout


def test_unknown_format_is_a_usage_error(project):
    result = run("build", "-f", "docz")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["error: unknown format 'docz' (available: email, epub, html, pdf, text)"]
    assert output_files(project) == []


@pytest.mark.parametrize("front_matter, message", [
    ("title: [unclosed\n", "invalid YAML front matter"),
    ("title: T\nlang: es\ndate: 2024-13-45\n", "index.md:4: front matter 'date': '2024-13-45' is not a valid date "
                                             "(month must be in 1..12); write it as YYYY-MM-DD"),
    ("title: T\nlang: es\ndate: 13/01/2024\n", "'13/01/2024' is not a date in the form YYYY-MM-DD"),
    ("lang: es\ndate: 2024-01-13\n", "no title"),
])
def test_broken_front_matter_fails_in_one_line_and_writes_nothing(project, front_matter, message):
    path = project / "source" / "sample" / "index.md"
    body = path.read_text().split("---\n", 2)[2]
    path.write_text("---\n" + front_matter + "---\n" + body)
    result = run("build")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "source/sample/index.md" in lines[0]
    assert output_files(project) == []


def test_missing_image_is_a_warning_naming_file_and_line_and_the_page_shows_a_placeholder(project):
    path = project / "source" / "sample" / "index.md"
    path.write_text(path.read_text().replace("(figure.svg)", "(missing.png)"))
    result = run("build", "-f", "html")
    assert result.exit_code == 0
    assert result.output.count("image 'missing.png' not found: shown as its alt text") == 1
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "(missing.png)" in text)
    assert f"index.md:{line}: image 'missing.png'" in result.output
    page = (project / "output" / "sample" / "es" / "sample.html").read_text()
    assert re.search(r'<span class="image-missing"[^>]*>Imagen no disponible</span>', page)
    assert "<figcaption>Diagrama: de Markdown a PDF" in page  # the figure keeps its caption, said once
    assert "missing.png" not in page.replace('data-src="missing.png"', "")


def test_invalid_config_names_the_key(project):
    (project / "newsletter.toml").write_text('title = "X"\nlanguage = ["es"]\n')
    result = run("build")
    assert result.exit_code == 1
    assert "newsletter.toml:2: 'language': unknown key" in result.output


def test_a_failing_exporter_publishes_nothing_for_that_edition(project):
    theme = project / "themes" / "broken"
    theme.mkdir(parents=True)
    (theme / "theme.toml").write_text('extends = "default"\n')
    (theme / "print.html").write_text("{% if %}")
    result = run("build", "-f", "html", "-f", "pdf", "--theme", "broken")
    assert result.exit_code == 1
    assert "pdf: template error" in result.output and "print.html" in result.output
    assert not (project / "output" / "sample" / "es" / "sample.html").exists()


def test_unknown_theme_and_missing_source(project):
    assert run("build", "--theme", "nope").exit_code == 1
    result = run("build", "source/absent.md")
    assert result.exit_code == 2 and "no such file or folder: source/absent.md" in result.output


def test_quiet_and_verbose(project):
    quiet = run("-q", "build", "-f", "html")
    assert quiet.exit_code == 0 and quiet.output == ""
    loud = run("build", "-f", "html")
    assert "nothing changed" in loud.output and "built 0 output(s) of 1 edition(s), 1 up to date" in loud.output
    forced = run("build", "-f", "html", "--force", "--jobs", "2")
    assert "built 1 output(s) of 1 edition(s), 0 up to date" in forced.output


def test_two_issues_with_one_slug_are_refused(project):
    shutil.copytree(project / "source" / "sample", project / "source" / "copia")  # its front matter: slug: sample
    result = run("build", "-f", "html")
    assert result.exit_code == 2
    assert "two issues have the slug 'sample'" in result.output and "copia/index.md" in result.output
    assert output_files(project) == []
