"""Shared helpers for the mail tests: a small database, a self-signed CA, and real aiosmtpd servers on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from minsheng_desktop.domain.model import Contact, ParsedList, ParsedProject, Report, Section
from minsheng_desktop.storage import repo
from minsheng_desktop.storage.db import Database
from minsheng_desktop.storage.reports import save_report

USER, PASSWORD = "clerk@example.cn", "abcdEFGH1234ijkl"
CONTACT = "fgw@example.gov.cn"
UNIT = "区教委"
MONTH = "2023-05"
ATTACHMENTS = [
    ("区教委_2023年5月民生实事推进情况表.xlsx", bytes(range(256)) * 40 + b"\r\n.\r\n..end"),
    ("区教委_2023年5月民生实事推进情况表.docx", b"PK\x03\x04" + "进度".encode("utf-8") * 500),
    ("区教委_关于报送2023年5月民生实事推进情况的函（很长的文件名用来测试折行与续行参数是否正确）.docx", b"\x00\xff" * 3000),
]


def make_db(path: Path) -> tuple[Database, int, list[str]]:
    """One 2023 list of 武隆区 with three projects, two led by 区教委; May reports for those two."""
    db = Database(path)
    parsed = ParsedList(
        year=2023, region="武隆区", title="2023年武隆区民生实事",
        contact=Contact("区发展改革委", "王五", "023-77777777", CONTACT),
        sections=(Section("一、区级民生实事", "区级民生实事"),),
        projects=(
            ParsedProject("区级民生实事", "1", "新建公办幼儿园", lead_units=(UNIT,)),
            ParsedProject("区级民生实事", "2", "改造薄弱学校", lead_units=(UNIT,)),
            ParsedProject("区级民生实事", "3", "改造老旧小区", lead_units=("区住房城乡建委",)),
        ),
    )
    list_id = repo.save_list(db, parsed, None, {})
    projects = repo.load_projects(db, list_id)
    ours = [p.id for p in projects if UNIT in p.lead_units]
    save_report(db, Report(ours[0], MONTH, status="done", percent=100, progress="已竣工"))
    save_report(db, Report(ours[1], MONTH, status="on_track", percent=40, progress="主体施工"))
    other = [p.id for p in projects if UNIT not in p.lead_units][0]
    save_report(db, Report(other, MONTH, status="lagging", percent=10))
    for key, value in (("reporter_unit", UNIT), ("reporter_name", "李四"), ("reporter_phone", "023-77881234"),
                       ("smtp_user", USER)):
        repo.set_setting(db, key, value)
    return db, list_id, ours


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------ certificates


def make_certs(folder: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for 127.0.0.1 / localhost signed by it: (ca, cert, key)."""
    ca_pem, cert_pem, key_pem = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    try:
        _certs_with_cryptography(ca_pem, cert_pem, key_pem)
    except ImportError:
        _certs_with_openssl(folder, ca_pem, cert_pem, key_pem)
    return ca_pem, cert_pem, key_pem


def _certs_with_cryptography(ca_pem: Path, cert_pem: Path, key_pem: Path) -> None:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "minsheng test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))


def _certs_with_openssl(folder: Path, ca_pem: Path, cert_pem: Path, key_pem: Path) -> None:
    ca_key = folder / "ca.key"
    ext = folder / "ext.cnf"
    ext.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
                   "extendedKeyUsage=serverAuth\n")
    run = lambda *a: subprocess.run(a, check=True, capture_output=True, timeout=60)  # noqa: E731
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca_pem),
        "-days", "2", "-subj", "/CN=minsheng test CA")
    csr = folder / "server.csr"
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key_pem), "-out", str(csr),
        "-subj", "/CN=127.0.0.1")
    run("openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca_pem), "-CAkey", str(ca_key), "-CAcreateserial",
        "-out", str(cert_pem), "-days", "2", "-extfile", str(ext))


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return make_certs(tmp_path_factory.mktemp("certs"))


# ------------------------------------------------------------------ servers


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Handler:
    """Keeps every accepted message; refuses recipients at example.invalid."""

    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address.endswith("@example.invalid"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
          and auth_data.password == PASSWORD.encode("utf-8"))
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


class Server:
    """An aiosmtpd server on a free port of 127.0.0.1 in mode 'plain', 'starttls' or 'ssl'."""

    def __init__(self, mode: str, certs: tuple[Path, Path, Path] | None = None, port: int | None = None,
                 data_size_limit: int | None = None) -> None:
        from aiosmtpd.controller import Controller

        self.mode = mode
        self.handler = Handler()
        self.port = port or free_port()
        # With implicit TLS (mode 'ssl') aiosmtpd does not know the socket is encrypted, so it may not require it.
        kwargs: dict[str, object] = {"authenticator": authenticator, "auth_require_tls": mode == "starttls",
                                     "data_size_limit": data_size_limit}
        server_ctx = None
        if mode != "plain":
            assert certs is not None
            server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_ctx.load_cert_chain(str(certs[1]), str(certs[2]))
        if mode == "starttls":
            kwargs.update(tls_context=server_ctx, require_starttls=True)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10,
                                     ssl_context=server_ctx if mode == "ssl" else None, **kwargs)

    def start(self) -> "Server":
        self.controller.start()
        return self

    def stop(self) -> None:
        try:
            self.controller.stop()
        except AssertionError:
            pass

    @property
    def received(self) -> list[Received]:
        return self.handler.received
