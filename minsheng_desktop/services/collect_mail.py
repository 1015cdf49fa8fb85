"""汇总 from the mailbox: the month's messages (IMAP, mail/imap.py) -> their attachments -> the same reading and
matching as files (services/collect.py, collect_read.py) -> one transaction that writes the reports, logs the files
and remembers each message taken (table mail_taken, by Message-ID and attachment sha256).

No Qt. ``gather`` reads the mailbox and matches, writing nothing; ``apply_mail`` writes what the clerk confirmed;
``mark_taken`` changes the mailbox (mark read, move), only when asked and only after the data is stored.
The unit of a message: the address book (From -> unit) first, then the attachment's content; a unit whose
address the book lacks learns it (services.units.learn_address). Messages from the same unit: for each project
the latest message wins, and the change is listed. Junk, replies without attachments and unreadable files are
listed (sender, subject, why), never fatal.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.model import STATUS_LABELS, TargetList
from ..domain.units import unit_key
from ..mail.compose import MailError
from ..mail.imap import (
    IMAP_PRESETS, FetchedMessage, ImapPreset, ImapSettings, MailAttachment, fetch_month, mark_messages,
)
from ..mail.secrets import IMAP_ENV_VAR, IMAP_SERVICE, get_password, store_password
from ..mail.send import CancelToken, MailCancelled
from ..storage import repo
from ..storage.db import Database, now_iso
from ..storage.mail_taken import TakenAttachment, record_taken, taken_message_ids
from .collect import ApplyStats, CollectResult, analyse_sources, apply_collect, check_month, summary_lines
from .collect_read import REPORT_KEYS, CollectError, Incoming, SourceFile, norm_name, read_source
from .database import select_list
from .units import address_book, learn_address

__all__ = ["IMAP_ENV_VAR", "IMAP_PRESETS", "CancelToken", "ImapPreset", "ImapSettings", "MailCancelled",
           "MailCollect", "MailError", "MessageNote", "apply_mail", "gather", "get_imap_password",
           "load_imap_settings", "mail_lines", "mark_taken", "save_imap_settings", "store_imap_password"]

RETURN_SUFFIXES = (".xlsx", ".json")
CANCELLED = "已取消收取：没有汇总任何内容，邮箱也未改动。"
_FIELD_LABELS = {"status": "状态", "percent": "完成进度", "investment_done_wan": "累计完成投资", "progress": "进展情况",
                 "problems": "存在问题", "next_steps": "下步措施"}
_REPLY_PREFIXES = ("re:", "re：", "回复", "答复", "aw:", "sv:")


# ------------------------------------------------------------------ settings and password


def get_imap_password(user: str | None) -> str | None:
    """$MINSHENG_IMAP_PASSWORD, else the keyring entry of the receiving account; None: ask."""
    return get_password(user, service=IMAP_SERVICE, env_var=IMAP_ENV_VAR)


def store_imap_password(user: str, password: str) -> bool:
    return store_password(user, password, service=IMAP_SERVICE)


def load_imap_settings(db: Database) -> ImapSettings:
    """The receiving server the window keeps (settings imap, imap_security, imap_user); host '' when none."""
    host = repo.get_setting(db, "imap_host") or ""
    try:
        port = int(repo.get_setting(db, "imap_port") or 993)
    except ValueError:
        port = 993
    security = repo.get_setting(db, "imap_security") or ("ssl" if port == 993 else "starttls")
    if security not in ("ssl", "starttls", "plain"):
        security = "ssl"
    return ImapSettings(host=host, port=port, security=security, user=repo.get_setting(db, "imap_user") or None)  # type: ignore[arg-type]


def save_imap_settings(db: Database, settings: ImapSettings) -> None:
    """Remember the server, security and account (never the password) for the next time."""
    with db.transaction():
        for key, value in (("imap_host", settings.host), ("imap_port", str(settings.port)),
                           ("imap_security", settings.security), ("imap_user", settings.user or None)):
            repo.set_setting(db, key, value)


# ------------------------------------------------------------------ reading the mailbox


@dataclass
class MessageNote:
    """One message of the month and what became of it."""

    message: FetchedMessage
    unit: str | None = None
    unit_from: str = ""  # book | content | ''
    files: list[SourceFile] = field(default_factory=list)  # attachments read as returns
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (attachment, why it was not read)
    why: str = ""  # why the message gave nothing

    @property
    def label(self) -> str:
        m = self.message
        when = m.date.astimezone().strftime("%m-%d %H:%M") if m.date else "日期不明"
        who = f"{m.from_name} <{m.from_addr}>" if m.from_name else (m.from_addr or "发件人不明")
        return f"{when} {who}《{m.subject or '无主题'}》"


@dataclass
class MailCollect:
    settings: ImapSettings
    result: CollectResult
    notes: list[MessageNote]
    already: int  # messages taken before (not read again)
    changes: list[str]  # "latest wins": what a later message of the same unit changed

    @property
    def taken_notes(self) -> list[MessageNote]:
        return [n for n in self.notes if n.files]

    @property
    def uids_taken(self) -> list[str]:
        return [n.message.uid for n in self.taken_notes]


def _unique_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in '/\\:*?"<>|\0' else ch for ch in Path(name).name).strip() or "附件"
    stem, suffix = Path(clean).stem, Path(clean).suffix
    out, k = clean, 1
    while out.lower() in used:
        k += 1
        out = f"{stem}（{k}）{suffix}"
    used.add(out.lower())
    return out


def _is_reply(m: FetchedMessage) -> bool:
    return m.subject.strip().lower().startswith(_REPLY_PREFIXES)


def _read_message(note: MessageNote, folder: Path, used: set[str], target_list: TargetList, month: str,
                  book: dict[str, str]) -> None:
    m = note.message
    if m.too_large:
        note.why = "邮件超过 60 MB，未读取：请让报送单位压缩附件后重新发送"
        return
    if not m.attachments:
        note.why = "回复邮件，没有附件" if _is_reply(m) else "没有附件，不是报送邮件"
    for att in m.attachments:
        _read_attachment(note, att, folder, used, target_list, month)
    if m.attachments and not note.files and not note.why:
        note.why = "附件中没有可汇总的报表"
    if m.from_addr in book:
        note.unit, note.unit_from = book[m.from_addr], "book"
    else:
        unit = next((f.unit for f in note.files if f.unit), None)
        note.unit, note.unit_from = unit, ("content" if unit else "")


def _read_attachment(note: MessageNote, att: MailAttachment, folder: Path, used: set[str],
                     target_list: TargetList,
                     month: str) -> None:
    if Path(att.filename).suffix.lower() not in RETURN_SUFFIXES:
        note.skipped.append((att.filename, "不是报表（只汇总本程序导出的 .xlsx 和 dump 的 .json）"))
        return
    path = folder / _unique_name(att.filename, used)
    path.write_bytes(att.data)
    try:
        note.files.append(read_source(path, target_list, month))
    except CollectError as exc:
        note.skipped.append((att.filename, str(exc)))


def _row_key(inc: Incoming) -> tuple[str, ...]:
    return ("id", inc.project_id) if inc.project_id else ("name", inc.number, norm_name(inc.name))


def _value_text(key: str, value: object) -> str:
    if value is None or value == "":
        return "空"
    if key == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if key == "percent":
        return f"{value:g}%" if isinstance(value, (int, float)) else str(value)
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= 16 else text[:15] + "…"


def _diff(old: Incoming, new: Incoming) -> str:
    parts = [f"{_FIELD_LABELS[k]} {_value_text(k, old.values.get(k))} → {_value_text(k, new.values.get(k))}"
             for k in REPORT_KEYS if old.values.get(k) != new.values.get(k)]
    return "，".join(parts) or "内容相同"


def _when(n: MessageNote) -> tuple[dt.datetime, int]:
    return (n.message.date or dt.datetime.min.replace(tzinfo=dt.timezone.utc), int(n.message.uid or 0))


def _latest_wins(notes: list[MessageNote]) -> list[str]:
    """Per unit (else per sender), a project reported in several messages keeps only the latest message's row."""
    groups: dict[str, list[MessageNote]] = {}
    for n in notes:
        if n.files:
            groups.setdefault(unit_key(n.unit) if n.unit else n.message.from_addr, []).append(n)
    changes: list[str] = []
    for ns in groups.values():
        if len(ns) < 2:
            continue
        ns.sort(key=_when)
        newest: dict[tuple[str, ...], tuple[Incoming, MessageNote]] = {}
        for n in reversed(ns):
            for f in n.files:
                keep = []
                for inc in f.rows:
                    later = newest.get(_row_key(inc))
                    if later is None:
                        newest[_row_key(inc)] = (inc, n)
                        keep.append(inc)
                        continue
                    if inc.content() == later[0].content():
                        continue  # sent again unchanged
                    when = later[1].message.date
                    day = f"{when.astimezone():%m月%d日 %H:%M}" if when else "较晚"
                    changes.append(f"{n.unit or n.message.from_addr}：{inc.label} 以{day}的邮件为准"
                                   f"（{_diff(inc, later[0])}）")
                f.rows[:] = keep
    return changes


