"""Small pieces of the email edition: merge-tag repair, SVG rasterisation, the embed_images option."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from exporter.config import validate_options
from exporter.errors import ConfigError, ExportError
from exporter.formats.email import EmailExporter
from exporter.formats.email.images import rasterise_svg, svg_size
from exporter.formats.plaintext import PlainText
from exporter.merge_tags import merge_tag_pattern, repair_url, restore_in_ast, tags_in
from exporter.pandoc import markdown_to_ast

CAMPAIGN_MONITOR = r"\[[A-Za-z]+(,fallback=[^\]]*)?\]"


def test_emphasis_read_into_a_mailchimp_tag_is_undone():
    ast = markdown_to_ast("Hola *|FNAME|*, **no** *esto*.")
    inlines = restore_in_ast(ast, merge_tag_pattern())["blocks"][0]["c"]
    assert {"t": "Str", "c": "*|FNAME|*"} in inlines
    assert [i["t"] for i in inlines].count("Emph") == 1 and [i["t"] for i in inlines].count("Strong") == 1


def test_percent_encoded_tags_in_urls_are_restored_and_nothing_else():
    tags = merge_tag_pattern()
    assert repair_url("https://x.example/?u=*%7CUNIQID%7C*&v=%7B%7B%20id%20%7D%7D&w=a%7Cb", tags) == \
        "https://x.example/?u=*|UNIQID|*&v={{ id }}&w=a%7Cb"


def test_configured_patterns_with_groups_are_kept_whole():
    tags = merge_tag_pattern((CAMPAIGN_MONITOR,))
    assert tags_in("Hola [firstname,fallback=amiga] y {{ x }}", tags) == ["[firstname,fallback=amiga]", "{{ x }}"]
    writer = PlainText("es", tags, 30)
    assert "[firstname,fallback=querida lectora]" in "\n".join(
        writer.wrap("Una frase bastante larga para [firstname,fallback=querida lectora] y más.", 30))


def test_a_broken_pattern_is_a_config_error():
    with pytest.raises(ConfigError, match="email.merge_tags"):
        merge_tag_pattern(("[unclosed",))


def test_svg_is_rasterised_offline_at_twice_its_size(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (10, 10), "red").save(secret)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 300 100">'
           f'<rect width="300" height="100" fill="#ffffff"/><image xlink:href="{secret.as_uri()}" width="300" '
           f'height="100"/></svg>').encode()
    assert svg_size(svg) == (300, 100)
    with Image.open(io.BytesIO(rasterise_svg(svg))) as png:
        assert png.size == (600, 200)
        assert png.convert("RGB").getpixel((300, 100)) == (255, 255, 255)  # the local file was not read


def test_a_broken_svg_fails_in_one_line():
    with pytest.raises(ExportError, match="cannot rasterise SVG"):
        rasterise_svg(b"<svg xmlns='http://www.w3.org/2000/svg'><rect", "bad.svg")


def test_embed_images_option_is_a_boolean():
    assert validate_options("formats.email", EmailExporter.options_schema, {"embed_images": True}, None) == \
        {"embed_images": True}
    with pytest.raises(ConfigError, match="formats.email.embed_images"):
        validate_options("formats.email", EmailExporter.options_schema, {"embed_images": "yes"}, None)


def test_an_image_without_alt_text_gets_an_empty_one_never_its_file_name(tmp_path):
    from exporter.document import load_document
    from exporter.formats.email.body import email_body_html
    from exporter.formats.email.images import email_images

    issue = tmp_path / "issue" / "index.md"
    issue.parent.mkdir()
    Image.new("RGB", (800, 100), "white").save(issue.parent / "chart_2023-q1.png")
    issue.write_text("---\ntitle: T\nlang: es\ndate: 2023-10-16\n---\n\n![](chart_2023-q1.png)\n")
    document = load_document(issue)
    images = email_images(document)
    html = email_body_html(document, images, lambda image: "https://x.example/" + image.name, merge_tag_pattern())
    assert '<img alt="" src="https://x.example/chart_2023-q1.png" width="552"' in html
    assert "chart 2023 q1" not in html


def test_video_and_audio_become_links_mjml_can_parse(tmp_path):
    from exporter.document import load_document
    from exporter.formats.email import EmailExporter
    from exporter.themes import load_theme

    issue = tmp_path / "index.md"
    issue.write_text('---\ntitle: Vídeo\nlang: es\ndate: 2023-10-16\nslug: video\n---\n\nAntes.\n\n'
                     '<video controls="">\n<source src="https://example.org/demo.mp4">\n</video>\n\nDespués.\n')
    html = EmailExporter().render(load_document(issue), load_theme("default")).html
    assert "<video" not in html and "<source" not in html
    assert 'href="https://example.org/demo.mp4"' in html and "▶ video" in html
