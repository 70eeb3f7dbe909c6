"""Helpers for the `newsletter serve` tests and benchmark: a project copy and a real server process."""

from __future__ import annotations

import contextlib
import http.client
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def sample_project(folder: Path, formats: list[str], languages: list[str] = ("es", "en")) -> Path:
    """A copy of the sample issue (without its reviewed translations: the review page starts from machine
    output) and newsletter.toml in ``folder``, building only ``formats``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "source" / "llm-boom-2023", folder / "source" / "llm-boom-2023",
                    ignore=shutil.ignore_patterns("*.po"))
    config = (ROOT / "newsletter.toml").read_text(encoding="utf-8")
    config = config.replace('languages = ["es", "en"]', f"languages = {list(languages)!r}".replace("'", '"'))
    config = config.replace('default_formats = ["pdf", "epub", "email", "html"]',
                            f"default_formats = {list(formats)!r}".replace("'", '"'))
    (folder / "newsletter.toml").write_text(config, encoding="utf-8")
    return folder


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None):
    """(status, body) of one raw request: the path is sent exactly as given, never normalised."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": f"127.0.0.1:{port}", **(headers or {})}.items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_for(condition, timeout: float, what: str, interval: float = 0.05):
    """Poll ``condition`` until it returns something true; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            value = condition()
            if value:
                return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@contextlib.contextmanager
def running_server(project: Path, ready: list[str], *arguments: str):
    """`newsletter serve` on a free port in ``project``; yields (port, log path) once ``ready`` files exist."""
    port = free_port()
    log = project / "serve.log"
    with open(log, "w") as stream:
        process = subprocess.Popen([sys.executable, "-m", "exporter", "--project", str(project), "serve",
                                    "--port", str(port), *arguments], cwd=project, stdout=stream, stderr=stream)
    try:
        wait_for(lambda: process.poll() is None and get(port, "/")[0] in (200, 404), 30, "the server to answer")
        for name in ready:
            wait_for(lambda n=name: (project / "output" / n).is_file(), 120, f"output/{name}")
        yield port, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
