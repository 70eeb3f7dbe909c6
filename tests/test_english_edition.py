"""The first issue's English edition is the reviewed one: every unit reviewed, no Spanish left, a human title."""

from __future__ import annotations

import email
import email.policy
import json
import re
import shutil
from pathlib import Path

import lxml.html
import polib
import pytest
from pypdf import PdfReader

from tests.test_translate_review import run

ROOT = Path(__file__).resolve().parent.parent
ISSUE = ROOT / "source" / "llm-boom-2023"
REVIEW_FILE = ISSUE / "llm-boom-2023.en.po"
TITLE = "The LLM boom of 2023: the money, the tools and the stack underneath"
MACHINE_TITLE = "The LLM boom in 2023: money, tools and the stack that there is below"  # Apertium's draft

# Spanish function words that never occur in English prose (checked as whole, lower-case words).
SPANISH_WORDS = ("el", "los", "las", "la", "que", "para", "una", "del", "con", "por", "según", "pero",
                 "también", "sobre", "hasta", "como", "desde", "entre", "sus", "fue", "muy", "ese", "esa")
NAMES = ("Los Angeles Times",)  # names that contain one of those words
# Words with Spanish letters the edition may print: the newsletter's name and author (translated by the
# languages work, not by the review), the link to the Spanish edition ("Leer en español") and the email's
# postal address (newsletter.toml).
SPANISH_NAMES = {"Boletín", "técnico", "Redacción", "español", "España"}
QUOTED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"")
URL = re.compile(r"https?://\S+")


def spanish_words(text: str) -> list[str]:
    """The Spanish function words left in ``text`` once names, quotations and URLs are taken out."""
    for name in NAMES:
        text = text.replace(name, " ")
    text = QUOTED.sub(" ", URL.sub(" ", text))
    words = re.findall(r"[^\W\d_]+", text.lower())
    return sorted({word for word in words if word in SPANISH_WORDS})


def accented_words(text: str) -> list[str]:
    """Words with Spanish letters (á, ñ, ¿...) left in ``text``, outside quotations, URLs and known names."""
    words = re.findall(r"\w*[áéíóúüñ¿¡]\w*", QUOTED.sub(" ", URL.sub(" ", text)), re.I)
    return sorted({word for word in words if word.lower() not in {name.lower() for name in SPANISH_NAMES}})


def test_the_word_check_catches_spanish_and_spares_names_and_quotations():
    assert spanish_words("The API opened, a 0,002 dólares por cada 1000 tokens.") == ["por"]
    assert spanish_words("Según Reuters, la ronda fue grande") == ["fue", "la", "según"]
    assert spanish_words("Los Angeles Times; Vice, «chatea con tu PDF»; “Not at the moment”") == []
    assert spanish_words("see https://example.org/el-que-para") == []
    assert accented_words("it took off (despegó) in April; by Redacción, «según»") == ["despegó"]


def test_every_review_is_english_and_keeps_the_source_quotations():
    po = polib.pofile(str(REVIEW_FILE))
    assert len(po) >= 130
    for entry in po:
        assert entry.msgstr and "fuzzy" not in entry.flags, entry.msgctxt
        assert spanish_words(entry.msgstr) == [], (entry.msgctxt, entry.msgstr)
        assert accented_words(entry.msgstr) == [], (entry.msgctxt, entry.msgstr)
        assert "«" not in entry.msgstr and "»" not in entry.msgstr, entry.msgctxt  # English quotation marks
        assert not re.search(r"\b0,\d|\b\d+,\d{1,2}\b|\b\d{1,3} 000\b", entry.msgstr), entry.msgctxt  # 0,002; 44 000
    by_unit = {entry.msgctxt: entry.msgstr for entry in po}
    assert by_unit["title"] == 'The <x id="1"/> of 2023: the money, the tools and the <x id="2"/> underneath'
    by_source = {entry.msgid: entry.msgstr for entry in po}  # unit ids move when the post is edited
    assert "$0.002 per 1,000" in by_unit["u2"]
    assert "44,000" in next(text for source, text in by_source.items() if re.search(r"44\s000 estrellas", source))
    price = next(text for source, text in by_source.items() if source.startswith("En la API, 11,02"))
    assert "$11.02 per million input" in price and "$32.68" in price
    assert "“Neither company has disclosed the value of the investment”" in by_unit["u9"]  # already English: kept


