"""Hostile content: nothing outside the issue and theme folders reaches any output, nothing runs."""

from __future__ import annotations

import html.parser
import http.server
import json
import re
import threading
import zipfile
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from exporter.cli import cli
from exporter.fetcher import ConfinedFetcher, RefusedURL
from exporter.sanitize import sanitize_html

MARKER = "S3CRET-MARKER-7f3a9c"


class CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(f"body {{ content: '{MARKER}'; }}".encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    CountingHandler.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def hostile_issue(root: Path, secret: Path, server: str) -> None:
    folder = root / "source" / "hostile"
    folder.mkdir(parents=True)
    (folder / "ok.png").write_bytes((root / "source" / "sample" / "cover.png").read_bytes())
    (folder / "index.md").write_text(f"""---
title: "{{{{ 7*7 }}}} </mj-text><script>alert(1)</script>\\" onmouseover=\\"alert(5)"
subtitle: "{{% include '/etc/passwd' %}}"
lang: es
date: 2023-10-16
summary: "<img src=x onerror=alert(1)>"
---

Texto con un [enlace peligroso](javascript:alert(1)) y [salida](../../{secret.name}).

<script>document.write("active")</script>
<iframe src="file://{secret}"></iframe>
<object data="file://{secret}"></object>
<img src="file://{secret}" onerror="alert(2)" alt="x">
<img src="{server}/ssrf.png" alt="ssrf">
<img src="http://169.254.169.254/latest/meta-data/" alt="metadata">
<link rel="attachment" href="file://{secret}">
<link rel="stylesheet" href="file://{secret}">
<link rel="stylesheet" href="{server}/evil.css">
<style>@import url("file://{secret}"); body {{ background: url("{server}/bg.png"); }}</style>
<p onclick="alert(3)" style="background: url({server}/inline.png)">Párrafo con manejador.</p>

![bien](ok.png)
""")


@pytest.fixture
def hostile_build(project, local_server, tmp_path_factory):
    secret = tmp_path_factory.mktemp("private") / "secret.txt"
    secret.write_text(MARKER)
    hostile_issue(project, secret, local_server)
    result = CliRunner().invoke(cli, ["build", "source/hostile"])
    return project, result


def every_output_byte(output: Path):
    for path in output.rglob("*"):
        if path.is_file():
            yield path, path.read_bytes()
            if path.suffix == ".epub":
                with zipfile.ZipFile(path) as archive:
                    for name in archive.namelist():
                        yield Path(f"{path}!{name}"), archive.read(name)


def test_hostile_issue_builds_without_leaking_or_fetching(hostile_build):
    project, result = hostile_build
    assert result.exit_code == 0, result.output
    assert CountingHandler.hits == []  # no request reached the loopback server
    for path, data in every_output_byte(project / "output"):
        assert MARKER.encode() not in data, f"secret leaked into {path}"


def test_pdf_has_no_attachment_and_no_fetched_resource(hostile_build):
    from pypdf import PdfReader

    project, _ = hostile_build
    reader = PdfReader(project / "output" / "hostile" / "es" / "hostile.pdf")
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    text = "".join(page.extract_text() for page in reader.pages)
    assert MARKER not in text


class TagCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


SITE_URL = "https://boletin.example.org/"  # the fixture project's base_url: its canonical and feed links are ours


def active_content(markup: str) -> list[str]:
    """Every tag or attribute in ``markup`` that could run code, load a local file or reach a private host."""
    collector = TagCollector()
    collector.feed(markup)
    found = []
    for tag, attrs in collector.tags:
        if tag == "link" and attrs.get("rel") in ("canonical", "alternate") and attrs["href"].startswith(SITE_URL):
            continue
        if tag == "script" and attrs == {"type": "application/ld+json"}:
            continue  # a data block, never run; its text is checked below
        remote_link = ":" in (attrs.get("href") or "") or (attrs.get("href") or "").startswith("/")
        if tag in ("script", "iframe", "object", "embed", "base", "form") or (
                tag == "link" and (attrs.get("rel") in ("attachment", "import") or remote_link)):
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            value = (value or "").strip().lower()
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if name in ("href", "src", "data", "poster") and value.startswith(
                    ("javascript:", "file:", "http://127.", "http://169.254.", "http://10.", "data:text/html")):
                found.append(f"{tag}[{name}={value}]")
    return found


@pytest.mark.parametrize("name", ["hostile.html", "hostile.email.html"])
def test_web_and_email_carry_no_active_content(hostile_build, name):
    project, _ = hostile_build
    markup = (project / "output" / "hostile" / "es" / name).read_text()
    assert active_content(markup) == []
    collector = TagCollector()
    collector.feed(markup)
    text = " ".join(collector.text)
    assert "{{ 7*7 }}" in text and "</mj-text><script>alert(1)</script>" in text  # shown as text, not run
    for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', markup, re.S):
        assert "<" not in data and json.loads(data)["headline"].startswith("{{ 7*7 }} </mj-text><script>")


def test_archive_page_and_feeds_show_a_hostile_title_as_text(hostile_build):
    project, _ = hostile_build
    archive = (project / "output" / "es" / "index.html").read_text()
    assert active_content(archive) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in archive
    feed = feedparser.parse((project / "output" / "es" / "feed.atom").read_bytes())
    assert not feed.bozo and feed.entries[0].title.startswith("{{ 7*7 }} </mj-text><script>alert(1)</script>")


def test_epub_carries_no_active_content(hostile_build):
    project, _ = hostile_build
    with zipfile.ZipFile(project / "output" / "hostile" / "es" / "hostile.epub") as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                assert active_content(archive.read(name).decode()) == [], name


def test_sanitizer_allow_list():
    cleaned = sanitize_html('<p onclick="x" style="color:red">a</p><script>b</script><a href="javascript:c">d</a>'
                            '<td style="background:url(http://x)">e</td><math><mi>x</mi></math>')
    assert "onclick" not in cleaned and "<script" not in cleaned and "javascript" not in cleaned
    assert "url(" not in cleaned and "<math>" in cleaned


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1/", "http://169.254.169.254/",
                                 "http://10.0.0.1/", "ftp://example.org/x", "file://remote.host/etc/passwd"])
def test_fetcher_refuses(tmp_path, url):
    with pytest.raises(RefusedURL):
        ConfinedFetcher([tmp_path], allow_http=True).fetch(url)


def test_fetcher_serves_files_inside_allowed_folders_only(tmp_path):
    inside = tmp_path / "issue" / "a.css"
    inside.parent.mkdir()
    inside.write_text("p{}")
    fetcher = ConfinedFetcher([tmp_path / "issue"])
    assert fetcher.fetch(inside.as_uri()) is not None
    with pytest.raises(RefusedURL):
        fetcher.fetch((tmp_path / "issue" / ".." / "b.css").as_uri())
