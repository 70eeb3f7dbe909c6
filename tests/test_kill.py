"""Builds killed with SIGKILL at random moments leave only complete files; the next build succeeds."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile

from pypdf import PdfReader


def newsletter(project, *args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "exporter", *args], cwd=project, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)


def assert_outputs_complete(output):
    for path in output.rglob("*"):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(output).parts):
            continue  # staging folders and temporary files are private to a build
        data = path.read_bytes()
        assert data, f"{path} is empty"
        if path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF"), path
            assert len(PdfReader(path).pages) >= 1
        elif path.suffix == ".epub":
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, path
        elif path.suffix == ".html":
            assert data.rstrip().lower().endswith(b"</html>"), path
        elif path.suffix == ".json":
            json.loads(data)


def test_sigkill_at_random_moments(project):
    first = newsletter(project, "build")
    assert first.wait(timeout=300) == 0, first.stderr.read()
    output = project / "output"
    started = time.monotonic()
    probe = newsletter(project, "build", "--force")
    probe.wait(timeout=300)
    full = time.monotonic() - started
    rng = random.Random(20231016)
    for _ in range(6):
        process = newsletter(project, "build", "--force", "--jobs", "2")
        time.sleep(rng.uniform(0.05, full))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert_outputs_complete(output)
    final = newsletter(project, "build")
    assert final.wait(timeout=300) == 0, final.stderr.read()
    assert_outputs_complete(output)
    assert not [p for p in output.rglob(".*") if p.name not in (".lock", ".build-state.json", ".site-state.json")]
    manifest = json.loads((output / "manifest.json").read_text())
    assert {entry["format"] for entry in manifest["files"]} >= {"pdf", "epub", "email", "html"}


def test_two_builds_at_once_do_not_corrupt_the_output(project):
    builds = [newsletter(project, "build", "--force"), newsletter(project, "build", "--force", "-f", "pdf")]
    for process in builds:
        assert process.wait(timeout=300) == 0, process.stderr.read()
    output = project / "output"
    assert_outputs_complete(output)
    manifest = json.loads((output / "manifest.json").read_text())
    assert {e["format"] for e in manifest["files"]} >= {"pdf", "epub", "email", "html"}
    state = json.loads((output / ".build-state.json").read_text())["outputs"]
    assert set(state) == {f"sample/es/{name}" for name in ("pdf", "epub", "email", "html")}