def test_every_unit_is_reviewed_and_no_review_is_stale(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("translate", "source/llm-boom-2023", "--to", "en", "--stats", "json",
                 "-o", str(tmp_path / "en.md"))
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output.strip().splitlines()[-1])
    assert stats["stale_reviews"] == 0 and stats["needs_look"] == 0
    assert stats["human"] == stats["units"] > 130, stats
    assert stats["sent"] == 0 and stats["from_memory"] == 0  # no unit left to the machine
    assert f"title: '{TITLE}'" in (tmp_path / "en.md").read_text()


def test_every_diagram_text_is_reviewed(monkeypatch):
    from exporter.config import load_settings
    from exporter.document import load_document
    from exporter.edition_assets import strings_document, svg_texts
    from exporter.translate import translate_with_report

    monkeypatch.chdir(ROOT)
    document = load_document(ISSUE / "index.md")
    texts = svg_texts(document, "en")
    assert len(texts) > 40 and "Observabilidad" in texts  # the Spanish diagram is the one translated
    report = translate_with_report(strings_document(document, texts), "en", load_settings(ROOT), None,
                                   review_scope="svg-").report
    assert report.human == report.units > 40 and not report.stale, report  # the others are names only


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The English web page, PDF and email of the first issue, built from a copy of the project."""
    project = tmp_path_factory.mktemp("english")
    shutil.copy(ROOT / "newsletter.toml", project / "newsletter.toml")
    shutil.copytree(ISSUE, project / "source" / "llm-boom-2023")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        result = run("build", "source/llm-boom-2023", "--lang", "en", "-f", "html", "-f", "pdf", "-f", "email")
    assert result.exit_code == 0, result.output
    return project / "output" / "llm-boom-2023" / "en"


def html_text(path: Path) -> str:
    """The visible text of an HTML file without its code (the code block is a Spanish program, kept as written)."""
    tree = lxml.html.fromstring(path.read_bytes())
    for element in tree.xpath("//pre | //code | //script | //style"):
        element.drop_tree()
    return " ".join(" ".join(tree.itertext()).split())


def without_code(text: str) -> str:
    """``text`` without the lines of the issue's code block (a Spanish program, kept as written)."""
    source = (ISSUE / "index.md").read_text(encoding="utf-8")
    code = {line.strip() for block in re.findall(r"```\w*\n(.*?)```", source, re.S) for line in block.splitlines()}
    return "\n".join(line for line in text.splitlines() if line.strip() not in code)


def pdf_text(path: Path) -> str:
    """The PDF's text (the diagram's labels included), hyphenated words joined, without the code block."""
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(without_code(re.sub(r"[-\u2010]\n", "", text)).split())


@pytest.mark.slow
def test_the_english_web_page_pdf_and_email_have_no_spanish_and_the_reviewed_title(edition):
    texts = {
        "web": html_text(edition / "llm-boom-2023.html"),
        "email": html_text(edition / "llm-boom-2023.email.html"),
        "txt": without_code((edition / "llm-boom-2023.txt").read_text(encoding="utf-8")),
        "pdf": pdf_text(edition / "llm-boom-2023.pdf"),
    }
    for name, text in texts.items():
        assert len(text) > 20_000, name  # the whole issue, notes included
        assert spanish_words(text) == [], f"Spanish left in the English {name}: {spanish_words(text)}"
        assert accented_words(text) == [], f"Spanish left in the English {name}: {accented_words(text)}"
        assert TITLE in text and MACHINE_TITLE not in text, name
        assert "$11.02 per million input tokens" in text and "44,000 stars" in text, name
        assert "Translated from Spanish" in text and "Machine translation" not in text, name  # reviewed, says so
    page = lxml.html.fromstring((edition / "llm-boom-2023.html").read_bytes())
    assert page.findtext(".//title").startswith(TITLE)
    assert " ".join(page.xpath("string(//h1)").split()) == TITLE
    assert PdfReader(edition / "llm-boom-2023.pdf").metadata.title == TITLE
    message = email.message_from_bytes((edition / "llm-boom-2023.eml").read_bytes(), policy=email.policy.default)
    assert message["Subject"] == TITLE
