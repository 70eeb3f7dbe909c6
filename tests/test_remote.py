"""Portable export tasks: what a Dask worker runs, here in-process from another folder (no cluster needed)."""

from __future__ import annotations

import pickle
import shutil

import pytest

from exporter.errors import ExportError
from exporter.formats.base import Site
from exporter.formats.html import HtmlExporter
from exporter.formats.pdf import PdfExporter
from exporter.remote import pack_task, pack_theme, run_portable, stage_files, write_files
from exporter.themes import load_theme
from tests.conftest import FIXTURES


class CrashingExporter(HtmlExporter):
    """An engine that fails, noting where the worker put the issue."""

    seen: list[str] = []

    def export(self, document, theme, out_dir):
        self.seen.append(str(document.base_dir))
        raise ValueError(f"engine crashed in {document.base_dir}")


@pytest.fixture
def moved_away(sample, tmp_path, monkeypatch):
    """The sample task pickled as Dask would send it, the issue folder gone: only the task's data remains."""
    site = Site(title="Boletín", base_url="https://boletin.example.org/", languages=("es",))
    theme = load_theme("default", tmp_path)
    copy = tmp_path / "issue"
    shutil.copytree(FIXTURES / "sample", copy)
    from exporter.document import load_document

    document = load_document(copy / "index.md")

    def task(exporter):
        data = pickle.dumps(pack_task("sample/es/x", document, exporter, pack_theme(theme)))
        return data

    local = tmp_path / "local"
    local.mkdir()
    expected = {path.relative_to(local).as_posix(): path.read_bytes()
                for path in HtmlExporter({}, site).export(document, theme, local)}
    tasks = {"html": task(HtmlExporter({}, site)), "pdf": task(PdfExporter({}, site))}
    shutil.rmtree(copy)
    elsewhere = tmp_path / "worker"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tasks, expected, document.source


def test_a_portable_task_returns_the_same_files_as_a_local_export(moved_away, epoch):
    tasks, expected, _ = moved_away
    files = dict(run_portable(pickle.loads(tasks["html"])))
    assert files == expected and {"sample.html", "cover.png", "figure.svg"} <= set(files)
    (name, pdf), = run_portable(pickle.loads(tasks["pdf"]))
    assert name == "sample.pdf" and pdf.startswith(b"%PDF") and b"/newsletter-issue/" not in pdf


def test_an_engine_failure_names_the_original_source_not_the_worker_folder(moved_away):
    tasks, _, source = moved_away
    task = pickle.loads(tasks["html"])
    broken = type(task)(task.ident, task.edition, CrashingExporter(), task.theme, task.issue_files)
    with pytest.raises(ExportError) as failure:
        run_portable(broken)
    assert str(failure.value) == f"{source}: html failed: ValueError: engine crashed in {CrashingExporter.seen[0]}"
    assert "newsletter-task-" in CrashingExporter.seen[0]  # it ran in the worker's scratch folder


def test_task_files_cannot_leave_their_folder(tmp_path):
    with pytest.raises(ExportError, match="outside its folder"):
        write_files(tmp_path / "out", (("../escaped.txt", b"x"),))
    assert not (tmp_path / "escaped.txt").exists()
    assert stage_files(tmp_path / "stage", (("images/a.png", b"1"), ("a.html", b"2"))) == [
        tmp_path / "stage" / "images" / "a.png", tmp_path / "stage" / "a.html"]


class EngineMissing(HtmlExporter):
    """A format whose engine this worker lacks."""

    def unavailable(self):
        return "the pango-1.0 library is missing (apt install libpango-1.0-0)"


def test_a_worker_without_the_engine_fails_the_task_with_the_engine_reason(moved_away):
    import socket

    tasks, _, source = moved_away
    task = pickle.loads(tasks["html"])
    with pytest.raises(ExportError) as failure:
        run_portable(type(task)(task.ident, task.edition, EngineMissing(), task.theme, task.issue_files))
    assert str(failure.value) == (f"{source}: html cannot run on worker {socket.gethostname()}: the pango-1.0 "
                                  "library is missing (apt install libpango-1.0-0)")
