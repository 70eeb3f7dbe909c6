"""The web archive: feeds read back by feedparser, the sitemap, edition pages' head, archive pages.

One project of three Spanish issues is built once (with real Apertium for the English editions) for
a base URL served by a local HTTP server over output/, so absolute links can be followed for real.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from exporter.cli import cli
from tests.conftest import FIXTURES, make_project

CONFIG = """title = "Boletín de prueba"
base_url = "{base_url}"
languages = ["es", "en"]
default_formats = ["html", "pdf", "epub"]

[translation]
engine = "apertium"
"""
ISSUE = """---
title: "{title}"
date: {date}
lang: es
summary: "{summary}"
slug: {slug}
number: {number}
author: "Redacción"
{cover}---

## Introducción

Este número habla de {topic}. La semana pasada publicamos una guía nueva.
"""
EXTRA_ISSUES = [
    ("datos-abiertos", "Datos abiertos en la administración", "2023-11-20", 2, "Qué publican los ayuntamientos.",
     "los datos abiertos", False),
    ("bases-vectoriales", "Bases de datos vectoriales", "2024-01-15", 3, "Cómo buscan por significado.",
     "las bases de datos vectoriales", True),
]
SLUGS = ["bases-vectoriales", "datos-abiertos", "sample"]  # newest first
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def write_issues(root: Path, issues=EXTRA_ISSUES) -> None:
    """Add small generated issues (some with a cover) to a project made from the sample fixture."""
    for slug, title, date, number, summary, topic, cover in issues:
        folder = root / "source" / slug
        folder.mkdir(parents=True)
        if cover:
            shutil.copyfile(FIXTURES / "sample" / "cover.png", folder / "cover.png")
        (folder / "index.md").write_text(ISSUE.format(title=title, date=date, number=number, summary=summary,
                                                      slug=slug, topic=topic,
                                                      cover="cover: cover.png\n" if cover else ""))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(output folder, base URL): the three issues in es and en, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("site") / "project"
    (root / "output").mkdir(parents=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(root / "output")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/news/"
    make_project(root, ("sample",), CONFIG.format(base_url=base_url))
    write_issues(root)
    result = CliRunner().invoke(cli, ["--project", str(root), "build", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    yield root / "output", base_url
    server.shutdown()


def local_file(output: Path, base_url: str, url: str, page: str = "") -> Path:
    """The file in output/ an absolute (under base_url) or page-relative URL names."""
    absolute = urljoin(base_url + page, url)
    assert absolute.startswith(base_url), f"{url} is outside the site"
    return output / urlsplit(absolute).path[len(urlsplit(base_url).path):]


def manifest_titles(output: Path, lang: str) -> dict[str, str]:
    issues = json.loads((output / "manifest.json").read_text())["issues"]
    return {slug: info["editions"][lang]["title"] for slug, info in issues.items()}


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_feeds_parse_cleanly_with_every_issue_and_absolute_links(built, lang, kind):
    output, base_url = built
    feed = feedparser.parse((output / lang / f"feed.{kind}").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == {"atom": "atom10", "rss": "rss20"}[kind]
    assert feed.feed.language == lang
    titles = manifest_titles(output, lang)
    assert [entry.title for entry in feed.entries] == [titles[slug] for slug in SLUGS]
    for entry, slug in zip(feed.entries, SLUGS, strict=True):
        assert entry.link == f"{base_url}{slug}/{lang}/{slug}.html"
        assert local_file(output, base_url, entry.link).is_file()
        assert entry.summary and entry.published_parsed
    assert feed.entries[0].content[0].value.count("<h2") >= 1  # the full web content by default
    assert all(link.href.startswith(base_url) for link in feed.feed.links)


def test_the_english_feed_carries_the_english_titles(built):
    output, _ = built
    english = feedparser.parse((output / "en" / "feed.atom").read_bytes())
    spanish = feedparser.parse((output / "es" / "feed.atom").read_bytes())
    for entry, slug in zip(english.entries, SLUGS, strict=True):
        page = lxml.html.parse(str(output / slug / "en" / f"{slug}.html")).getroot()
        assert entry.title == page.find(".//h1").text_content()
    assert english.entries[0].title != spanish.entries[0].title
    assert "vector" in english.entries[0].title.lower()
    assert english.feed.title_detail.language == "en" or english.feed.language == "en"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_json_feed_lists_every_issue(built, lang):
    output, base_url = built
    feed = json.loads((output / lang / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["language"] == lang
    assert [item["title"] for item in feed["items"]] == [manifest_titles(output, lang)[slug] for slug in SLUGS]
    assert all(local_file(output, base_url, item["url"]).is_file() for item in feed["items"])
    assert local_file(output, base_url, feed["items"][0]["image"]).is_file()


def test_sitemap_lists_every_edition_with_its_alternates(built):
    output, base_url = built
    tree = etree.parse(str(output / "sitemap.xml"))
    urls = {url.findtext("s:loc", namespaces=NS): url for url in tree.findall("s:url", NS)}
    for slug in SLUGS:
        for lang in ("es", "en"):
            url = urls[f"{base_url}{slug}/{lang}/{slug}.html"]
            alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
            assert alternates == {other: f"{base_url}{slug}/{other}/{slug}.html" for other in ("es", "en")}
    assert {f"{base_url}es/index.html", f"{base_url}en/index.html", f"{base_url}index.html"} <= set(urls)
    assert all(local_file(output, base_url, loc).is_file() for loc in urls)
    robots = (output / "robots.txt").read_text()
    assert f"Sitemap: {base_url}sitemap.xml" in robots.splitlines()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_edition_page_has_canonical_hreflang_open_graph_and_json_ld(built, lang):
    output, base_url = built
    editions = {slug: info["editions"][lang]
                for slug, info in json.loads((output / "manifest.json").read_text())["issues"].items()}
    for slug in SLUGS:
        url = f"{base_url}{slug}/{lang}/{slug}.html"
        page = lxml.html.parse(str(output / slug / lang / f"{slug}.html")).getroot()
        head = page.find("head")
        assert head.xpath("link[@rel='canonical']/@href") == [url]
        hreflang = dict(zip(head.xpath("link[@hreflang]/@hreflang"), head.xpath("link[@hreflang]/@href")))
        assert hreflang == {other: f"{base_url}{slug}/{other}/{slug}.html" for other in ("es", "en")}
        og = {meta.get("property"): meta.get("content") for meta in head.xpath("meta[@property]")}
        title = page.find(".//h1").text_content()
        assert og["og:title"] == title and og["og:url"] == url
        assert og["og:description"] == editions[slug]["summary"] != ""
        assert og["og:locale"] == {"es": "es_ES", "en": "en_US"}[lang]
        if slug != "datos-abiertos":  # the one issue without a cover
            assert local_file(output, base_url, og["og:image"]).is_file()
            assert head.xpath("meta[@name='twitter:card']/@content") == ["summary_large_image"]
        else:
            assert "og:image" not in og
        (ld_text,) = head.xpath("script[@type='application/ld+json']/text()")
        article = json.loads(ld_text)
        assert article["@type"] == "Article" and article["headline"] == title
        assert article["inLanguage"] == lang and article["author"]["name"] == editions[slug]["author"] != ""
        assert article["datePublished"] == page.find(".//time").get("datetime")
        feeds = head.xpath("link[@rel='alternate'][@type='application/atom+xml']/@href")
        assert feeds == [f"{base_url}{lang}/feed.atom"]
        downloads = page.xpath("//nav[@class='downloads']/a/@href")
        assert downloads == [f"{slug}.pdf", f"{slug}.epub"]
        assert all((output / slug / lang / href).is_file() for href in downloads)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_archive_page_lists_the_language_newest_first_with_labels_from_the_catalog(built, lang):
    output, _ = built
    page = lxml.html.parse(str(output / lang / "index.html")).getroot()
    assert page.get("lang") == lang
    titles = [a.text_content() for a in page.xpath("//li[contains(@class, 'issue')]//h2/a")]
    assert titles == [manifest_titles(output, lang)[slug] for slug in SLUGS]
    dates = page.xpath("//li[contains(@class, 'issue')]//time/@datetime")
    assert dates == sorted(dates, reverse=True) and len(dates) == 3
    labels = {a.text_content() for a in page.xpath("//p[@class='downloads']/a")}
    assert labels == ({"Leer en la web", "Descargar PDF", "Descargar EPUB"} if lang == "es"
                      else {"Read online", "Download PDF", "Download EPUB"})
    assert ("15 de enero de 2024" if lang == "es" else "January 15, 2024") in page.text_content()
    other = {"es": "en", "en": "es"}[lang]
    assert page.xpath(f"//nav[@class='languages']/a[@hreflang='{other}']/@href") == [f"../{other}/index.html"]
    root = lxml.html.parse(str(output / "index.html")).getroot()
    assert root.get("lang") == "es" and len(root.xpath("//li[contains(@class, 'issue')]")) == 3
