"""The mail passwords: from $MINSHENG_SMTP_PASSWORD / $MINSHENG_IMAP_PASSWORD or the system keyring, never stored
anywhere else or logged. The SMTP (sending) and IMAP (receiving) accounts are kept apart: ``service`` and
``env_var`` pick which (IMAP_SERVICE / IMAP_ENV_VAR for the mailbox the returns are gathered from)."""

from __future__ import annotations

import logging
import os

__all__ = ["ENV_VAR", "IMAP_ENV_VAR", "IMAP_SERVICE", "SERVICE", "delete_password", "get_password",
           "keyring_available", "store_password"]

SERVICE = "minsheng-smtp"
ENV_VAR = "MINSHENG_SMTP_PASSWORD"
IMAP_SERVICE = "minsheng-imap"
IMAP_ENV_VAR = "MINSHENG_IMAP_PASSWORD"
log = logging.getLogger("minsheng.mail")


def _keyring():  # type: ignore[no-untyped-def]
    import keyring  # deferred: keyring finds its back ends on import; only a password needs it

    return keyring


def keyring_available() -> bool:
    """True when a real back end can keep the password; otherwise the window asks for it each time."""
    try:
        kr = _keyring()
        backend = kr.get_keyring()
        priority = getattr(backend, "priority", 0)
        return bool(priority and priority > 0) and type(backend).__module__ != "keyring.backends.fail"
    except Exception as exc:  # noqa: BLE001 - any keyring trouble means "not available"
        log.info("keyring unavailable: %s", type(exc).__name__)
        return False


def get_password(user: str | None, *, service: str = SERVICE, env_var: str = ENV_VAR) -> str | None:
    """The environment variable wins; else the keyring entry for ``user``; None means: ask the clerk."""
    env = os.environ.get(env_var)
    if env:
        return env
    if not user:
        return None
    try:
        value = _keyring().get_password(service, user)
    except Exception as exc:  # noqa: BLE001 - no back end, locked, D-Bus gone: ask instead
        log.info("keyring read failed: %s", type(exc).__name__)
        return None
    return value or None


def store_password(user: str, password: str, *, service: str = SERVICE) -> bool:
    """Keep the password in the keyring; False when there is no keyring (then it is asked for each time)."""
    try:
        _keyring().set_password(service, user, password)
    except Exception as exc:  # noqa: BLE001
        log.info("keyring write failed: %s", type(exc).__name__)
        return False
    return True


def delete_password(user: str, *, service: str = SERVICE) -> None:
    try:
        _keyring().delete_password(service, user)
    except Exception as exc:  # noqa: BLE001 - nothing stored, or no keyring: nothing to forget
        log.info("keyring delete skipped: %s", type(exc).__name__)
