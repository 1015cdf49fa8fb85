"""Sending over SMTP (SSL 465 / STARTTLS 587, certificates checked) with progress, cancel and Chinese errors."""

from __future__ import annotations

import ipaddress
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from .compose import MailError

__all__ = ["PRESETS", "CancelToken", "MailCancelled", "MailError", "SmtpPreset", "SmtpSettings", "send_bytes"]

Security = Literal["ssl", "starttls", "plain"]
Progress = Callable[[str, float], None]
MB = 1024 * 1024


@dataclass(frozen=True)
class SmtpPreset:
    """A mail service the clerk picks from a list; host and port filled in for them."""

    label: str
    host: str
    port: int
    security: Security
    max_bytes: int | None  # the service's message size limit (base64 makes files about 4/3 larger)
    hint: str = ""


PRESETS: dict[str, SmtpPreset] = {
    "qq": SmtpPreset("QQ 邮箱", "smtp.qq.com", 465, "ssl", 50 * MB,
                     "密码处请填写 QQ 邮箱“设置—账户”中开启 SMTP 后生成的授权码，而不是 QQ 密码。"),
    "163": SmtpPreset("163 邮箱", "smtp.163.com", 465, "ssl", 50 * MB,
                      "密码处请填写 163 邮箱“设置—POP3/SMTP/IMAP”中开启服务后生成的授权码。"),
    "gov": SmtpPreset("政务邮箱", "", 465, "ssl", 20 * MB,
                      "请向本单位信息中心询问政务邮箱的发信服务器地址和端口。"),
    "custom": SmtpPreset("其他邮箱", "", 465, "ssl", None, ""),
}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. The password is never part of it."""

    host: str
    port: int = 465
    security: Security = "ssl"
    user: str | None = None
    timeout: float = 30.0
    max_bytes: int | None = None

    @classmethod
    def from_preset(cls, key: str, user: str | None = None, host: str | None = None) -> "SmtpSettings":
        p = PRESETS[key]
        return cls(host=host or p.host, port=p.port, security=p.security, user=user, max_bytes=p.max_bytes)

    def with_(self, **changes: object) -> "SmtpSettings":
        return replace(self, **changes)  # type: ignore[arg-type]


class MailCancelled(MailError):
    def __init__(self) -> None:
        super().__init__("cancelled", "已取消发送，邮件没有发出。")


class CancelToken:
    """Set from the UI thread, checked by the sending thread between steps and between data chunks."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _size_text(n: int) -> str:
    return f"{n / MB:.1f} MB"


def check_size(settings: SmtpSettings, size: int) -> None:
    if settings.max_bytes is not None and size > settings.max_bytes:
        raise MailError("too_large", f"邮件大小 {_size_text(size)}，超过该邮箱服务的上限 {_size_text(settings.max_bytes)}："
                                     "请减少附件或改用其他方式报送。")


