"""Build the monthly report e-mail: RFC 5322 / MIME, UTF-8, Chinese attachment names that every client shows."""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from urllib.parse import quote

from ..domain.month import Month

__all__ = [
    "Attachment", "MailError", "build_message", "check_address", "file_records", "message_bytes",
    "parse_message", "subject_for",
]

# Headers the application writes itself are already folded; never let the library refold them.
WIRE_POLICY = policy.SMTP.clone(refold_source="none")
_MAX_LINE = 76
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

_MIME_BY_SUFFIX = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".doc": "application/msword",
    ".pdf": "application/pdf",
    ".wps": "application/vnd.ms-works",
    ".et": "application/vnd.ms-excel",
    ".zip": "application/zip",
}


KIND_HEADER = "X-Minsheng-Kind"


class MailError(Exception):
    """A mail problem the clerk must be told about, in one Chinese sentence; ``kind`` is for the code."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Attachment:
    """One file to attach: its name as the clerk will see it, and its bytes."""

    filename: str
    data: bytes
    content_type: str | None = None

    @property
    def mime_type(self) -> str:
        if self.content_type:
            return self.content_type
        suffix = "." + self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""
        return _MIME_BY_SUFFIX.get(suffix) or mimetypes.guess_type(self.filename)[0] or "application/octet-stream"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def subject_for(unit: str, month: str) -> str:
    return f"【民生实事月报】{unit}{Month.parse(month).label}推进情况"


def check_address(addr: str | None, what: str = "收件人", fix: str = "请在设置中填写") -> str:
    """A plain addr-spec, or a MailError saying what to fix (``fix``: where a missing address is given)."""
    value = (addr or "").strip()
    if not value:
        raise MailError("config", f"没有{what}邮箱地址：{fix}。")
    if not _ADDRESS.match(value):
        raise MailError("config", f"{what}邮箱地址“{value}”格式不正确：请检查后重新填写。")
    return value


# ------------------------------------------------------------------ attachment headers


def _encoded_words(text: str) -> list[str]:
    """RFC 2047 B-encoded words, each at most 75 characters, split only between characters."""
    words: list[str] = []
    chunk = ""
    for ch in text:
        candidate = chunk + ch
        if len(base64.b64encode(candidate.encode("utf-8"))) + 12 > 75 and chunk:
            words.append(chunk)
            chunk = ch
        else:
            chunk = candidate
    if chunk or not words:
        words.append(chunk)
    return ["=?UTF-8?B?" + base64.b64encode(w.encode("utf-8")).decode("ascii") + "?=" for w in words]


def _rfc2231_params(attr: str, value: str) -> list[str]:
    """``attr*=UTF-8''…`` (RFC 2231), in numbered continuations when one line would be too long."""
    encoded = quote(value, safe="")
    single = f"{attr}*=UTF-8''{encoded}"
    if len(single) + 2 <= _MAX_LINE:
        return [single]
    # Split between characters, never inside one character's octets: some readers decode each piece alone.
    pieces: list[str] = []
    current = ""
    for ch in value:
        enc = quote(ch, safe="")
        prefix = f"{attr}*{len(pieces)}*=" + ("UTF-8''" if not pieces else "")
        if current and len(prefix) + len(current) + len(enc) + 2 > _MAX_LINE:
            pieces.append(prefix + current)
            current = ""
        current += enc
    if current:
        pieces.append(f"{attr}*{len(pieces)}*=" + ("UTF-8''" if not pieces else "") + current)
    return pieces


def _attachment_part(att: Attachment) -> EmailMessage:
    """A base64 part with ``Content-Type; name="=?UTF-8?B?…?="`` (Outlook, Foxmail) and
    ``Content-Disposition; filename*=`` (RFC 2231: Thunderbird and current clients)."""
    part = EmailMessage(policy=WIRE_POLICY)
    name_words = _encoded_words(att.filename)
    part.set_raw("Content-Type", f"{att.mime_type};\r\n name=\"" + "\r\n ".join(name_words) + "\"")
    part.set_raw("Content-Transfer-Encoding", "base64")
    part.set_raw("Content-Disposition", "attachment;\r\n " + ";\r\n ".join(_rfc2231_params("filename", att.filename)))
    b64 = base64.b64encode(att.data).decode("ascii")
    part.set_payload("\r\n".join(b64[i:i + 76] for i in range(0, len(b64), 76)) + "\r\n")
    return part


# ------------------------------------------------------------------ the message


def build_message(*, to: str, subject: str, body: str, attachments: list[Attachment] | tuple[Attachment, ...],
                  from_addr: str | None = None, from_name: str | None = None, draft: bool = False,
                  domain: str | None = None, kind: str | None = None) -> EmailMessage:
    """The whole message. ``draft`` adds ``X-Unsent: 1`` so Outlook opens the .eml ready to send; ``kind`` (a
    reminder) is kept in ``X-Minsheng-Kind``, so a message waiting in the outbox is known for what it is."""
    to_addr = check_address(to)
    msg = EmailMessage(policy=policy.SMTP)
    if from_addr:
        sender = check_address(from_addr, "发件人")
        user, _, host = sender.partition("@")
        msg["From"] = Address(display_name=from_name or "", username=user, domain=host)
        domain = domain or host
    to_user, _, to_host = to_addr.partition("@")
    msg["To"] = Address(username=to_user, domain=to_host)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid("minsheng", domain=domain or "localhost")
    msg["MIME-Version"] = "1.0"
    if draft:
        msg["X-Unsent"] = "1"
    msg["X-Mailer"] = "minsheng-desktop"
    if kind:
        msg[KIND_HEADER] = kind
    text = body.replace("\r\n", "\n")
    msg.make_mixed()
    text_part = EmailMessage(policy=policy.SMTP)
    text_part.set_content(text, subtype="plain", charset="utf-8", cte="base64")
    del text_part["MIME-Version"]
    msg.attach(text_part)
    for att in attachments:
        msg.attach(_attachment_part(att))
    return msg


def message_bytes(msg: EmailMessage) -> bytes:
    """The bytes that go on the wire and into the .eml: CRLF line ends, 7-bit only."""
    return msg.as_bytes(policy=WIRE_POLICY)


def parse_message(data: bytes) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    return msg


def file_records(attachments: list[Attachment] | tuple[Attachment, ...]) -> list[dict[str, object]]:
    """What the sent log keeps of each file: name, size, SHA-256."""
    return [{"name": a.filename, "size": len(a.data), "sha256": a.sha256} for a in attachments]


def attachments_of(data: bytes) -> list[Attachment]:
    """The attachments back out of message bytes (for the outbox's sent log and for tests)."""
    out: list[Attachment] = []
    for part in parse_message(data).iter_attachments():
        payload = part.get_payload(decode=True)
        out.append(Attachment(part.get_filename() or "", payload if isinstance(payload, bytes) else b"",
                              part.get_content_type()))
    return out