def gather(db: Database, settings: ImapSettings, password: str | None, month: str, *, year: int | None = None,
           region: str | None = None, target_list: TargetList | None = None, cafile: str | None = None,
           progress=None, cancel: CancelToken | None = None, today: dt.date | None = None) -> MailCollect:  # type: ignore[no-untyped-def]
    """Read the month's messages and match their returns; writes nothing (MailError / CollectError otherwise)."""
    target_list = target_list or select_list(db, year, region)
    check_month(target_list, month)
    taken = taken_message_ids(db)
    try:
        read = fetch_month(settings, password, month, skip_ids=set(taken), cafile=cafile, progress=progress,
                           cancel=cancel)
    except MailCancelled:
        raise MailError("cancelled", CANCELLED) from None
    book = {u.email.lower(): u.name for u in address_book(db) if u.email}
    notes = [MessageNote(m) for m in read.messages]
    with tempfile.TemporaryDirectory(prefix="minsheng-mail-") as tmp:
        used: set[str] = set()
        for note in notes:
            if cancel is not None and cancel.cancelled:
                raise MailError("cancelled", CANCELLED)
            _read_message(note, Path(tmp), used, target_list, month, book)
        changes = _latest_wins(notes)
        newest_first = sorted(notes, key=_when, reverse=True)  # the same file twice: the latest copy is kept
        result = analyse_sources(db, [f for n in newest_first for f in n.files], month,
                                 target_list=target_list, today=today)
    return MailCollect(settings, result, notes, len(read.already), changes)


