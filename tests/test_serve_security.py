"""What `newsletter serve` refuses: traversal in every spelling, symlinks out, foreign Host headers, forged POSTs;
and that it binds the loopback address by default."""

from __future__ import annotations

import json
import os
import re
import socket
from pathlib import Path

import pytest

from exporter.serve.safety import allowed_hosts, is_loopback, resolve_inside, same_origin
from tests.serve_support import get, running_server, sample_project

SLUG = "llm-boom-2023"
SECRET = "top-secret-config"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = sample_project(tmp_path_factory.mktemp("serve-security") / "project", ["html"], ["es", "en"])
    (project / "newsletter.toml").write_text((project / "newsletter.toml").read_text() + f"\n# {SECRET}\n")
    (project.parent / "outside.txt").write_text(SECRET)
    with running_server(project, [f"{SLUG}/en/{SLUG}.html", "index.html"]) as (port, _):
        output = project / "output"
        (output / "escape").symlink_to(project, target_is_directory=True)
        (output / "config.txt").symlink_to(project / "newsletter.toml")
        (output / "inside.txt").symlink_to(output / "index.html")  # a symlink that stays inside is fine
        yield project, port


@pytest.mark.parametrize("path", [
    "/../newsletter.toml", "/../../outside.txt", f"/{SLUG}/../../newsletter.toml", "/%2e%2e/newsletter.toml",
    "/%2E%2E/%2e%2e/outside.txt", f"/{SLUG}%2f..%2f..%2fnewsletter.toml", "/..%2fnewsletter.toml",
    "//etc/passwd", "/%2fetc/passwd", "/..\\newsletter.toml", "/escape/newsletter.toml", "/config.txt",
    "/.build-state.json", "/__serve/theme/../../../newsletter.toml", "/__serve/theme/%2e%2e/theme.toml",
    "/__serve/static/../app.py", "/__serve/static/%2e%2e/app.py",
])
def test_paths_out_of_the_output_folder_are_refused(server, path):
    _, port = server
    status, body = get(port, path)
    assert status in (400, 403, 404)
    assert SECRET.encode() not in body and b"root:x:0:0" not in body and b"ServeState" not in body


def test_the_output_folder_itself_is_served(server):
    project, port = server
    status, body = get(port, "/")
    assert status == 200 and b"/__serve/email/llm-boom-2023/es/" in body
    assert b"/__serve/review/llm-boom-2023/en/" in body
    assert b"__serve" not in (project / "output" / "index.html").read_bytes()  # the built index has no trace
    status, body = get(port, f"/{SLUG}/es/{SLUG}.html")
    assert status == 200 and b"newsletter-serve-bar" in body
    assert get(port, "/inside.txt")[0] == 200
    edition = project / "output" / SLUG / "es"
    image = next(path for path in sorted(edition.rglob("*")) if path.suffix in (".png", ".jpg", ".svg"))
    status, body = get(port, "/" + image.relative_to(project / "output").as_posix())
    assert status == 200 and body == image.read_bytes()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", "192.168.1.20"])
def test_a_foreign_host_header_is_refused(server, host):
    _, port = server
    status, body = get(port, f"/{SLUG}/es/{SLUG}.html", {"Host": host})
    assert status == 400 and b"newsletter" not in body
    assert get(port, "/", {"Host": f"localhost:{port}"})[0] == 200


def review_token(port: int) -> str:
    """The token the review page hands its own script."""
    status, body = get(port, f"/__serve/review/{SLUG}/en/")
    assert status == 200
    return re.search(rb'name="newsletter-token" content="([^"]+)"', body).group(1).decode()


def post(port: int, headers: dict, unit: str = "u1", translation: str = "Introduction (reviewed)"):
    """A review save with these headers."""
    body = json.dumps({"unit": unit, "translation": translation}).encode()
    return get(port, f"/__serve/review/{SLUG}/en/", {"Content-Type": "application/json", **headers}, "POST", body)


def test_state_changing_requests_need_the_token_and_the_same_origin(server):
    project, port = server
    token = review_token(port)
    own = f"http://127.0.0.1:{port}"
    assert post(port, {"Origin": own})[0] == 403  # no token
    assert post(port, {"Origin": own, "X-Newsletter-Token": "guess"})[0] == 403
    assert post(port, {"Origin": "http://evil.example", "X-Newsletter-Token": token})[0] == 403
    assert post(port, {"Origin": own, "X-Newsletter-Token": token, "Sec-Fetch-Site": "cross-site"})[0] == 403
    assert post(port, {"X-Newsletter-Token": token})[0] == 403  # neither Origin nor Referer
    assert get(port, f"/__serve/review/{SLUG}/en/", {"X-Newsletter-Token": token}, "PUT", b"{}")[0] == 405
    review_file = project / "source" / SLUG / f"{SLUG}.en.po"
    assert not review_file.exists()  # nothing refused was written
    status, body = post(port, {"Origin": own, "X-Newsletter-Token": token})  # the same request, done right
    assert status == 200, body
    assert 'msgid "Introducción"\nmsgstr "Introduction (reviewed)"' in review_file.read_text(encoding="utf-8")
    status, body = post(port, {"Referer": f"{own}/__serve/review/{SLUG}/en/", "X-Newsletter-Token": token},
                        unit="title", translation="The LLM boom")
    assert status == 422 and b'lost <x id=\\"1\\"/>' in body


def test_the_server_binds_the_loopback_address_only(server):
    _, port = server
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if os.path.exists(table):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"]  # 127.0.0.1, nothing on 0.0.0.0 or ::


def test_safety_rules_without_a_server(tmp_path):
    from exporter.cli.serve import serve_command
    from exporter.serve import DEFAULT_HOST

    assert DEFAULT_HOST == "127.0.0.1"
    assert next(p for p in serve_command.params if p.name == "host").default == "127.0.0.1"
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")
    assert allowed_hosts("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text("a")
    assert resolve_inside(tmp_path / "site", "/a.html") == (tmp_path / "site" / "a.html").resolve()
    assert resolve_inside(tmp_path / "site", "/./a.html") is None
    assert resolve_inside(tmp_path / "site", "/a.html", b"/%61.html") == (tmp_path / "site" / "a.html").resolve()
    assert resolve_inside(tmp_path / "site", "/a.html\x00") is None
    assert same_origin({"host": "127.0.0.1:8000", "origin": "http://127.0.0.1:8000"})
    assert not same_origin({"host": "127.0.0.1:8000", "origin": "null"})
    assert not same_origin({"host": "127.0.0.1:8000", "referer": "http://127.0.0.1:8000.evil.example/"})


def test_another_host_is_allowed_only_when_asked_and_with_a_warning(tmp_path):
    import subprocess
    import sys

    project = sample_project(tmp_path / "project", ["html"], ["es"])
    with socket.socket() as taken:  # the port is busy, so the server stops right after its warning
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        result = subprocess.run([sys.executable, "-m", "exporter", "--project", str(project), "serve", "--host",
                                 "0.0.0.0", "--port", str(taken.getsockname()[1])],
                                capture_output=True, text=True, timeout=120)
    assert "warning: serving on 0.0.0.0: other machines can reach this preview" in result.stderr
    assert result.returncode == 2 and "error: cannot listen on 0.0.0.0:" in result.stderr
    assert "Traceback" not in result.stderr
