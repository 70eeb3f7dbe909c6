"""``newsletter check``: passes on the sample issue and its editions, names file and problem on broken sources."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.check import ERROR, Problem, report_text
from exporter.check.email import check_emails
from exporter.check.epub import check_epubs, unavailable
from exporter.check.pdf import check_pdfs
from exporter.cli import cli

BROKEN = """---
title: Roto a propósito
lang: es
date: 2023-10-17
---
## Uno

Un [ancla muerta](#nowhere), un [ancla buena](#uno) y [un archivo que falta](otro.md).

![](figure.png)

![Una imagen que no está](no-existe.png)
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def write_issue(root: Path, slug: str, text: str) -> Path:
    folder = root / "source" / slug
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_sample_issue_and_its_editions_pass(project):
    built = run("build", "-f", "pdf", "-f", "epub", "-f", "email", "-j", "1")
    assert built.exit_code == 0, built.output
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("checked 4 file(s): 0 error(s), 0 warning(s)")
    report = json.loads(run("check", "--json").output)
    assert report == {"checked": 4, "problems": []}


def test_broken_sources_fail_naming_file_line_and_problem(project):
    folder = write_issue(project, "roto", BROKEN)
    (folder / "figure.png").write_bytes((project / "source" / "sample" / "cover.png").read_bytes())
    result = run("check", "--sources-only", "source/roto")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "source/roto/index.md:10: missing-alt image 'figure.png' has no alt text" in lines
    assert "source/roto/index.md:12: missing-image image 'no-existe.png' not found" in lines
    assert "source/roto/index.md:8: broken-link link to '#nowhere': no heading or element has that id" in lines
    assert "source/roto/index.md:8: broken-link link to 'otro.md': no such file in the issue's folder" in lines
    assert not any("#uno" in line for line in lines)
    assert lines[-1] == "checked 1 file(s): 4 error(s), 0 warning(s)"


def test_json_report(project):
    write_issue(project, "roto", BROKEN)
    result = run("check", "--json", "--sources-only", "source/roto")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert {(p["code"], p["line"]) for p in report["problems"]} == {
        ("missing-alt", 10), ("missing-image", 10), ("missing-image", 12), ("broken-link", 8)}
    assert all(p["path"] == "source/roto/index.md" and p["severity"] == ERROR for p in report["problems"])


def test_a_missing_image_is_reported_not_raised(project):
    """``build`` stops at the first missing image; ``check`` reports every one and goes on."""
    write_issue(project, "roto", BROKEN.replace("![](figure.png)", "![Otra](tampoco.png)"))
    result = run("check", "--sources-only")
    assert result.exit_code == 1
    assert "source/roto/index.md:10: missing-image image 'tampoco.png' not found" in result.output
    assert "source/roto/index.md:12: missing-image image 'no-existe.png' not found" in result.output
    assert "sample" not in result.output.replace("checked", "")  # the good issue is still checked, and clean


def test_unparseable_source_is_one_problem(project):
    write_issue(project, "sin-cabecera", "no front matter here\n")
    result = run("check", "--sources-only", "source/sin-cabecera")
    assert result.exit_code == 1
    assert result.output.startswith("source/sin-cabecera/index.md:1: source no title: add 'title:'")


def test_oversized_images_warn_and_fail_only_when_strict(project):
    from PIL import Image

    folder = write_issue(project, "grande", "---\ntitle: G\nlang: es\ndate: 2023-10-16\n---\n## A\n\n![Ancha](ancha.png)\n")
    Image.frombytes("L", (3200, 10), os.urandom(32000)).save(folder / "ancha.png")  # ~32 KB, 3200 px wide
    result = run("check", "--sources-only", "source/grande")
    assert result.exit_code == 0
    assert "oversized-image (warning) image 'ancha.png' is 3200×10 px (budget 3000 px a side)" in result.output
    assert run("check", "--sources-only", "--strict", "source/grande").exit_code == 1
    assert "KB (budget 1 KB)" in run("check", "--sources-only", "--max-image-kb", "1", "source/grande").output


def test_raw_html_image_without_alt_and_raw_anchor(project):
    write_issue(project, "crudo", '---\ntitle: C\nlang: es\ndate: 2023-10-16\n---\n<a name="aqui"></a>\n\n'
                '[Ir](#aqui)\n\n<img src="https://example.org/x.png">\n')
    result = run("check", "--sources-only", "source/crudo")
    assert result.exit_code == 1
    assert "source/crudo/index.md:10: missing-alt image 'https://example.org/x.png' has no alt text" in result.output
    assert "broken-link" not in result.output  # an <a name> is a valid anchor


def test_font_not_embedded_is_reported(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    path = tmp_path / "bare.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    assert check_pdfs([path]) == [Problem(path, None, "font-not-embedded", "font 'Helvetica' is not embedded")]


def test_email_over_budget(tmp_path):
    small, big = tmp_path / "a.email.html", tmp_path / "b.email.html"
    small.write_text("x" * 50_000)
    big.write_text("x" * 110_000)
    problems = check_emails([small, big])
    assert [(p.path, p.code) for p in problems] == [(big, "email-size")]
    assert "110.0 kB" in problems[0].message


def test_report_text_format():
    problems = [Problem(Path("a.md"), 3, "missing-alt", "image 'x.png' has no alt text"),
                Problem(Path("b.epub"), None, "epubcheck", "RSC-005 error: bad", ERROR)]
    assert report_text(problems, 2).splitlines() == [
        "a.md:3: missing-alt image 'x.png' has no alt text",
        "b.epub: epubcheck RSC-005 error: bad",
        "checked 2 file(s): 2 error(s), 0 warning(s)",
    ]


@pytest.mark.slow
def test_epubcheck_runs_once_per_batch_and_names_file_and_message(tmp_path, monkeypatch):
    if unavailable():
        pytest.fail(unavailable())
    import zipfile

    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", "<container/>")
    also = tmp_path / "also.epub"
    also.write_bytes(broken.read_bytes())
    calls = []
    real_run = subprocess.run

    def counting_run(command, *args, **kwargs):
        calls.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting_run)
    problems = check_epubs([broken, also, tmp_path / "gone.epub"])
    assert len([c for c in calls if c[0] == "java"]) == 1
    for path in (broken, also):
        mine = [p for p in problems if p.path == path]
        assert mine and all(p.code == "epubcheck" and p.severity == ERROR for p in mine)
        assert any(p.message.startswith(("RSC-", "PKG-", "OPF-")) for p in mine)
    assert [p.code for p in problems if p.path.name == "gone.epub"] == ["missing-output"]
