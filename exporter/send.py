"""Test sends: one edition's message to a few addresses through an SMTP server (STARTTLS, SSL or plain)."""

from __future__ import annotations

import email.utils
import smtplib
import ssl
from email.message import EmailMessage
from email.parser import BytesParser

from exporter.errors import NewsletterError, UsageError
from exporter.formats.email.message import POLICY

PASSWORD_VARIABLE = "NEWSLETTER_SMTP_PASSWORD"
SECURITY = ("auto", "starttls", "ssl", "none")


class SendError(NewsletterError):
    """The SMTP server could not be reached or refused the message."""


def parse_server(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (or ``[IPv6]:PORT``) as a pair."""
    host, _, port = value.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--smtp must be HOST:PORT, not '{value}'")
    return host, int(port)


def addressed(message: EmailMessage, recipients: list[str], sender: str = "") -> EmailMessage:
    """A copy of ``message`` for a test send: To set, a fresh Message-ID and Date, From overridden if given."""
    copied = BytesParser(policy=POLICY).parsebytes(message.as_bytes())
    for name, value in (("To", ", ".join(recipients)), ("Date", email.utils.formatdate(localtime=False)),
                        ("From", sender)):
        if value:
            del copied[name]
            copied[name] = value
    domain = email.utils.parseaddr(str(copied.get("From", "")))[1].rpartition("@")[2] or "localhost"
    del copied["Message-ID"]
    copied["Message-ID"] = email.utils.make_msgid("test", domain=domain)
    if not copied.get("From"):
        raise UsageError("no sender: set 'from' in the [email] table of newsletter.toml or pass --from")
    return copied


def send_message(message: EmailMessage, recipients: list[str], host: str, port: int, security: str = "auto",
                 username: str | None = None, password: str | None = None, timeout: float = 30) -> None:
    """Deliver ``message`` to ``recipients``; never sends a password over an unencrypted connection."""
    if security not in SECURITY:
        raise UsageError(f"unknown security '{security}' (use one of {', '.join(SECURITY)})")
    if username and password is None:
        raise UsageError(f"--user given but {PASSWORD_VARIABLE} is not set in the environment")
    context = ssl.create_default_context()
    use_ssl = security == "ssl" or (security == "auto" and port == 465)
    try:
        with (smtplib.SMTP_SSL(host, port, timeout=timeout, context=context) if use_ssl
              else smtplib.SMTP(host, port, timeout=timeout)) as server:
            server.ehlo()
            if not use_ssl and security != "none":
                if server.has_extn("starttls"):
                    server.starttls(context=context)
                    server.ehlo()
                elif security == "starttls" or username:
                    what = "the password" if username else "the message"
                    raise SendError(f"{host}:{port} offers no STARTTLS; refusing to send {what} unencrypted "
                                    "(--tls none allows it)")
            if username:
                server.login(username, password or "")
            refused = server.send_message(message, to_addrs=recipients)
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(f"sending through {host}:{port} failed: {error}") from None
    if refused:
        raise SendError(f"the server refused: {', '.join(refused)}")
