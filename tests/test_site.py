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
default_formats = ["html", "pdf", "epub"]

[languages.es]
[languages.en]
cover = "source"  # the fixture's covers carry no text: the English editions may show them

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
    """Serves output/ under /news/, as a site published below its domain's root."""

    def translate_path(self, path):
        return super().translate_path(path.removeprefix("/news")) if path.startswith("/news/") else "/nonexistent"

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
    assert feed.feed.link == f"{base_url}{lang}/index.html"  # the archive page, not the feed itself
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [f"{base_url}{lang}/feed.{kind}"]


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


# --- incremental, and a project without base_url -----------------------------------------------

SMALL_CONFIG = """title = "Boletín de prueba"
base_url = "https://boletin.example.org/"
languages = ["es"]
default_formats = ["html"]
{extra}"""


def build_in(root: Path, *args: str):
    from exporter.build import build, plan_from
    from exporter.config import load_settings

    settings = load_settings(root)
    return build(settings, plan_from(settings, jobs=1, force="--force" in args))


def test_site_is_rewritten_only_when_issue_metadata_or_the_issue_list_changes(tmp_path):
    root = make_project(tmp_path / "project", ("sample",), SMALL_CONFIG.format(extra='[site]\nfeed_content = "summary"\n'))
    first = build_in(root)
    assert {path.relative_to(root / "output").as_posix() for path in first.site} == {
        "index.html", "es/index.html", "es/feed.atom", "es/feed.rss", "es/feed.json", "sitemap.xml", "robots.txt"}
    stamps = {path: path.stat().st_mtime_ns for path in first.site}

    again = build_in(root, "--force")  # every page rebuilt, same metadata: the site stays as it is
    assert again.built == ["sample/es/html"] and again.site == []
    source = root / "source" / "sample" / "index.md"
    source.write_text(source.read_text().replace("Este número de prueba", "Este número de ensayo"))
    body_only = build_in(root)  # the body changed, but feeds carry summaries here
    assert body_only.built == ["sample/es/html"] and body_only.site == []
    assert all(path.stat().st_mtime_ns == stamp for path, stamp in stamps.items())

    source.write_text(source.read_text().replace('summary: "Notas', 'summary: "Nuevas notas'))
    assert (root / "output" / "es" / "feed.atom") in build_in(root).site
    feed = feedparser.parse((root / "output" / "es" / "feed.atom").read_bytes())
    assert feed.entries[0].summary.startswith("Nuevas notas") and "content" not in feed.entries[0]

    write_issues(root, EXTRA_ISSUES[:1])
    assert (root / "output" / "sitemap.xml") in build_in(root).site
    feed = feedparser.parse((root / "output" / "es" / "feed.atom").read_bytes())
    assert [entry.title for entry in feed.entries] == ["Datos abiertos en la administración", "Boletín de prueba"]


def test_without_base_url_one_warning_and_no_feeds_or_sitemap(tmp_path):
    config = SMALL_CONFIG.format(extra="").replace('"https://boletin.example.org/"', '""').replace('["es"]', '["es", "en"]').replace(
        '["html"]', '["html", "email"]')
    root = make_project(tmp_path / "project", ("sample",), config + '[translation]\nengine = "apertium"\n')
    result = CliRunner().invoke(cli, ["--project", str(root), "build", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.count("no base_url") == 1, result.output
    assert "feeds and sitemap.xml are skipped" in result.output
    output = root / "output"
    assert not list(output.rglob("feed.*")) and not (output / "sitemap.xml").exists()
    assert (output / "es" / "index.html").is_file() and (output / "en" / "index.html").is_file()
    assert "Sitemap:" not in (output / "robots.txt").read_text()
    page = lxml.html.parse(str(output / "sample" / "en" / "sample.html")).getroot()
    assert not page.xpath("//link[@rel='canonical']") and page.xpath("//link[@hreflang='es']/@href") == [
        "../es/sample.html"]


# --- the archive in Chromium --------------------------------------------------------------------

LINKS_JS = """() => [...document.querySelectorAll('a[href], link[href], img[src]')]
  .map(e => e.getAttribute('href') || e.getAttribute('src'))"""


@pytest.mark.slow
@pytest.mark.parametrize("width", [375, 1200])
def test_archive_pages_fit_the_screen_and_every_link_resolves(built, browser, artifacts, width):
    output, base_url = built
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    failures = []
    try:
        for path in ("index.html", "es/index.html", "en/index.html"):
            page.goto(base_url + path, wait_until="load")
            page.screenshot(path=str(artifacts / f"archive-{path.replace('/', '-')[:-5]}-{width}.png"), full_page=True)
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            if scroll > inner:
                failures.append(f"{path} at {width}px: page is {scroll}px wide")
            images = page.eval_on_selector_all("img", "all => all.map(i => [i.src, i.complete && i.naturalWidth > 0])")
            failures += [f"{path}: image {src} did not load" for src, ok in images if not ok]
            if len(images) != 2:  # two of the three issues have a cover
                failures.append(f"{path}: {len(images)} covers instead of 2")
            hrefs = page.evaluate(LINKS_JS)
            assert len(hrefs) > 15
            for href in hrefs:
                target = local_file(output, base_url, href, path)
                if not target.is_file():
                    failures.append(f"{path}: {href} names no file in output/")
                elif page.request.get(urljoin(base_url + path, href)).status != 200:
                    failures.append(f"{path}: {href} is not served")
            for index in range(page.locator("li.issue h2").count()):
                box = page.locator("li.issue h2").nth(index).bounding_box()
                if box["x"] < 0 or box["x"] + box["width"] > width:
                    failures.append(f"{path}: title {index} sticks out at {width}px")
    finally:
        context.close()
    assert failures == []


def test_an_issue_named_like_a_language_is_refused_before_anything_is_written(tmp_path):
    root = make_project(tmp_path / "project", ("sample",), SMALL_CONFIG.format(extra=""))
    source = root / "source" / "sample" / "index.md"
    source.write_text(source.read_text().replace("slug: sample", "slug: es"))
    result = CliRunner().invoke(cli, ["--project", str(root), "build"])
    assert result.exit_code == 2 and "the slug 'es' is a language code" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (root / "output" / "es").exists()


def test_removing_base_url_removes_the_feeds_and_sitemap_it_had_made(tmp_path):
    root = make_project(tmp_path / "project", ("sample",), SMALL_CONFIG.format(extra=""))
    build_in(root)
    assert (root / "output" / "es" / "feed.atom").is_file() and (root / "output" / "sitemap.xml").is_file()
    config = root / "newsletter.toml"
    config.write_text(config.read_text().replace('"https://boletin.example.org/"', '""'))
    build_in(root)
    assert not list((root / "output").rglob("feed.*")) and not (root / "output" / "sitemap.xml").exists()
    assert (root / "output" / "es" / "index.html").is_file()
