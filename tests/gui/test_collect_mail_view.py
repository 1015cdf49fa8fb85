"""Issue 18 in the window: 汇总 → 收取报送邮件… against a real Dovecot (tests/dovecot_support.py): read in the
background, the same matching view, confirm writes and (only when ticked) marks the messages read."""

from __future__ import annotations

from minsheng_desktop.gui.collect_mail_view import MailCollectDialog
from minsheng_desktop.services.collect_mail import load_imap_settings
from minsheng_desktop.services.database import open_database
from minsheng_desktop.services.reports import month_reports
from tests.test_collect_mail import (  # noqa: F401 - world is the fixture
    BOOK_UNIT, LEARN_UNIT, MONTH, USERS, TWICE_UNIT, _district, _flags, _percents, world,
)


def _dialog(qtbot, world, name: str, user: str, password: str) -> MailCollectDialog:  # type: ignore[no-untyped-def]  # noqa: F811
    dlg = MailCollectDialog(_district(world, name))
    qtbot.addWidget(dlg)
    dlg.month_combo.setCurrentIndex(dlg.month_combo.findData(MONTH))
    dlg.preset.setCurrentIndex(dlg.preset.findData("custom"))
    dlg.host.setText("127.0.0.1")
    dlg.port.setValue(world["server"].plain_port)
    dlg.security.setCurrentIndex(dlg.security.findData("plain"))
    dlg.user.setText(user)
    dlg.password.setText(password)
    return dlg


def test_mail_dialog_gathers_matches_and_writes(qtbot, world, monkeypatch):  # noqa: F811
    monkeypatch.delenv("MINSHENG_IMAP_PASSWORD", raising=False)
    user = "mark@example.gov.cn"
    dlg = _dialog(qtbot, world, "gui.db", user, USERS[user])
    before = _flags(world, user)
    with qtbot.waitSignal(dlg.analysed, timeout=20000):
        dlg.analyse_button.click()
    assert dlg.result is not None and dlg.mail is not None
    text = dlg.messages.toPlainText()
    assert "收取" in text and "代开各类发票" in text and "以" in text and TWICE_UNIT in text
    assert not month_reports_of(dlg)  # nothing before confirming
    assert _flags(world, user) == before
    dlg.mark_read.setChecked(True)
    with qtbot.waitSignal(dlg.applied, timeout=20000) as done:
        dlg.confirm_button.click()
    qtbot.waitUntil(lambda: "标为已读" in dlg.summary.text() or "整理" in dlg.summary.text(), timeout=10000)
    assert done.args[0].written == 12
    sent = world["sent"]
    assert _percents(dlg.db_path) == {**sent[BOOK_UNIT], **sent[LEARN_UNIT], **sent[TWICE_UNIT]}
    assert BOOK_UNIT not in dlg.missing.text()
    seen = [s for s, f in _flags(world, user).items() if "\\Seen" in f]
    assert len(seen) == 4 and "代开各类发票" not in seen
    with open_database(dlg.db_path) as db:  # the server and account are remembered, never the password
        stored = load_imap_settings(db)
        assert not [k for k, in db.conn.execute("SELECT key FROM settings") if "pass" in k.lower()]
    assert (stored.host, stored.port, stored.security, stored.user) == ("127.0.0.1", world["server"].plain_port,
                                                                         "plain", user)


def month_reports_of(dlg: MailCollectDialog) -> dict:
    with open_database(dlg.db_path) as db:
        return month_reports(db, dlg.result.target_list.id, MONTH)  # type: ignore[union-attr]


def test_mail_dialog_wrong_password_says_so_and_writes_nothing(qtbot, world, monkeypatch):  # noqa: F811
    monkeypatch.delenv("MINSHENG_IMAP_PASSWORD", raising=False)
    dlg = _dialog(qtbot, world, "gui-bad.db", "fgw@example.gov.cn", "wrong")
    with qtbot.waitSignal(dlg.failed, timeout=20000) as failed:
        dlg.analyse_button.click()
    assert "拒绝登录" in failed.args[0] and "拒绝登录" in dlg.summary.text()
    assert dlg.result is None and not dlg.confirm_button.isEnabled()
    with open_database(dlg.db_path) as db:  # the server settings were saved; no report, no message taken
        assert [db.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("reports", "mail_taken")] == [0, 0]
