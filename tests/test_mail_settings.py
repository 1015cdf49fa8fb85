"""The 报送与邮件 settings as typed values (services.settings): defaults, round trip, blanks, the server's part."""

from __future__ import annotations

from pathlib import Path

import pytest

from minsheng_desktop.mail.send import SmtpSettings
from minsheng_desktop.services import outbox
from minsheng_desktop.services.mailing import reporter_contact, sender_info
from minsheng_desktop.services.settings import MailSettings, load_mail_settings, save_mail_settings
from minsheng_desktop.storage import repo
from minsheng_desktop.storage.db import Database


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    d = Database(tmp_path / "s.db")
    yield d
    d.close()


def test_nothing_set(db: Database) -> None:
    assert load_mail_settings(db) == MailSettings(letter_kind="函", preset="qq")


def test_round_trip_with_a_server(db: Database) -> None:
    s = MailSettings(reporter_unit=" 区教委 ", reporter_name="李四", reporter_phone="023-77881234 ",
                     letter_kind="报告", mail_to=" fgw@example.gov.cn", preset="163", user="clerk@163.com",
                     from_addr=" office@example.cn ")
    server = SmtpSettings(host="smtp.163.com", port=465, security="ssl", user="clerk@163.com")
    save_mail_settings(db, s, server)
    assert load_mail_settings(db) == MailSettings("区教委", "李四", "023-77881234", "报告", "fgw@example.gov.cn", "163",
                                                  "clerk@163.com", "office@example.cn")
    assert outbox.load_smtp_settings(db) == server
    assert reporter_contact(db) == ("李四", "023-77881234")  # what the exports and the mail read
    assert sender_info(db).email == "office@example.cn" and sender_info(db).unit == "区教委"
    assert repo.get_setting(db, "letter_kind") == "报告"


def test_blanks_are_not_set_and_no_server_leaves_the_server(db: Database) -> None:
    server = SmtpSettings(host="smtp.qq.com", port=465, security="ssl", user="a@qq.com")
    outbox.save_smtp_settings(db, server, from_addr="a@qq.com", preset="qq")
    save_mail_settings(db, MailSettings(reporter_unit="区教委", mail_to="x@example.cn"), None)
    save_mail_settings(db, MailSettings(reporter_unit="  ", mail_to="", preset="163", from_addr="b@163.com"), None)
    assert repo.get_setting(db, "reporter_unit") is None and repo.get_setting(db, "mail_to") is None
    assert outbox.load_smtp_settings(db) == server  # no server given: the stored one, its preset and From stay
    loaded = load_mail_settings(db)
    assert (loaded.preset, loaded.from_addr, loaded.user) == ("qq", "a@qq.com", "a@qq.com")


def test_an_unknown_letter_kind_reads_as_han(db: Database) -> None:
    repo.set_setting(db, "letter_kind", "通知")
    assert load_mail_settings(db).letter_kind == "函"
