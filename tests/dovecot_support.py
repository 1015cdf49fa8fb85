"""A real Dovecot IMAP server for the tests: started by the test on free loopback ports with a throw-away
configuration (its own base_dir, a passwd-file user database with plain passwords, maildir in a temporary folder,
a self-signed certificate from tests/test_mail_support.py's make_certs), stopped and removed on teardown.

One server serves the three ways a client connects: the plain port (no TLS; STARTTLS offered) and the SSL port.
Run as root, Dovecot's login processes must not be root: they run as the package's own users (dovenull, dovecot)
and the mail as nobody, in a world-readable temporary folder; run as anyone else, everything runs as that user.
Tests skip with a clear reason when the dovecot binary is missing (Debian package dovecot-imapd)."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.test_mail_support import free_port, make_certs

START_TIMEOUT = 20.0


def dovecot_binary() -> str | None:
    for candidate in (shutil.which("dovecot"), "/usr/sbin/dovecot"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class Dovecot:
    root: Path
    plain_port: int
    ssl_port: int
    ca: Path
    users: dict[str, str]
    process: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.root / "dovecot.log"

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return "(no log)"

    def client(self, user: str) -> imaplib.IMAP4:
        """A plain client logged in (to put messages in the mailbox the way a mail client would, and look)."""
        imap = imaplib.IMAP4("127.0.0.1", self.plain_port, timeout=10)
        imap.login(user, self.users[user])
        return imap


def _accounts() -> tuple[str, str, str, str]:
    """(login user, internal user, mail user, mail group) for the configuration."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid()).pw_name
        return me, me, me, grp.getgrgid(os.getegid()).gr_name
    try:
        pwd.getpwnam("dovenull"), pwd.getpwnam("dovecot"), pwd.getpwnam("nobody")
        group = grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
    except KeyError:
        pytest.skip("dovecot runs as root here but its users (dovenull, dovecot, nobody) are missing")
    return "dovenull", "dovecot", "nobody", group


def _config(d: Dovecot, cert: Path, key: Path) -> str:
    login, internal, mail_user, mail_group = _accounts()
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {d.root}/run
state_dir = {d.root}/state
log_path = {d.log}
info_log_path = {d.log}
default_login_user = {login}
default_internal_user = {internal}
default_internal_group = {mail_group if os.geteuid() != 0 else "dovecot"}
first_valid_uid = 1
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d.root}/mail/%u
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d.root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={d.root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {d.plain_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {d.ssl_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""


def _wait_for_greeting(d: Dovecot) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last = ""
    while time.monotonic() < deadline:
        if d.process is not None and d.process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", d.plain_port), timeout=2) as s:
                s.settimeout(2)
                if s.recv(100).startswith(b"* OK"):
                    socket.create_connection(("127.0.0.1", d.ssl_port), timeout=2).close()
                    return
        except OSError as exc:
            last = str(exc)
        time.sleep(0.1)
    raise RuntimeError(f"dovecot did not start ({last}); its log:\n{d.log_text()}")


def start_dovecot(users: dict[str, str]) -> Dovecot:
    binary = dovecot_binary()
    if binary is None:
        pytest.skip("dovecot is not installed (Debian: apt-get install dovecot-imapd); the IMAP tests need a real server")
    root = Path(tempfile.mkdtemp(prefix="minsheng-dovecot-"))
    root.chmod(0o755)  # the login and mail processes (other users when run as root) must reach it
    d = Dovecot(root, free_port(), free_port(), root / "ca.pem", dict(users))
    certs = root / "certs"
    certs.mkdir()
    ca, cert, key = make_certs(certs)
    shutil.copy(ca, d.ca)
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    (root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}::::::\n" for u, p in users.items()), encoding="utf-8")
    _, _, mail_user, mail_group = _accounts()
    if os.geteuid() == 0:
        shutil.chown(root / "mail", mail_user, mail_group)
    conf = root / "dovecot.conf"
    conf.write_text(_config(d, cert, key), encoding="utf-8")
    d.process = subprocess.Popen([binary, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    try:
        _wait_for_greeting(d)
    except BaseException:
        stop_dovecot(d)
        raise
    return d


def stop_dovecot(d: Dovecot) -> None:
    p = d.process
    if p is not None and p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)  # the master and the processes it started (its own session)
            p.wait(timeout=10)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(timeout=5)
    shutil.rmtree(d.root, ignore_errors=True)
