"""The month's report e-mail from plain data: the records (sender, counts, outgoing mail), the body, the message.

No database: the use cases (services.mailing) read the recipient, the sender and the counts and pass them in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.model import STATUS_LABELS, TargetList
from ..domain.schedule import month_label
from .compose import Attachment, MailError, build_message, message_bytes, subject_for

__all__ = ["MonthCounts", "OutgoingMail", "Sender", "compose_body", "compose_month_mail", "from_name",
           "mail_unit", "require_reports"]

_STATUS_ORDER = ("done", "on_track", "lagging", "not_started", "withdrawn")


@dataclass(frozen=True)
class Sender:
    """Who sends: the reporting unit, the clerk's name and phone (settings), the From address."""

    unit: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class MonthCounts:
    projects: int
    reported: int
    by_status: dict[str, int]
    project_ids: tuple[str, ...]  # the projects whose report for the month goes out in this mail


@dataclass(frozen=True)
class OutgoingMail:
    """A composed message and what it stands for; plain data, safe to hand to a worker thread."""

    list_id: int | None
    month: str
    unit: str | None
    recipient: str
    from_addr: str | None
    subject: str
    data: bytes  # the message as it goes on the wire (and into the .eml)
    attachments: tuple[Attachment, ...]
    project_ids: tuple[str, ...]
    kind: str = "report"  # "report": the month's report; "reminder": a 催报 (mail/remind.py), never marks reports


def mail_unit(target_list: TargetList, unit: str | None, sender: Sender) -> str:
    """Who reports in the subject and the body: the leading unit chosen, else the clerk's unit, else the region."""
    return unit or sender.unit or target_list.region


def require_reports(counts: MonthCounts, name: str, month: str) -> None:
    """MailError("empty") when nothing was filled in for the month: there is nothing to report."""
    if counts.reported == 0:
        raise MailError("empty", f"{name}{month_label(month)}还没有填报任何月报：请先填报后再报送。")


def from_name(sender: Sender) -> str | None:
    """The From header's display name: 区教委 李四."""
    return " ".join(x for x in (sender.unit, sender.name) if x) or None


def _salutation(target_list: TargetList) -> str:
    """The office by its name (TargetList.office: 区发展改革委), or the contact person the notice names alone."""
    c = target_list.contact
    if c and c.name and not c.unit:
        return f"{c.name}同志："
    return f"{target_list.office}："


def compose_body(target_list: TargetList, month: str, unit: str, counts: MonthCounts, sender: Sender,
                 attachments: list[Attachment] | tuple[Attachment, ...], today: dt.date | None = None,
                 scoped: bool = False) -> str:
    """A short letter in the tone of a 函: who reports which month, how many projects, who to call."""
    scope = f"{unit}牵头的" if scoped else ""
    parts = [f"{STATUS_LABELS.get(s, s)}{counts.by_status[s]}个" for s in _STATUS_ORDER if counts.by_status.get(s)]
    if counts.by_status.get("unknown"):
        parts.append(f"未填写状态{counts.by_status['unknown']}个")
    line = (f"    现将{unit}{month_label(month)}民生实事项目推进情况报送如下：{scope}{target_list.year}年民生实事项目"
            f"共{counts.projects}个，本月已填报{counts.reported}个")
    line += ("，其中" + "、".join(parts) + "。") if parts else "。"
    if counts.reported < counts.projects:
        line += f"尚有{counts.projects - counts.reported}个项目本月未填报。"
    lines = [_salutation(target_list), "", line + "具体情况详见附件。", ""]
    if attachments:
        lines.append("    附件：" + "\n          ".join(f"{i}. {a.filename}" for i, a in enumerate(attachments, 1)))
        lines.append("")
    contact = "，".join(x for x in (f"联系人：{sender.name}" if sender.name else "",
                                    f"联系电话：{sender.phone}" if sender.phone else "") if x)
    if contact:
        lines += [f"    {contact}。", ""]
    day = today or dt.date.today()
    lines += ["", f"{sender.unit or unit}", f"{day.year}年{day.month}月{day.day}日", ""]
    return "\n".join(lines)


def compose_month_mail(target_list: TargetList, month: str, attachments: tuple[Attachment, ...], *,
                       recipient: str,
                       sender: Sender, counts: MonthCounts, unit: str | None = None, draft: bool = False,
                       today: dt.date | None = None) -> OutgoingMail:
    """The month's e-mail to a checked ``recipient``. Raises MailError("empty") when nothing was filled in."""
    name = mail_unit(target_list, unit, sender)
    require_reports(counts, name, month)
    subject = subject_for(name, month)
    body = compose_body(target_list, month, name, counts, sender, attachments, today, scoped=unit is not None)
    msg = build_message(to=recipient, subject=subject, body=body, attachments=attachments, from_addr=sender.email,
                        from_name=from_name(sender), draft=draft)
    return OutgoingMail(target_list.id, month, unit, recipient, sender.email, subject, message_bytes(msg),
                        attachments,
                        counts.project_ids)
