"""``[languages.<code>] base_url``: one language's editions published under their own URL.

The sample issue is built in Spanish and English (the English from the human translation in
tests/fixtures/sample-en) as web pages and emails, with English published under its own base URL.
"""

from __future__ import annotations

import feedparser
import lxml.html
import pytest

from exporter.build import build, plan_from
from exporter.config import load_settings
from tests.conftest import make_project
from tests.email_helpers import CONFIG, fake_translate

TOP = "https://boletin.example.org/"
EN = "https://en.example.org/news/"
EN_CONFIG = CONFIG.format(base_url=TOP).replace("[languages.en]\n", f'[languages.en]\nbase_url = "{EN}"\n')


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    """The output folder of the sample issue built as html and email in es and en."""
    root = tmp_path_factory.mktemp("lang-base") / "project"
    make_project(root, ("sample",), EN_CONFIG)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("exporter.translate.translate_with_report", fake_translate)
        settings = load_settings(root)
        build(settings, plan_from(settings, formats=["html", "email"], jobs=1))
    return root / "output"


def tree(output, lang: str, suffix: str):
    """The parsed HTML of the sample's ``lang`` edition file ending in ``suffix``."""
    return lxml.html.document_fromstring((output / "sample" / lang / f"sample{suffix}").read_bytes())


def absolute_urls(document) -> list[str]:
    """Every absolute http(s) URL in an HTML document's href and src attributes."""
    return [value for value in document.xpath("//@href | //@src") if value.startswith("http")]


def test_english_email_links_and_images_use_the_language_base_url(output):
    urls = absolute_urls(tree(output, "en", ".email.html"))
    assert f"{EN}sample/en/sample.html" in urls  # "view in browser" and links to the web edition
    assert any(url.startswith(f"{EN}sample/en/") and url.endswith((".png", ".jpg", ".webp")) for url in urls), urls
    assert not [url for url in urls if "/sample/en/" in url and not url.startswith(EN)]
    assert f"{TOP}sample/es/sample.html" in urls  # the other edition keeps its own URL
    text = (output / "sample" / "en" / "sample.txt").read_text(encoding="utf-8")
    assert f"{EN}sample/en/sample.html" in text


def test_spanish_email_keeps_the_top_level_base_url(output):
    urls = absolute_urls(tree(output, "es", ".email.html"))
    assert f"{TOP}sample/es/sample.html" in urls
    assert any(url.startswith(f"{TOP}sample/es/") and url.endswith((".png", ".jpg", ".webp")) for url in urls), urls
    assert not [url for url in urls if url.startswith(EN) and "/sample/es/" in url]
    assert f"{EN}sample/en/sample.html" in urls  # its link to the English edition


def test_pages_canonical_og_and_hreflang(output):
    expected = {"es": f"{TOP}sample/es/sample.html", "en": f"{EN}sample/en/sample.html"}
    for lang, url in expected.items():
        page = tree(output, lang, ".html")
        assert page.xpath("//link[@rel='canonical']/@href") == [url]
        assert page.xpath("//meta[@property='og:url']/@content") == [url]
        image = page.xpath("//meta[@property='og:image']/@content")
        assert image and image[0].startswith(url.rsplit("/", 1)[0] + "/"), image
        alternates = {link.get("hreflang"): link.get("href")
                      for link in page.xpath("//link[@rel='alternate'][@hreflang]")}
        assert alternates["es"] == expected["es"] and alternates["en"] == expected["en"], alternates


def test_feeds_and_sitemap_use_each_language_base_url(output):
    english = feedparser.parse((output / "en" / "feed.atom").read_bytes())
    assert [entry.link for entry in english.entries] == [f"{EN}sample/en/sample.html"]
    assert english.feed.link == f"{EN}en/index.html"
    spanish = feedparser.parse((output / "es" / "feed.atom").read_bytes())
    assert [entry.link for entry in spanish.entries] == [f"{TOP}sample/es/sample.html"]
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{EN}sample/en/sample.html</loc>" in sitemap
    assert f"<loc>{TOP}sample/es/sample.html</loc>" in sitemap
    assert f"{TOP}sample/en/" not in sitemap
