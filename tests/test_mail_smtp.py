"""Sending to a real aiosmtpd server on 127.0.0.1: plain, STARTTLS, SSL, auth, errors, outbox and resend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minsheng_desktop.mail import secrets
from minsheng_desktop.mail.compose import MailError
from minsheng_desktop.mail.send import CancelToken, SmtpSettings, send_bytes
from minsheng_desktop.services import outbox
from minsheng_desktop.services.mailing import build_month_mail
from minsheng_desktop.storage import repo
from minsheng_desktop.storage.db import Database
from minsheng_desktop.storage.reports import reports_for_list

from .test_mail_compose import check_message
from .test_mail_support import ATTACHMENTS, CONTACT, MONTH, PASSWORD, UNIT, USER, Server, certs, free_port, make_db

__all__ = ["certs"]  # the session fixture, imported for pytest


@pytest.fixture
def env(tmp_path: Path):  # type: ignore[no-untyped-def]
    db, list_id, ours = make_db(tmp_path / "m.db")
    t = repo.get_target_list(db, list_id)
    yield db, t, ours
    db.close()


@pytest.fixture
def servers():  # type: ignore[no-untyped-def]
    started: list[Server] = []

    def start(mode: str, certs_: tuple[Path, Path, Path] | None = None, **kw: object) -> Server:
        s = Server(mode, certs_, **kw).start()  # type: ignore[arg-type]
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def submitted(db, list_id: int) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {r.project_id: r.submitted_on for r in reports_for_list(db, list_id, MONTH)}


def settings_for(server: Server, security: str, **kw: object) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=server.port, security=security, user=USER, timeout=10,
                        **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["plain", "starttls", "ssl"])
def test_send_and_log(mode: str, env, servers, certs) -> None:  # type: ignore[no-untyped-def]
    db, t, ours = env
    server = servers(mode, certs)
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT)
    steps: list[tuple[str, float]] = []
    outcome = outbox.send_mail(db, mail, settings_for(server, mode), PASSWORD, cafile=str(certs[0]),
                               progress=lambda s, f: steps.append((s, f)))
    assert outcome.sent, outcome.error
    assert steps[-1][1] == 1.0 and [f for _, f in steps] == sorted(f for _, f in steps)
    [got] = server.received
    assert got.mail_from == USER and got.rcpt_tos == [CONTACT]
    check_message(got.content)
    assert got.content == mail.data  # byte for byte, dot-stuffing undone by the server
    [entry] = outbox.sent_log(db, t.id)
    assert entry.recipient == CONTACT and entry.subject == mail.subject and entry.unit == UNIT
    assert [f["name"] for f in entry.files] == [n for n, _ in ATTACHMENTS]
    import hashlib

    assert [f["sha256"] for f in entry.files] == [hashlib.sha256(d).hexdigest() for _, d in ATTACHMENTS]
    marks = submitted(db, t.id)
    assert all(marks[p] == entry.sent_at[:10] for p in ours)
    assert [v for k, v in marks.items() if k not in ours] == [None]  # the other unit's report is untouched
    assert outbox.sent_months(db, t.id) == {MONTH: entry.sent_at}
    assert outbox.list_outbox(db) == []


def test_wrong_password(env, servers, certs) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = env
    server = servers("ssl", certs)
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT)
    outcome = outbox.send_mail(db, mail, settings_for(server, "ssl"), "wrong", cafile=str(certs[0]))
    assert not outcome.sent and outcome.error is not None and outcome.error.kind == "auth"
    assert "密码" in outcome.error.message and "授权码" in outcome.error.message
    assert "wrong" not in outcome.error.message
    assert server.received == [] and outbox.sent_log(db) == []
    assert all(v is None for v in submitted(db, t.id).values())
    [item] = outbox.list_outbox(db)
    assert item.id == outcome.outbox_id and item.last_error == outcome.error.message and item.attempts == 1
    with pytest.raises(MailError) as err:  # a Chinese input method left on
        outbox.deliver(mail, settings_for(server, "ssl"), "授权码", cafile=str(certs[0]))
    assert err.value.kind == "auth" and "全角" in err.value.message


def test_refused_recipient(env, servers, certs) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = env
    server = servers("starttls", certs)
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT, to="nobody@example.invalid")
    outcome = outbox.send_mail(db, mail, settings_for(server, "starttls"), PASSWORD, cafile=str(certs[0]))
    assert outcome.error is not None and outcome.error.kind == "recipient"
    assert "nobody@example.invalid" in outcome.error.message and "收件人" in outcome.error.message
    assert server.received == [] and outbox.sent_log(db) == []
    assert all(v is None for v in submitted(db, t.id).values())


def test_certificate_not_trusted(env, servers, certs) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = env
    server = servers("ssl", certs)
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT)
    with pytest.raises(MailError) as err:
        outbox.deliver(mail, settings_for(server, "ssl"), PASSWORD)  # system CAs only: the test CA is unknown
    assert err.value.kind == "tls" and "证书" in err.value.message
    assert server.received == []


def test_ssl_to_a_plain_server_is_a_tls_error(env, servers) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = env
    server = servers("plain")
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT)
    with pytest.raises(MailError) as err:
        outbox.deliver(mail, settings_for(server, "ssl"), PASSWORD)
    assert err.value.kind in ("tls", "unreachable") and err.value.message


def test_size_limits(env, servers, certs) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = env
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT)
    with pytest.raises(MailError) as err:  # the preset's limit, checked before connecting
        outbox.deliver(mail, SmtpSettings("127.0.0.1", free_port(), "ssl", USER, max_bytes=1000), PASSWORD)
    assert err.value.kind == "too_large" and "上限" in err.value.message
    server = servers("starttls", certs, data_size_limit=2000)  # the server's advertised SIZE
    with pytest.raises(MailError) as err:
        outbox.deliver(mail, settings_for(server, "starttls"), PASSWORD, cafile=str(certs[0]))
    assert err.value.kind == "too_large" and server.received == []


def test_cancel(env, servers, certs) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = env
    server = servers("ssl", certs)
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT)
    token = CancelToken()

    def progress(text: str, fraction: float) -> None:
        if "内容" in text and fraction > 0.2:
            token.cancel()  # in the middle of the transfer

    with pytest.raises(MailError) as err:
        send_bytes(settings_for(server, "ssl"), PASSWORD, mail.data, USER, [CONTACT], cafile=str(certs[0]),
                   progress=progress, cancel=token, chunk_size=1024)
    assert err.value.kind == "cancelled"
    outcome = outbox.send_mail(db, mail, settings_for(server, "ssl"), PASSWORD, cafile=str(certs[0]), cancel=token)
    assert not outcome.sent and outcome.outbox_id is None  # a cancelled new message is not queued
    assert server.received == [] and outbox.sent_log(db) == []


def test_server_down_outbox_then_resend(env, servers, certs) -> None:  # type: ignore[no-untyped-def]
    db, t, ours = env
    port = free_port()
    settings = SmtpSettings("127.0.0.1", port, "starttls", USER, timeout=5)
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT)
    outcome = outbox.send_mail(db, mail, settings, PASSWORD, cafile=str(certs[0]))
    assert outcome.error is not None and outcome.error.kind == "unreachable"
    assert "无法连接" in outcome.error.message
    [item] = outbox.list_outbox(db)
    assert (item.month, item.unit, item.recipient, item.subject) == (MONTH, UNIT, CONTACT, mail.subject)
    assert outbox.outbox_eml(db, item.id) == mail.data  # the private project line is not in the .eml
    assert all(v is None for v in submitted(db, t.id).values()) and outbox.sent_log(db) == []
    again = outbox.resend(db, item.id, settings, PASSWORD, cafile=str(certs[0]))  # still down
    assert not again.sent and outbox.list_outbox(db)[0].attempts == 2

    server = servers("starttls", certs, port=port)
    done = outbox.resend(db, item.id, settings, PASSWORD, cafile=str(certs[0]))
    assert done.sent, done.error
    assert outbox.list_outbox(db) == []
    [got] = server.received
    assert got.content == mail.data
    check_message(got.content)
    [entry] = outbox.sent_log(db)
    assert entry.id == done.sent_log_id and entry.month == MONTH and entry.list_id == t.id
    assert json.loads(json.dumps(entry.files))[0]["size"] == len(ATTACHMENTS[0][1])
    marks = submitted(db, t.id)
    assert all(marks[p] == entry.sent_at[:10] for p in ours)
    assert sum(v is not None for v in marks.values()) == len(ours)


def test_outbox_delete_and_missing(env) -> None:  # type: ignore[no-untyped-def]
    db, t, _ = env
    mail = build_month_mail(db, t, MONTH, ATTACHMENTS, unit=UNIT)
    oid = outbox.queue(db, mail, "测试")
    assert outbox.delete_outbox(db, oid) and not outbox.delete_outbox(db, oid)
    with pytest.raises(MailError, match="发件箱中没有"):
        outbox.outbox_eml(db, oid)


def test_plain_login_refused_off_loopback() -> None:
    with pytest.raises(MailError, match="未加密"):
        send_bytes(SmtpSettings("mail.example.cn", 25, "plain", USER), "pw", b"x\r\n", USER, [CONTACT])


def test_smtp_settings_round_trip(env) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = env
    s = SmtpSettings.from_preset("qq", user=USER)
    assert (s.host, s.port, s.security) == ("smtp.qq.com", 465, "ssl")
    outbox.save_smtp_settings(db, s, from_addr=USER, preset="qq")
    assert outbox.load_smtp_settings(db) == s
    stored = {r["key"]: r["value"] for r in db.db.query("SELECT * FROM settings")}
    assert PASSWORD not in json.dumps(stored, ensure_ascii=False)


def test_password_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv(secrets.ENV_VAR, "from-env")
    assert secrets.get_password(USER) == "from-env"
    monkeypatch.delenv(secrets.ENV_VAR)
    keyring.set_keyring(fail.Keyring())
    try:
        assert secrets.get_password(USER) is None  # no back end: the window asks
        assert secrets.store_password(USER, "x") is False
        assert secrets.keyring_available() is False
        secrets.delete_password(USER)
    finally:
        keyring.core._keyring_backend = None  # type: ignore[attr-defined]


def test_cli_send(tmp_path: Path, servers, certs, monkeypatch: pytest.MonkeyPatch,
                  capsys: pytest.CaptureFixture[str]) -> None:
    from minsheng_desktop.cli import main
    import minsheng_desktop.cli.mail as cli_mail

    db, list_id, ours = make_db(tmp_path / "m.db")
    db.close()
    monkeypatch.setattr(cli_mail, "month_attachments", lambda *a: list(ATTACHMENTS))
    monkeypatch.setenv("SSL_CERT_FILE", str(certs[0]))  # what create_default_context() trusts
    server = servers("starttls", certs)
    base = ["--db", str(tmp_path / "m.db"), "mail", "--month", MONTH, "--unit", UNIT, "--send",
            "--smtp", f"127.0.0.1:{server.port}", "--starttls", "--user", USER]
    monkeypatch.setenv(secrets.ENV_VAR, "wrong")
    assert main(base) == 2
    assert "密码" in capsys.readouterr().err
    with Database(tmp_path / "m.db") as check:
        assert outbox.list_outbox(check) == [] and outbox.sent_log(check) == []  # a failing command writes nothing
    monkeypatch.setenv(secrets.ENV_VAR, PASSWORD)
    assert main(base) == 0
    assert "已发送" in capsys.readouterr().out
    [got] = server.received
    check_message(got.content)
    with Database(tmp_path / "m.db") as check:
        assert len(outbox.sent_log(check)) == 1
        assert all(submitted(check, list_id)[p] for p in ours)
