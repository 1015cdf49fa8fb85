"""发送月报 from the window: an .eml draft that parses back with its attachments; sending to a real SMTP server
on 127.0.0.1; a server that is down puts the message in the 发件箱, and 重新发送 sends it later."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from minsheng_desktop.domain.model import TargetList
from minsheng_desktop.gui import dialogs
from minsheng_desktop.mail.compose import parse_message
from minsheng_desktop.services import mailing, outbox
from minsheng_desktop.services.mailing import SmtpSettings
from minsheng_desktop.storage.reports import reports_for_list

from ..test_mail_support import CONTACT, MONTH, PASSWORD, USER, Server, free_port, make_db

pytest.importorskip("aiosmtpd")


@pytest.fixture
def mail_db(db_path: Path) -> Path:
    db, _list_id, _ours = make_db(db_path)
    db.close()
    return db_path


@pytest.fixture
def quiet(monkeypatch):
    """Record every message box instead of showing it."""
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, t, x: said.append((t, x)))
    monkeypatch.setattr(dialogs, "show_error", lambda _p, t, x: said.append((t, x)))
    return said


def open_mail(qtbot, w, month: str = MONTH):
    dlg = w.open_mail()
    dlg.month.setCurrentIndex(dlg.month.findData(month))
    dlg.scope_all.setChecked(True)
    qtbot.waitUntil(lambda: dlg.draft is not None and dlg.draft.month == month and dlg.draft.unit is None,
                    timeout=60000)
    return dlg


def test_draft_eml_with_attachments(qtbot, open_window, mail_db, tmp_path, monkeypatch, quiet):
    target = tmp_path / "草稿" / "月报.eml"
    target.parent.mkdir()
    opened = []
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a: str(target))
    monkeypatch.setattr(dialogs, "open_url", lambda url: opened.append(url.toLocalFile()) or True)
    w = open_window()
    dlg = open_mail(qtbot, w)
    assert dlg.recipient.text() == CONTACT  # the contact the notice named
    assert "2023年5月" in dlg.subject.text()
    assert "共3个" in dlg.body.toPlainText()
    dlg.recipient.setText("fgw-office@example.gov.cn")  # editable
    dlg.body.setPlainText(dlg.body.toPlainText() + "\n（另附纸质件）")
    dlg.open_after.setChecked(True)
    assert dlg.save_draft() == target
    assert opened == [str(target)]
    msg = parse_message(target.read_bytes())
    assert msg["To"].addresses[0].addr_spec == "fgw-office@example.gov.cn"
    assert msg["Subject"] == dlg.subject.text()
    assert msg["X-Unsent"] == "1"
    assert "另附纸质件" in msg.get_body(("plain",)).get_content()
    atts = list(msg.iter_attachments())
    assert [a.get_filename() for a in atts] == [a.filename for a in dlg.draft.attachments]
    assert [a.get_payload(decode=True) for a in atts] == [a.data for a in dlg.draft.attachments]
    assert atts[0].get_filename().endswith(".xlsx") and len(atts) == 3


def _smtp(w, port: int) -> None:
    outbox.save_smtp_settings(w.db, SmtpSettings(host="127.0.0.1", port=port, security="plain", user=USER,
                                                 timeout=5), from_addr=USER)


def test_send_to_a_real_server(qtbot, open_window, mail_db, monkeypatch, quiet, caplog):
    asked = []
    monkeypatch.setattr(mailing, "get_password", lambda _u: None)  # no keyring: asked each time
    monkeypatch.setattr(dialogs, "ask_password", lambda _p, user: asked.append(user) or PASSWORD)
    server = Server("plain").start()
    try:
        w = open_window()
        _smtp(w, server.port)
        caplog.set_level(logging.DEBUG, logger="minsheng")
        dlg = open_mail(qtbot, w)
        with qtbot.waitSignal(dlg.mailDone, timeout=30000) as done:
            assert dlg.send()
        assert done.args == [True], quiet
        assert asked == [USER]
        assert len(server.received) == 1 and server.received[0].rcpt_tos == [CONTACT]
        got = parse_message(server.received[0].content)
        assert [a.get_payload(decode=True) for a in got.iter_attachments()] == [a.data for a in dlg.draft.attachments]
        assert outbox.sent_log(w.db)[0].month == MONTH
        tl: TargetList = w.lists[w.list_id]
        assert all(r.submitted_on for r in reports_for_list(w.db, tl.id, MONTH))
        assert outbox.list_outbox(w.db) == []
        assert "5月" in w.overview.summary.text() or MONTH in w.sent_months()
        assert MONTH in w.sent_months()
        assert PASSWORD not in caplog.text and "已竣工" not in caplog.text  # no secrets or report texts logged
    finally:
        server.stop()


def test_server_down_then_resend_from_the_outbox(qtbot, open_window, mail_db, monkeypatch, quiet):
    monkeypatch.setattr(mailing, "get_password", lambda _u: PASSWORD)
    port = free_port()
    w = open_window()
    _smtp(w, port)
    dlg = open_mail(qtbot, w)
    with qtbot.waitSignal(dlg.mailDone, timeout=30000) as done:
        dlg.send()
    assert done.args == [False]
    assert "发件箱" in quiet[-1][1]
    assert len(outbox.list_outbox(w.db)) == 1 and outbox.sent_log(w.db) == []
    assert w.outbox.table.rowCount() == 1 and "发件箱（1）" in w.tabs.tabText(2)
    dlg.close()

    server = Server("plain", port=port).start()
    try:
        w.outbox.table.selectRow(0)
        with qtbot.waitSignal(w.outbox.sender.done, timeout=30000) as again:
            assert w.outbox.resend()
        assert again.args[0] is True, again.args
        assert len(server.received) == 1
        assert outbox.list_outbox(w.db) == [] and w.outbox.table.rowCount() == 0
        assert w.tabs.tabText(2) == "发件箱"
        assert MONTH in w.sent_months()
    finally:
        server.stop()


def test_outbox_save_eml_and_delete(qtbot, open_window, mail_db, tmp_path, monkeypatch, quiet):
    monkeypatch.setattr(mailing, "get_password", lambda _u: PASSWORD)
    w = open_window()
    _smtp(w, free_port())
    dlg = open_mail(qtbot, w)
    with qtbot.waitSignal(dlg.mailDone, timeout=30000):
        dlg.send()
    dlg.close()
    out = tmp_path / "outbox.eml"
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a: str(out))
    w.outbox.table.selectRow(0)
    assert w.outbox.save_eml() == out
    assert len(list(parse_message(out.read_bytes()).iter_attachments())) == 3
    monkeypatch.setattr(dialogs, "ask", lambda *a: True)
    assert w.outbox.delete()
    assert outbox.list_outbox(w.db) == []


def test_smtp_settings_page_never_stores_the_password(qtbot, open_window, mail_db, monkeypatch):
    from minsheng_desktop.gui.settings_dialog import SettingsDialog

    stored = {}
    monkeypatch.setattr(mailing, "keyring_available", lambda: True)
    monkeypatch.setattr(mailing, "get_password", lambda u: stored.get(u))
    monkeypatch.setattr(mailing, "store_password", lambda u, p: stored.update({u: p}) or True)
    w = open_window()
    dlg = SettingsDialog(w.db, [], None, w)
    qtbot.addWidget(dlg)
    page = dlg.mail
    page.preset.setCurrentIndex(page.preset.findData("163"))
    assert page.host.text() == "smtp.163.com" and page.port.value() == 465
    page.user.setText("clerk@163.com")
    page.password.setText("secret-授权码")
    page.reporter["reporter_name"].setText("张三")
    dlg.accept()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()
    s = outbox.load_smtp_settings(w.db)
    assert (s.host, s.port, s.security, s.user) == ("smtp.163.com", 465, "ssl", "clerk@163.com")
    assert stored == {"clerk@163.com": "secret-授权码"}
    dump = "\n".join(str(r) for r in w.db.conn.execute("SELECT * FROM settings"))
    assert "secret" not in dump and "张三" in dump
    ini = Path(w.settings.fileName())
    w.settings.sync()
    assert not ini.exists() or "secret" not in ini.read_text(encoding="utf-8", errors="replace")


def test_recipient_remembered_for_the_list(qtbot, open_window, mail_db, tmp_path, monkeypatch, quiet):
    """Typed once in the dialog, proposed again next time (per list), instead of the notice's contact."""
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a: str(tmp_path / "m.eml"))
    w = open_window()
    dlg = open_mail(qtbot, w)
    assert dlg.recipient.text() == CONTACT
    dlg.recipient.setText("fgw-office@example.gov.cn")
    assert dlg.save_draft() is not None
    dlg.reject()
    again = open_mail(qtbot, w)  # opened again (next month it is the same list's office)
    assert again.recipient.text() == "fgw-office@example.gov.cn"
