"""The .eml message, parsed back with Python's email package: parts, headers, headings, links, merge tags."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

import pytest

from exporter.formats.email.message import encode_subject
from exporter.merge_tags import merge_tag_pattern, tags_in
from tests.email_helpers import build_email_project, content_headings, parse_html

TAGS = ("{{ first_name }}", "*|FNAME|*", "%recipient%")


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    return build_email_project(tmp_path_factory.mktemp("eml") / "project")


def eml(output: Path, slug: str = "sample", lang: str = "es"):
    raw = (output / slug / lang / f"{slug}.eml").read_bytes()
    return raw, email.message_from_bytes(raw, policy=policy.default)


def unix(text: str) -> str:
    """MIME text parts use CRLF line ends; the files use LF."""
    return text.replace("\r\n", "\n")


def text_headings(text: str) -> list[str]:
    """Lines underlined with dashes: the body's level-2 headings (and the notes and links headings)."""
    lines = text.splitlines()
    return [line for line, under in zip(lines, lines[1:]) if under and set(under) == {"-"} and len(under) == len(line)]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_both_parts_carry_the_same_headings_and_links(output, lang):
    _, message = eml(output, lang=lang)
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    text, html = (unix(message.get_body((part,)).get_content()) for part in ("plain", "html"))
    assert html.rstrip("\n") == (output / "sample" / lang / "sample.email.html").read_text()
    assert text == (output / "sample" / lang / "sample.txt").read_text()
    headings = content_headings(parse_html(html))
    assert len(headings) == 5 and text_headings(text)[:5] == headings
    html_links = {a.get("href") for a in parse_html(html).iter("a") if a.get("href", "").startswith("http")}
    text_links = set(re.findall(r"https?://\S*[^\s.,)]", text))
    assert html_links == text_links and len(html_links) >= 7


def test_headers(output):
    raw, message = eml(output)
    assert message["Subject"] == "Boletín de prueba"
    assert parseaddr(message["From"]) == ("Boletín", "boletin@example.org")
    assert parseaddr(message["Reply-To"]) == ("Equipo del boletín", "equipo@example.org")
    assert parsedate_to_datetime(message["Date"]) == dt.datetime(2023, 10, 16, tzinfo=dt.timezone.utc)
    assert re.fullmatch(r"<sample\.es\.[0-9a-f]{16}@example\.org>", message["Message-ID"])
    assert message["List-Unsubscribe"] == "<https://boletin.example.org/baja?u=*|UNIQID|*>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Content-Language"] == "es" and message["MIME-Version"] == "1.0"
    assert b"\nList-Unsubscribe: <https://boletin.example.org/baja?u=*|UNIQID|*>\r\n" in raw  # not RFC 2047
    assert all(part["MIME-Version"] is None for part in message.iter_parts())


def test_merge_tags_pass_through_subject_html_and_text_untouched(output):
    raw, message = eml(output, "merge-tags")
    title = "Hola {{ first_name }}: el boletín de *|FNAME|* para %recipient%"
    assert message["Subject"] == title
    subject_line = re.search(rb"^Subject: (.*(?:\r?\n[ \t].*)*)", raw, re.M).group(1).decode("ascii")
    assert all(tag in subject_line for tag in TAGS), subject_line  # verbatim, not inside an encoded word
    assert "=?utf-8?" in subject_line  # while "boletín" is encoded
    for part in ("plain", "html"):
        content = message.get_body((part,)).get_content()
        assert all(content.count(tag) >= 3 for tag in TAGS), part
    assert "\n" + title + "\n" in unix(message.get_body(("plain",)).get_content())


@pytest.mark.parametrize("subject", [
    "Plain ASCII {{ name }}", "ñ {{ first_name }} ñandú", "boletín {{ first_name }} número",
    "Número *|FNAME|*: %recipient.name% — ¿qué tal?", "  espacios   raros  ñ  ", "a" * 120 + " ñ " + "b" * 80,
])
def test_subject_encoding_round_trips_with_tags_verbatim(subject):
    tags = merge_tag_pattern()
    encoded = encode_subject(subject, tags)
    assert encoded.isascii()
    assert all(tag in encoded for tag in tags_in(subject, tags))
    parsed = email.message_from_bytes(f"Subject: {encoded}\r\n\r\n".encode(), policy=policy.default)
    assert parsed["Subject"] == " ".join(subject.split())


def test_embedded_images_are_related_parts_the_html_refers_to(tmp_path):
    output = build_email_project(tmp_path / "p", issues=("sample",), embed_images=True)
    raw, message = eml(output)
    alternative = list(message.iter_parts())
    assert [part.get_content_type() for part in alternative] == ["text/plain", "multipart/related"]
    related = list(alternative[1].iter_parts())
    assert [part.get_content_type() for part in related] == ["text/html", "image/png", "image/png"]
    html = related[0].get_content()
    cids = {img.get("src") for img in parse_html(html).iter("img")}
    assert cids == {"cid:" + part["Content-ID"].strip("<>") for part in related[1:]}
    assert all(part.get_content().startswith(b"\x89PNG") for part in related[1:])
    assert not (output / "sample" / "es" / "figure.svg.png").exists()  # nothing to publish