# ------------------------------------------------------------------ writing


def apply_mail(db: Database, mc: MailCollect, winners: dict[str, int] | None = None) -> ApplyStats:
    """Write the reports, log the files, remember the messages taken and learn the units' addresses — one
    transaction."""
    result = mc.result
    at = now_iso()

    def remember() -> None:
        rows = [TakenAttachment(n.message.message_id, f.sha256, result.target_list.id, result.month,
                                n.message.from_addr or None, n.unit, n.message.subject or None, at)
                for n in mc.taken_notes for f in n.files]
        record_taken(db, rows)
        for n in mc.taken_notes:
            if n.unit and n.unit_from == "content" and n.message.from_addr:
                learn_address(db, n.unit, n.message.from_addr)

    return apply_collect(db, result, winners, also=remember)


def mark_taken(mc: MailCollect, password: str | None, *, mark_read: bool = False, move_to: str | None = None,
               cafile: str | None = None) -> int:
    """Mark the messages taken as read and/or move them (only when asked); how many."""
    uids = mc.uids_taken
    mark_messages(mc.settings, password, uids, mark_read=mark_read, move_to=move_to, cafile=cafile)
    return len(uids) if (mark_read or move_to) else 0


# ------------------------------------------------------------------ what to show


def mail_lines(mc: MailCollect) -> list[str]:
    """Per message what was taken or why not, the corrections, then collect's own summary lines."""
    lines = [f"{mc.settings.folder}：{len(mc.notes)}封本月邮件待处理"
             + (f"，另有{mc.already}封已收取过（跳过）" if mc.already else "")]
    for n in mc.notes:
        if n.files:
            who = f"{n.unit}（{'通讯录' if n.unit_from == 'book' else '报表内容'}）" if n.unit else "单位不明"
            lines.append(f"  收取 {n.label} → {who}：" + "、".join(f"“{f.name}” {len(f.rows)}条" for f in n.files))
        else:
            lines.append(f"  跳过 {n.label}：{n.why}")
        for name, why in n.skipped:
            lines.append(f"      附件“{name}”未汇总：{why}")
    if mc.changes:
        lines.append(f"同一单位多次报送，以最新邮件为准{len(mc.changes)}项：")
        lines += [f"  {c}" for c in mc.changes]
    return lines + summary_lines(mc.result)
