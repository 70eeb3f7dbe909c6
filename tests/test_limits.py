"""Limits on hostile or pathological input: size, pandoc time and memory, odd front-matter types."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from exporter import pandoc
from exporter.cli import cli
from exporter.document import MAX_SOURCE_BYTES, load_document
from exporter.errors import ExportError, SourceError

HEADER = "---\ntitle: T\nlang: es\ndate: 2023-10-16\nslug: t\n---\n"


def test_a_huge_source_is_refused_with_its_size(tmp_path):
    path = tmp_path / "huge.md"
    path.write_text(HEADER + "palabra " * (MAX_SOURCE_BYTES // 8 + 10))
    with pytest.raises(SourceError, match=r"the limit is 5120 KB"):
        load_document(path)


def test_pandoc_is_stopped_after_its_timeout():
    with pytest.raises(ExportError, match="took longer than"):
        pandoc.run_pandoc(["-f", "markdown", "-t", "json"], "*a* " * 200_000, timeout=0.05)


def test_pandoc_runs_under_a_memory_cap(monkeypatch):
    monkeypatch.setattr(pandoc, "PANDOC_HEAP_LIMIT", "4m")
    with pytest.raises(ExportError, match="ran out of memory"):
        pandoc.markdown_to_ast("| a | b |\n|---|---|\n" + "| *x* | `y` |\n" * 20_000)


def test_pandoc_cannot_read_local_files_while_parsing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("S3CRET")
    ast = pandoc.markdown_to_ast(f"![x]({secret})\n\n```{{include={secret}}}\n```\n")
    assert "S3CRET" not in str(ast)


@pytest.mark.parametrize("line", ["title: {a: 1}", "title: [1, 2]", "summary: {date: 2023-10-16 10:00:00}",
                                  "author: {name: X}", "cover: [a.png]"])
def test_unexpected_front_matter_types(tmp_path, line):
    key = line.split(":")[0]
    path = tmp_path / "issue.md"
    path.write_text(HEADER.replace(f"{key}: T\n", "").replace("---\n", f"---\n{line}\n", 1) + "Hola\n")
    with pytest.raises(SourceError, match=f"front matter '{key}'") as info:
        load_document(path)
    assert info.value.line == 2


def test_a_binary_source_fails_in_one_line_and_writes_nothing_of_its_own(project):
    (project / "source" / "binary.md").write_bytes(b"\x00\x01\x02" * 100)
    result = CliRunner().invoke(cli, ["build", "-f", "html"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].endswith("binary.md: this is a binary file, not Markdown text")
    issues = sorted(p.name for p in (project / "output").iterdir() if p.is_dir() and p.name not in ("es", "en"))
    assert issues == ["sample"]  # its neighbour builds (es/ and en/ are the archive pages)
    only = CliRunner().invoke(cli, ["build", "-f", "html", "-o", "solo", "source/binary.md"])
    assert only.exit_code == 1 and len(only.output.strip().splitlines()) == 1
    assert not (project / "solo").exists()
