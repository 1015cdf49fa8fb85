"""The reminder (催报) the 发展改革委 contact sends a unit that has not reported the month: short, polite, naming
the unit's projects and the deadline from the notice. Plain data in, an OutgoingMail out; no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.schedule import month_label
from .compose import build_message, message_bytes
from .monthly import OutgoingMail, Sender, from_name

REMINDER = "reminder"  # OutgoingMail.kind of a 催报


@dataclass(frozen=True)
class ReminderFacts:
    """What one reminder says."""

    list_id: int
    region: str
    year: int
    notice_title: str | None
    month: str
    unit: str  # the lead unit reminded
    contact: str | None  # its contact person (address book), for the salutation
    projects: tuple[str, ...]  # "3.城镇老旧小区改造", in list order
    deadline: dt.date


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def reminder_subject(f: ReminderFacts) -> str:
    return f"关于报送{f.region}{month_label(f.month)}民生实事推进情况的提醒（{f.unit}）"


def reminder_body(f: ReminderFacts, sender: Sender, today: dt.date) -> str:
    notice = f"《{f.notice_title}》" if f.notice_title else f"{f.region}{f.year}年民生实事目标任务的通知"
    if today > f.deadline:
        when = f"报送时限（{_day(f.deadline)}）已过，请尽快报送"
    else:
        when = f"请于{_day(f.deadline)}前报送"
    lines = [f"{f.unit}{f'（{f.contact}同志）' if f.contact else ''}：", "",
             f"    根据{notice}要求，各牵头单位应按月报送民生实事推进情况。截至{_day(today)}，我们尚未收到贵单位"
             f"牵头的以下{len(f.projects)}个项目{month_label(f.month)}的推进情况：", ""]
    lines += [f"        {p}" for p in f.projects]
    lines += ["", f"    {when}。如已报送，请忽略本邮件；如有困难，请及时与我们联系。", ""]
    contact = "，".join(x for x in (f"联系人：{sender.name}" if sender.name else "",
                                    f"联系电话：{sender.phone}" if sender.phone else "") if x)
    if contact:
        lines += [f"    {contact}。", ""]
    lines += ["", sender.unit or f"{f.region}发展改革委", _day(today), ""]
    return "\n".join(lines)


def compose_reminder(f: ReminderFacts, *, recipient: str, sender: Sender, draft: bool,
                     today: dt.date) -> OutgoingMail:
    """The reminder to a checked ``recipient``; it carries no attachment and marks no report as sent."""
    subject = reminder_subject(f)
    msg = build_message(to=recipient, subject=subject, body=reminder_body(f, sender, today), attachments=(),
                        from_addr=sender.email, from_name=from_name(sender), draft=draft, kind=REMINDER)
    return OutgoingMail(f.list_id, f.month, f.unit, recipient, sender.email, subject, message_bytes(msg), (), (),
                        kind=REMINDER)
