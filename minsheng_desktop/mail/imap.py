"""Reading the month's returns from the mailbox over IMAP (imaplib): no database, no Qt.

The folder is opened read-only (EXAMINE) and each message fetched with BODY.PEEK[], so reading changes nothing in
the mailbox; ``mark_messages`` (mark read, move to a folder) is a separate call made only when the clerk asks.
Every failure becomes one MailError in Chinese (server down, wrong password, TLS, folder missing); nothing is
returned half-read. A message is parsed by mail/received.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import imaplib
import re
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from email import policy
from email.parser import BytesParser

from .compose import MailError
from .received import FetchedMessage, MailAttachment, decoded, parse_message_bytes
from .send import CancelToken, MailCancelled, Security, is_loopback

__all__ = ["IMAP_PRESETS", "FetchedMessage", "ImapPreset", "ImapSettings", "MailAttachment", "MailboxRead",
           "fetch_month", "mark_messages", "parse_message_bytes"]

Progress = Callable[[str, float], None]
MAX_MESSAGE_BYTES = 60 * 1024 * 1024  # larger than any mail service lets through; a bigger one is listed, not read
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ImapPreset:
    label: str
    host: str
    port: int
    security: Security
    hint: str = ""


IMAP_PRESETS: dict[str, ImapPreset] = {
    "qq": ImapPreset("QQ 邮箱", "imap.qq.com", 993, "ssl",
                     "密码处请填写 QQ 邮箱“设置—账户”中开启 IMAP 服务后生成的授权码，而不是 QQ 密码。"),
    "163": ImapPreset("163 邮箱", "imap.163.com", 993, "ssl",
                      "密码处请填写 163 邮箱“设置—POP3/SMTP/IMAP”中开启 IMAP 服务后生成的授权码。"),
    "gov": ImapPreset("政务邮箱", "", 993, "ssl", "请向本单位信息中心询问政务邮箱的收信（IMAP）服务器地址。"),
    "custom": ImapPreset("其他邮箱", "", 993, "ssl", ""),
}


@dataclass(frozen=True)
class ImapSettings:
    """Which mailbox to read. The password is never part of it."""

    host: str
    port: int = 993
    security: Security = "ssl"
    user: str | None = None
    folder: str = "INBOX"
    timeout: float = 30.0

    @classmethod
    def from_preset(cls, key: str, user: str | None = None, host: str | None = None) -> "ImapSettings":
        p = IMAP_PRESETS[key]
        return cls(host=host or p.host, port=p.port, security=p.security, user=user)

    def with_(self, **changes: object) -> "ImapSettings":
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class MailboxRead:
    messages: list[FetchedMessage]  # read in full, oldest first
    already: list[str]  # Message-IDs found in the folder that the caller had taken before (not downloaded)
    searched: int  # messages since the month's start


# ------------------------------------------------------------------ the connection


def _utf7(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3), quoted: 已汇总 -> "&XfJtR22H-"."""
    out, run = [], []

    def flush() -> None:
        if run:
            b = base64.b64encode("".join(run).encode("utf-16-be")).decode("ascii").rstrip("=").replace("/", ",")
            out.append(f"&{b}-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    text = "".join(out)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def map_error(exc: BaseException, settings: ImapSettings) -> MailError:
    """One clear Chinese sentence for each way reading the mailbox fails."""
    where = settings.where
    if isinstance(exc, MailError):
        return exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailError("tls", f"收信服务器 {where} 的安全证书无法验证（{exc.verify_message or exc}）："
                                "可能是服务器地址填错或网络被拦截，请核对服务器地址；没有收取任何邮件。")
    if isinstance(exc, ssl.SSLError):
        return MailError("tls", f"与收信服务器 {where} 建立加密连接失败（{exc.reason or exc}）：请核对端口与加密方式"
                                "（993 端口用 SSL，143 端口用 STARTTLS）；没有收取任何邮件。")
    if isinstance(exc, socket.gaierror):
        return MailError("unreachable", f"找不到收信服务器“{settings.host}”：请检查服务器地址和网络连接。")
    if isinstance(exc, (ConnectionRefusedError, TimeoutError, socket.timeout, ConnectionError, EOFError)):
        return MailError("unreachable", f"无法连接收信服务器 {where}（{type(exc).__name__}）："
                                        "请检查网络连接和服务器地址、端口，稍后再试；没有收取任何邮件。")
    if isinstance(exc, imaplib.IMAP4.abort):
        return MailError("unreachable", f"收信服务器 {where} 中断了连接（{exc}）：请核对端口与加密方式后重试；"
                                        "没有收取任何邮件。")
    if isinstance(exc, imaplib.IMAP4.error):
        return MailError("rejected", f"收信服务器 {where} 返回错误（{exc}）：请稍后重试；没有收取任何邮件。")
    if isinstance(exc, OSError):
        return MailError("unreachable", f"连接收信服务器 {where} 时出现网络错误（{exc.strerror or exc}）：请检查网络连接。")
    return MailError("unknown", f"收取邮件失败（{type(exc).__name__}）：{exc}")


def _connect(settings: ImapSettings, password: str | None, cafile: str | None) -> imaplib.IMAP4:
    if not settings.host:
        raise MailError("config", "尚未填写收信服务器地址：请填写服务器（例如 imap.qq.com:993），或在设置中填写。")
    if not settings.user:
        raise MailError("config", "尚未填写收信账号：请用 --user 指定邮箱账号。")
    if settings.security == "plain" and not is_loopback(settings.host):
        raise MailError("config", "未加密的连接不能发送邮箱密码：请选择 SSL（993 端口）或 STARTTLS（143 端口）。")
    if not (password or "").isascii() or not settings.user.isascii():
        raise MailError("auth", "账号或密码中含有中文或全角字符，邮箱服务器无法接受：授权码只含英文字母和数字，"
                                "请检查输入法状态后重新输入。")
    context = ssl.create_default_context(cafile=cafile)
    if settings.security == "ssl":
        imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=context,
                                                timeout=settings.timeout)
    else:
        imap = imaplib.IMAP4(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.security == "starttls":
            try:
                imap.starttls(ssl_context=context)
            except imaplib.IMAP4.error as exc:
                if isinstance(exc, imaplib.IMAP4.abort):
                    raise
                raise MailError("tls", f"收信服务器 {settings.where} 不支持 STARTTLS（{exc}）：请改用 SSL 或核对端口；"
                                       "没有收取任何邮件。") from None
        try:
            imap.login(settings.user, password or "")
        except imaplib.IMAP4.error as exc:
            if isinstance(exc, imaplib.IMAP4.abort):
                raise
            raise MailError("auth", f"收信服务器拒绝登录（{settings.where}，账号 {settings.user}）：账号或密码不正确。"
                                    "QQ、163 等邮箱须填写开启 IMAP 服务后生成的授权码，而不是登录密码。") from None
        _identify(imap)
    except BaseException:
        _close(imap)
        raise
    return imap


def _identify(imap: imaplib.IMAP4) -> None:
    """RFC 2971 ID where offered: 163/126 mail refuse SELECT ("Unsafe Login") from a client that does not say who
    it is. Best effort: a server that answers NO is used all the same."""
    try:
        typ, data = imap.capability()
        caps = b" ".join(d for d in data if isinstance(d, bytes)).upper().split()
        if b"ID" in caps:
            imap.xatom("ID", '("name" "minsheng" "vendor" "minsheng-desktop")')
    except imaplib.IMAP4.error as exc:
        if isinstance(exc, imaplib.IMAP4.abort):
            raise


def _close(imap: imaplib.IMAP4) -> None:
    try:
        if imap.state == "SELECTED":
            imap.close()
    except (imaplib.IMAP4.error, OSError):
        pass
    try:
        imap.logout()
    except (imaplib.IMAP4.error, OSError):
        pass


@contextmanager
def _session(settings: ImapSettings, password: str | None, cafile: str | None) -> Iterator[imaplib.IMAP4]:
    """A logged-in connection, closed at the end; every failure inside becomes one MailError (map_error)."""
    imap: imaplib.IMAP4 | None = None
    try:
        imap = _connect(settings, password, cafile)
        yield imap
    except MailError:
        raise
    except BaseException as exc:  # noqa: BLE001 - every failure becomes one Chinese sentence
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        raise map_error(exc, settings) from exc
    finally:
        if imap is not None:
            _close(imap)


def _select(imap: imaplib.IMAP4, settings: ImapSettings, folder: str, readonly: bool) -> None:
    typ, data = imap.select(_utf7(folder), readonly=readonly)
    if typ != "OK":
        detail = (data[0] or b"").decode("utf-8", "replace") if data else ""
        raise MailError("folder", f"邮箱 {settings.user} 中没有文件夹“{folder}”（{detail}）：请核对文件夹名称，"
                                  "收件箱为 INBOX。")


def _ok(typ: str, data: list, what: str) -> list:
    if typ != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise imaplib.IMAP4.error(f"{what}: {detail}")
    return data


_ITEM = re.compile(rb"UID (\d+)")
_FLAGS = re.compile(rb"FLAGS \(([^)]*)\)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_INTERNAL = re.compile(rb'INTERNALDATE "([^"]+)"')


def _headers_of(data: list) -> list[tuple[bytes, bytes]]:
    """(the response line, the literal) for each message of a FETCH answer."""
    return [(d[0], d[1]) for d in data if isinstance(d, tuple) and len(d) == 2]


def _since(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"01-{_MONTHS[mon - 1]}-{year}"


def fetch_month(settings: ImapSettings, password: str | None, month: str, *, skip_ids: set[str] | frozenset[str] = frozenset(),
                cafile: str | None = None, progress: Progress | None = None,
                cancel: CancelToken | None = None) -> MailboxRead:
    """The folder's messages that arrived since the month's first day, read without changing the mailbox.

    Messages whose Message-ID is in ``skip_ids`` are not downloaded (their ids come back in ``already``)."""
    report: Progress = progress or (lambda _s, _f: None)

    def step(text: str, fraction: float) -> None:
        if cancel is not None and cancel.cancelled:
            raise MailCancelled()
        report(text, fraction)

    step("正在连接收信服务器…", 0.02)
    with _session(settings, password, cafile) as imap:
        step("正在打开文件夹…", 0.06)
        _select(imap, settings, settings.folder, readonly=True)  # EXAMINE: nothing can change
        typ, data = imap.uid("SEARCH", None, "SINCE", _since(month))
        uids = [u.decode() for u in (_ok(typ, data, "SEARCH")[0] or b"").split()]
        if not uids:
            return MailboxRead([], [], 0)
        typ, data = imap.uid("FETCH", ",".join(uids),
                             "(UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        heads: list[tuple[str, tuple[str, ...], int, dt.datetime | None, str]] = []
        for line, literal in _headers_of(_ok(typ, data, "FETCH")):
            uid = _ITEM.search(line)
            if uid is None:
                continue
            flags = tuple((_FLAGS.search(line)[1] if _FLAGS.search(line) else b"").decode().split())
            size = int(_SIZE.search(line)[1]) if _SIZE.search(line) else 0
            arrived = None
            if (m := _INTERNAL.search(line)) is not None:
                try:
                    arrived = dt.datetime.strptime(m[1].decode(), "%d-%b-%Y %H:%M:%S %z")
                except ValueError:
                    arrived = None
            mid = decoded(BytesParser(policy=policy.default).parsebytes(literal).get("Message-ID"))
            heads.append((uid[1].decode(), flags, size, arrived, mid))
        messages, already = [], []
        for k, (uid, flags, size, arrived, mid) in enumerate(heads):
            if mid and mid in skip_ids:
                already.append(mid)
                continue
            step(f"正在读取邮件 {k + 1}/{len(heads)}…", 0.1 + 0.85 * k / len(heads))
            if size > MAX_MESSAGE_BYTES:
                messages.append(FetchedMessage(uid, mid or f"<uid-{uid}@minsheng>", "", "", "", arrived, (), flags,
                                               size, too_large=True))
                continue
            typ, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            parts = _headers_of(_ok(typ, data, "FETCH"))
            if not parts:
                continue  # deleted by another client meanwhile
            messages.append(parse_message_bytes(parts[0][1], uid, flags, arrived))
        report("邮件已读取。", 1.0)
        return MailboxRead(messages, already, len(heads))


def mark_messages(settings: ImapSettings, password: str | None, uids: list[str], *, mark_read: bool = False,
                  move_to: str | None = None, cafile: str | None = None) -> None:
    """Only when the clerk asked: mark the messages taken as read (\\Seen) and/or move them to ``move_to``."""
    if not uids or not (mark_read or move_to):
        return
    with _session(settings, password, cafile) as imap:
        if move_to:
            typ, data = imap.select(_utf7(move_to), readonly=True)  # the target must exist: never create one
            if typ != "OK":
                raise MailError("folder", f"邮箱 {settings.user} 中没有文件夹“{move_to}”：请先在邮箱中建好该文件夹，"
                                          "或核对名称；邮件没有移动。")
        _select(imap, settings, settings.folder, readonly=False)
        uidset = ",".join(uids)
        if mark_read:
            _ok(*imap.uid("STORE", uidset, "+FLAGS", "(\\Seen)"), "STORE")
        if move_to:
            typ, data = imap.capability()
            caps = set(b" ".join(d for d in data if isinstance(d, bytes)).decode("ascii", "replace").upper().split())
            if "MOVE" in caps:
                _ok(*imap.uid("MOVE", uidset, _utf7(move_to)), "MOVE")
            else:
                _ok(*imap.uid("COPY", uidset, _utf7(move_to)), "COPY")
                _ok(*imap.uid("STORE", uidset, "+FLAGS", "(\\Deleted)"), "STORE")
                # UID EXPUNGE (UIDPLUS) removes only these; a server without it expunges the folder's deleted ones
                _ok(*(imap.uid("EXPUNGE", uidset) if "UIDPLUS" in caps else imap.expunge()), "EXPUNGE")
