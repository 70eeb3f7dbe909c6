"""newsletter send: a real SMTP server on 127.0.0.1 (aiosmtpd) receives the message intact."""

from __future__ import annotations

import email
import socket
import ssl
import subprocess
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from exporter.cli import cli
from tests.conftest import make_project
from tests.email_helpers import CONFIG, content_headings, fake_translate, parse_html


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, f"127.0.0.1:{controller.port}"
    controller.stop()


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project", ("sample",), CONFIG.format(base_url="https://boletin.example.org/"))


def send(project: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["--project", str(project), "send", str(project / "source" / "sample"), *args],
                              env=env)


def received(inbox: Inbox):
    assert len(inbox.envelopes) == 1
    return email.message_from_bytes(inbox.envelopes[0].content, policy=policy.default)


def test_test_send_arrives_intact(project, smtp_server):
    inbox, server = smtp_server
    result = send(project, "--to", "ana@example.org", "--to", "luis@example.org", "--smtp", server)
    assert result.exit_code == 0, result.output
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == "boletin@example.org"
    assert envelope.rcpt_tos == ["ana@example.org", "luis@example.org"]
    message = received(inbox)
    assert message["Subject"] == "Boletín de prueba" and message["To"] == "ana@example.org, luis@example.org"
    assert message["List-Unsubscribe"] == "<https://boletin.example.org/baja?u=*|UNIQID|*>"
    assert message["Message-ID"].endswith("@example.org>")
    assert not message["Message-ID"].startswith("<sample.es.")  # a fresh id, not the built edition's
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    headings = content_headings(parse_html(html))
    assert headings == ["Introducción", "Una tabla", "Código", "Definiciones", "Conclusión"]
    assert all(f"\n{heading}\n" in text.replace("\r\n", "\n") for heading in headings)


def test_send_another_language_edition(project, smtp_server, monkeypatch):
    inbox, server = smtp_server
    monkeypatch.setattr("exporter.translate.translate_with_report", fake_translate)
    result = send(project, "--to", "ana@example.org", "--smtp", server, "--lang", "en", "--from", "qa@example.org")
    assert result.exit_code == 0, result.output
    message = received(inbox)
    assert message["Subject"] == "Test newsletter" and message["From"] == "qa@example.org"
    assert message["Content-Language"] == "en"


def test_password_comes_from_the_environment_and_never_travels_unencrypted(project, smtp_server):
    inbox, server = smtp_server
    missing = send(project, "--to", "a@example.org", "--smtp", server, "--user", "bob",
                   env={"NEWSLETTER_SMTP_PASSWORD": None})
    assert missing.exit_code == 2 and "NEWSLETTER_SMTP_PASSWORD" in missing.output
    clear = send(project, "--to", "a@example.org", "--smtp", server, "--user", "bob",
                 env={"NEWSLETTER_SMTP_PASSWORD": "s3cret"})
    assert clear.exit_code == 1 and "offers no STARTTLS" in clear.output and "s3cret" not in clear.output
    assert inbox.envelopes == []


def test_bad_server_and_unreachable_server_fail_in_one_line(project):
    assert send(project, "--to", "a@example.org", "--smtp", "nohost").exit_code == 2
    result = send(project, "--to", "a@example.org", "--smtp", f"127.0.0.1:{free_port()}")
    assert result.exit_code == 1 and result.output.startswith("error: sending through 127.0.0.1:")
    assert len(result.output.strip().splitlines()) == 1


def test_starttls_and_login(project, tmp_path, monkeypatch):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, data):
        logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password == b"s3cret")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            authenticator=authenticator, auth_require_tls=True)
    controller.start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the test certificate, nothing else
        result = send(project, "--to", "ana@example.org", "--smtp", f"127.0.0.1:{controller.port}",
                      "--tls", "starttls", "--user", "bob", env={"NEWSLETTER_SMTP_PASSWORD": "s3cret"})
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert logins == [("bob", "s3cret")]
    assert received(inbox)["Subject"] == "Boletín de prueba"