def map_error(exc: BaseException, settings: SmtpSettings) -> MailError:
    """One clear Chinese sentence for each way sending fails."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, MailError):
        return exc
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return MailError("auth", f"邮箱服务器拒绝登录（{where}）：账号或密码不正确。QQ、163 等邮箱须填写授权码而不是登录密码，"
                                 "请在设置中重新输入。")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "、".join(exc.recipients) or "收件人"
        detail = "; ".join(f"{c} {m.decode('utf-8', 'replace') if isinstance(m, bytes) else m}"
                           for c, m in exc.recipients.values())
        return MailError("recipient", f"服务器拒绝了收件人地址 {refused}（{detail}）：请核对收件人邮箱后重新发送。")
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        if exc.smtp_code == 552 or re.search(r"size|too (large|big)|exceed", text, re.I):
            return MailError("too_large", f"邮件太大，服务器拒收（{exc.smtp_code} {text}）：请减少附件后重新发送。")
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return MailError("sender", f"服务器拒绝了发件人地址 {exc.sender}（{exc.smtp_code} {text}）："
                                       "发件人须与登录账号一致，请检查设置。")
        return MailError("rejected", f"服务器拒收了这封邮件（{exc.smtp_code} {text}）：请稍后重试或联系邮箱管理员。")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return MailError("tls", f"服务器 {where} 不支持所选的连接方式（{exc}）：请在设置中改用 SSL 或 STARTTLS，或核对端口。")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailError("tls", f"服务器 {where} 的安全证书无法验证（{exc.verify_message or exc}）："
                                "可能是服务器地址填错或网络被拦截，请核对服务器地址；邮件没有发出。")
    if isinstance(exc, ssl.SSLError):
        return MailError("tls", f"与服务器 {where} 建立加密连接失败（{exc.reason or exc}）：请核对端口与加密方式"
                                "（465 端口用 SSL，587 端口用 STARTTLS）。")
    if isinstance(exc, socket.gaierror):
        return MailError("unreachable", f"找不到邮箱服务器“{settings.host}”：请检查服务器地址和网络连接。")
    if isinstance(exc, (ConnectionRefusedError, TimeoutError, socket.timeout, smtplib.SMTPConnectError,
                        smtplib.SMTPServerDisconnected, ConnectionError)):
        return MailError("unreachable", f"无法连接邮箱服务器 {where}（{type(exc).__name__}）："
                                        "请检查网络连接和服务器地址、端口，稍后再发送。")
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return MailError("rejected", f"邮箱服务器返回错误（{exc.smtp_code} {text}）：请稍后重试。")
    if isinstance(exc, OSError):
        return MailError("unreachable", f"连接邮箱服务器 {where} 时出现网络错误（{exc.strerror or exc}）：请检查网络连接。")
    return MailError("unknown", f"发送失败（{type(exc).__name__}）：{exc}")


@dataclass(frozen=True)
class SendResult:
    """What the server said when it accepted the message."""

    code: int
    reply: str
    size: int


def _open(settings: SmtpSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def _quote_periods(data: bytes) -> bytes:
    return re.sub(rb"(?m)^\.", b"..", data)


def send_bytes(settings: SmtpSettings, password: str | None, data: bytes, from_addr: str, to_addrs: list[str], *,
               cafile: str | None = None, progress: Progress | None = None, cancel: CancelToken | None = None,
               chunk_size: int = 64 * 1024) -> SendResult:
    """Send ``data`` (CRLF message bytes) and return only when the server accepted it.

    Raises MailError (with a Chinese message) otherwise; MailCancelled if ``cancel`` was set. Cancelling during
    the transfer drops the connection before the final dot, so the server discards the message."""
    report: Progress = progress or (lambda _s, _f: None)

    def step(text: str, fraction: float) -> None:
        if cancel is not None and cancel.cancelled:
            raise MailCancelled()
        report(text, fraction)

    if not settings.host:
        raise MailError("config", "尚未填写发信服务器地址：请在“邮件设置”中填写。")
    check_size(settings, len(data))
    if settings.user and settings.security == "plain" and not is_loopback(settings.host):
        raise MailError("config", "未加密的连接不能发送邮箱密码：请在设置中选择 SSL 或 STARTTLS。")
    context = ssl.create_default_context(cafile=cafile)
    smtp: smtplib.SMTP | None = None
    try:
        step("正在连接邮箱服务器…", 0.02)
        smtp = _open(settings, context)
        step("正在问候服务器…", 0.06)
        smtp.ehlo()
        if settings.security == "starttls":
            step("正在建立加密连接…", 0.08)
            smtp.starttls(context=context)
            smtp.ehlo()
        if "size" in smtp.esmtp_features:
            limit = int(smtp.esmtp_features["size"] or 0)
            if limit and len(data) > limit:
                raise MailError("too_large", f"邮件大小 {_size_text(len(data))}，超过服务器允许的 {_size_text(limit)}："
                                             "请减少附件后重新发送。")
        if settings.user:
            step("正在登录…", 0.1)
            if not (password or "").isascii() or not settings.user.isascii():
                raise MailError("auth", "账号或密码中含有中文或全角字符，邮箱服务器无法接受：授权码只含英文字母和数字，"
                                        "请检查输入法状态后重新输入。")
            smtp.login(settings.user, password or "")
        step("正在提交收件人…", 0.12)
        options = [f"SIZE={len(data)}"] if "size" in smtp.esmtp_features else []
        code, resp = smtp.mail(from_addr, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, resp, from_addr)
        refused: dict[str, tuple[int, bytes]] = {}
        for rcpt in to_addrs:
            code, resp = smtp.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = (code, resp)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
        step("正在发送邮件内容…", 0.15)
        code, resp = smtp.docmd("DATA")
        if code != 354:
            raise smtplib.SMTPDataError(code, resp)
        payload = _quote_periods(data)
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        assert smtp.sock is not None
        for start in range(0, len(payload), chunk_size):
            step("正在发送邮件内容…", 0.15 + 0.8 * start / len(payload))
            smtp.sock.sendall(payload[start:start + chunk_size])
        step("等待服务器确认…", 0.96)
        smtp.sock.sendall(b".\r\n")
        code, resp = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, resp)
        report("邮件已发出，服务器已接收。", 1.0)
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the message is already accepted
        smtp = None
        return SendResult(code, resp.decode("utf-8", "replace"), len(data))
    except MailError:
        raise
    except BaseException as exc:  # noqa: BLE001 - every failure becomes one Chinese sentence
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise map_error(exc, settings) from exc
    finally:
        if smtp is not None:
            try:
                smtp.close()  # never QUIT mid-DATA: closing drops the unfinished message
            except OSError:
                pass
