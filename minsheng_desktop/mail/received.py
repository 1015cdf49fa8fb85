"""A received message as collecting needs it (sender, subject, date, Message-ID, attachments): parsed with the
email package (policy.default). Attachment names come from ``get_filename()``, which reads both RFC 2231
(filename*=utf-8''…) and RFC 2047 (filename="=?utf-8?b?…?=") forms; no Qt, no network, no database."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime

__all__ = ["FetchedMessage", "MailAttachment", "decoded", "parse_message_bytes"]


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    data: bytes
    content_type: str


@dataclass(frozen=True)
class FetchedMessage:
    """One message as the unit's mail client left it."""

    uid: str
    message_id: str
    from_addr: str  # lower case, '' when the From cannot be read
    from_name: str
    subject: str
    date: dt.datetime | None  # the Date header, else the server's arrival time
    attachments: tuple[MailAttachment, ...]
    flags: tuple[str, ...]
    size: int
    too_large: bool = False


def decoded(text: str | None) -> str:
    """A header value, with RFC 2047 words left undecoded by a non-conforming client decoded here."""
    value = str(text or "")
    if "=?" in value:
        try:
            value = str(make_header(decode_header(value)))
        except (ValueError, LookupError, UnicodeDecodeError):
            pass
    return re.sub(r"[\r\n\t]+", " ", value).strip()


def _attachments(msg: EmailMessage) -> tuple[MailAttachment, ...]:
    out = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()  # RFC 2231 (filename*=) and RFC 2047 (=?UTF-8?B?…?=) both end up here
        if not name:
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        out.append(MailAttachment(decoded(name), data, part.get_content_type()))
    return tuple(out)


def _sender(msg: EmailMessage) -> tuple[str, str]:
    """(display name, address) of From: the header's parsed address, else parseaddr of its text."""
    header = msg.get("From")
    try:
        addresses = getattr(header, "addresses", ())
        if addresses and re.fullmatch(r"[^\s<>@\"]+@[^\s<>@\"]+", addresses[0].addr_spec or ""):
            return decoded(addresses[0].display_name), addresses[0].addr_spec
    except (IndexError, TypeError, ValueError):
        pass
    text = decoded(header)
    name, addr = parseaddr(text)
    if "@" not in addr or " " in addr:  # a display name parseaddr could not split: take the <…> part
        m = re.search(r"<([^<>\s]+@[^<>\s]+)>", text)
        return (text[:m.start()].strip(' "'), m[1]) if m else ("", "")
    return name, addr


def parse_message_bytes(raw: bytes, uid: str = "", flags: tuple[str, ...] = (),
                        arrived: dt.datetime | None = None) -> FetchedMessage:
    """The parts of a message collecting needs. A message without a Message-ID gets one from its bytes."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    mid = decoded(msg.get("Message-ID")).strip() or f"<sha256-{hashlib.sha256(raw).hexdigest()}@minsheng>"
    name, addr = _sender(msg)
    try:
        when = parsedate_to_datetime(str(msg.get("Date"))) if msg.get("Date") else None
    except (TypeError, ValueError, IndexError):
        when = None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return FetchedMessage(uid, mid, addr.strip().lower(), name.strip(), decoded(msg.get("Subject")),
                          when or arrived, _attachments(msg), flags, len(raw))
