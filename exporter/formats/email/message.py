"""The ``.eml`` message: multipart/alternative (text + HTML, related images), with list headers."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, parseaddr
from urllib.parse import urlsplit

from exporter.formats.email.images import EmailImage

POLICY = policy.SMTP.clone(max_line_length=998)  # long List-Unsubscribe URLs stay unencoded


@dataclass(frozen=True)
class MessageHeaders:
    """What goes into the message's headers."""

    subject: str
    sender: str = ""
    reply_to: str = ""
    date: dt.datetime | None = None
    message_id: str = ""
    unsubscribe_url: str = ""
    language: str = ""


def encode_subject(subject: str, merge_tags: re.Pattern) -> str:
    """RFC 2047 encoding that leaves ASCII words and merge tags verbatim (Python's encoder hides tags)."""
    tags: list[str] = []

    def stash(match: re.Match) -> str:
        tags.append(match.group(0))
        return f"\0{len(tags) - 1}\0"

    words = re.split(r"(\s+)", merge_tags.sub(stash, " ".join(subject.split())))
    words = [re.sub(r"\0(\d+)\0", lambda m: tags[int(m.group(1))], word) for word in words]
    out, run = [], []

    def flush():
        if run:
            out.append(Header("".join(run).strip(), "utf-8").encode(linesep="\r\n"))
            run.clear()

    for word in words:
        if word.isspace():
            (run if run else out).append(word)
        elif word.isascii():
            trailing = run.pop() if run and run[-1].isspace() else ""
            flush()
            out.extend([trailing, word] if trailing else [word])
        else:
            run.append(word)
    flush()
    return "".join(out)


def message_id(slug: str, lang: str, content: str, sender: str, base_url: str) -> str:
    """A stable Message-ID for one edition's content, on the sender's (or the site's) domain."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or urlsplit(base_url).hostname or "localhost"
    digest = hashlib.sha256(content.encode()).hexdigest()[:16]
    return f"<{slug}.{lang}.{digest}@{domain}>"


def build_message(headers: MessageHeaders, text: str, html: str, embedded: list[EmailImage],
                  merge_tags: re.Pattern) -> EmailMessage:
    """The message: text and HTML alternatives; embedded images as a multipart/related around the HTML."""
    raw_subject = f"Subject: {encode_subject(headers.subject, merge_tags)}\r\n\r\n".encode("ascii")
    message = BytesParser(policy=POLICY).parsebytes(raw_subject)
    for name, value in (("From", headers.sender), ("Reply-To", headers.reply_to),
                        ("Message-ID", headers.message_id)):
        if value:
            message[name] = value
    if headers.date:
        message["Date"] = format_datetime(headers.date)
    if headers.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{headers.unsubscribe_url}>"
        if headers.unsubscribe_url.startswith("https://"):  # RFC 8058 one-click needs HTTPS
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["MIME-Version"] = "1.0"
    message.set_content(text, subtype="plain")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    html_part = message.get_payload()[1]
    for image in embedded:
        html_part.add_related(image.data, maintype="image", subtype=image.subtype, cid=f"<{content_id(image)}>",
                              filename=image.name.rsplit("/", 1)[-1], disposition="inline")
    for part in message.iter_parts():  # the parts inherit nothing: only the top level says MIME-Version
        for sub in [part, *part.iter_parts()]:
            del sub["MIME-Version"]
    if headers.language:  # after the parts: building them moves Content-* headers into the first part
        message["Content-Language"] = headers.language
    set_boundaries(message, text, html, embedded)
    return message


def set_boundaries(message: EmailMessage, text: str, html: str, embedded: list[EmailImage]) -> None:
    """MIME boundaries derived from the content (Python picks random ones), so the .eml is reproducible."""
    digest = hashlib.sha256(text.encode() + b"\0" + html.encode())
    for image in embedded:
        digest.update(image.data)
    seed = digest.hexdigest()[:24]
    for depth, part in enumerate(part for part in message.walk() if part.is_multipart()):
        part.set_boundary(f"=_{seed}.{depth}")


def content_id(image: EmailImage) -> str:
    """The Content-ID of an embedded image (the HTML refers to it as ``cid:…``)."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", image.name) + "@newsletter"
