"""The SMTP options `mail` and `remind` share (--smtp, --ssl/--starttls, --user) and the password they need."""

from __future__ import annotations

import argparse
import getpass
import re
import sys

from ..services.database import Database
from ..services.mailing import ENV_VAR, SmtpSettings, get_password
from ..services.outbox import load_smtp_settings
from .common import UsageError


def smtp_settings(args: argparse.Namespace, db: Database) -> SmtpSettings:
    """The stored SMTP settings with --smtp HOST:PORT, --ssl/--starttls and --user applied."""
    stored = load_smtp_settings(db)
    settings = stored or SmtpSettings(host="")
    if args.smtp:
        m = re.fullmatch(r"\s*([^:\s]+):(\d{1,5})\s*", args.smtp)
        if not m:
            raise UsageError(f"--smtp “{args.smtp}”格式不对：应为 服务器:端口，例如 smtp.qq.com:465。")
        port = int(m.group(2))
        security = args.security or ("ssl" if port == 465 else "starttls")
        settings = settings.with_(host=m.group(1), port=port, security=security)
    elif args.security:
        settings = settings.with_(security=args.security)
    if args.user:
        settings = settings.with_(user=args.user)
    if not settings.host:
        raise UsageError("没有发信服务器：请用 --smtp 服务器:端口 指定，或在窗口的“邮件设置”中填写。")
    return settings


def smtp_password(user: str | None) -> str | None:
    """$MINSHENG_SMTP_PASSWORD, the keyring, or a prompt on a terminal; a usage error when there is none."""
    if not user:
        return None
    pw = get_password(user)
    if pw is None:
        if sys.stdin is not None and sys.stdin.isatty():
            pw = getpass.getpass(f"请输入邮箱 {user} 的密码（授权码）：")
        if not pw:
            raise UsageError(f"没有找到邮箱 {user} 的密码：请设置环境变量 {ENV_VAR}，或在窗口的“邮件设置”中保存到系统钥匙串。")
    return pw
