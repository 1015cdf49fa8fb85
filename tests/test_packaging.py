"""The packaging files agree with each other and with pyproject.toml; optionally build and run the bundle.

The bundle build takes about half a minute plus the run, so it only runs with MINSHENG_BUILD_BUNDLE=1
(the release job: ``MINSHENG_BUILD_BUNDLE=1 .venv/bin/python -m pytest tests/test_packaging.py``).
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
APP_ID = "io.github.minsheng_desktop.minsheng"
HOMEPAGE = "https://github.com/minsheng-desktop/minsheng-desktop"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
ISS = PACKAGING / "windows" / "minsheng.iss"
SPEC = PACKAGING / "minsheng.spec"
FIXTURE = ROOT / "tests" / "fixtures" / "000_wulong_2023_notice.docx"


def pyproject_version() -> str:
    m = re.search(r'^version\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert m
    return m.group(1)


def test_package_reports_pyproject_version() -> None:
    from minsheng_desktop.version import version

    assert version() == pyproject_version()


# ---------------------------------------------------------------- icons


def test_app_icon_sizes_present() -> None:
    assert (ICONS / "minsheng.svg").is_file()
    for size in (16, 32, 48, 64, 128, 256, 512):
        data = (ICONS / f"minsheng-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (size, size)


def test_ico_holds_several_sizes() -> None:
    data = (ICONS / "minsheng.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes


def test_ui_icons_documented_and_valid_svg() -> None:
    readme = (ICONS / "README.md").read_text(encoding="utf-8")
    names = ["import", "export", "mail", "save", "search", "settings", "folder", "section", "project",
             "subproject", "status-green", "status-amber", "status-red", "status-grey"]
    for name in names:
        svg = ICONS / f"{name}.svg"
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg"), svg
        assert f"{name}.svg" in readme, f"{name}.svg not described in resources/icons/README.md"


# ---------------------------------------------------------------- Linux files


def read_desktop() -> configparser.ConfigParser:
    cp = configparser.ConfigParser(interpolation=None, strict=True)
    cp.optionxform = str  # type: ignore[assignment,method-assign] - keys are case-sensitive
    cp.read(DESKTOP, encoding="utf-8")
    return cp


def test_desktop_entry_keys() -> None:
    entry = read_desktop()["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name[zh_CN]"] == "民生实事台账"
    assert entry["Exec"].split()[0] == "minsheng"  # /usr/bin/minsheng from the .deb
    assert entry["Icon"] == "minsheng"  # hicolor name installed by build_linux.sh
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert "MimeType" not in entry  # .docx/.xlsx are not taken over


def test_metainfo_matches_desktop_file() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("icon") == read_desktop()["Desktop Entry"]["Icon"]
    assert root.find("releases/release").get("version") == "@VERSION@"  # filled from pyproject at build time


def test_one_identity_everywhere() -> None:
    """The ID and the home page are written in pyproject, the metainfo, the build script and the installer:
    they agree, and nothing is left pointing at a placeholder."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    script = (PACKAGING / "build_linux.sh").read_text(encoding="utf-8")
    iss = ISS.read_text(encoding="utf-8-sig")
    root = ET.parse(METAINFO).getroot()
    assert f'Homepage = "{HOMEPAGE}"' in pyproject
    assert f"APPID={APP_ID}" in script and f"HOMEPAGE={HOMEPAGE}" in script
    assert f'#define MyAppURL "{HOMEPAGE}"' in iss
    assert root.findtext("url[@type='homepage']") == HOMEPAGE
    assert root.findtext("url[@type='bugtracker']") == HOMEPAGE + "/issues"
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.find("screenshots/screenshot/image").text.endswith("/docs/screenshot.png")
    assert (ROOT / "docs" / "screenshot.png").is_file()
    for text in (pyproject, script, iss, METAINFO.read_text(encoding="utf-8")):
        assert "localhost" not in text and "cn.gov." not in text
    entry = read_desktop()["Desktop Entry"]
    assert "民生实事" in entry["Keywords[zh_CN]"] and entry["Keywords[zh_CN]"].endswith(";")


def test_third_party_notices_name_every_runtime_dependency() -> None:
    """The checked-in notices cover the closure of pyproject's dependencies as installed here (the bundle's
    own copy is made by minsheng.spec at build time); LICENSE is there too."""
    out = subprocess.run([sys.executable, str(PACKAGING / "third_party_notices.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    text = (ROOT / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    for name in ("PySide6_Essentials", "python-docx", "openpyxl", "lxml", "rapidocr", "sqlite-utils"):
        assert f"\n{name} " in text, name
    assert "LGPL-3.0" in text and "PaddleOCR" in text
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    spec = SPEC.read_text(encoding="utf-8")
    assert "write_notices(" in spec and '(str(ROOT / "LICENSE"), ".")' in spec


def test_third_party_notices_check_fails_on_a_missing_entry(tmp_path: Path) -> None:
    short = tmp_path / "notices.txt"
    short.write_text("\n".join(line for line in (ROOT / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
                               .splitlines() if not line.startswith("openpyxl")), encoding="utf-8")
    out = subprocess.run([sys.executable, str(PACKAGING / "third_party_notices.py"), "--check", "--out", str(short)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1 and "openpyxl" in out.stderr


def test_build_script_installs_what_the_desktop_file_names() -> None:
    script = (PACKAGING / "build_linux.sh").read_text(encoding="utf-8")
    assert "/opt/minsheng" in script and "usr/bin/minsheng" in script
    assert "usr/share/icons/hicolor" in script and "usr/share/metainfo" in script
    assert "dpkg-deb" in script and "@VERSION@" in script


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-validate not installed")
def test_desktop_file_validate() -> None:
    out = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli not installed")
def test_appstream_validate(tmp_path: Path) -> None:
    filled = tmp_path / METAINFO.name
    filled.write_text(METAINFO.read_text(encoding="utf-8").replace("@VERSION@", pyproject_version())
                      .replace("@DATE@", "2024-01-01"), encoding="utf-8")
    out = subprocess.run(["appstreamcli", "validate", "--no-net", "--pedantic", str(filled)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# ---------------------------------------------------------------- spec and Windows installer


def test_spec_names_and_resources() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    assert 'name="minsheng"' in spec
    assert '"resources"' in spec and "minsheng.ico" in spec
    assert "pyproject.toml" in spec and "qtbase_zh_CN.qm" in spec
    assert (PACKAGING / "minsheng_main.py").is_file()


def test_inno_setup_script() -> None:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup needs the UTF-8 BOM for the Chinese strings"
    iss = raw.decode("utf-8-sig")
    code = "\n".join(line for line in iss.splitlines() if not line.lstrip().startswith(";"))
    assert re.search(r"^PrivilegesRequired=lowest$", code, re.M)
    assert "ChineseSimplified.isl" in code
    assert re.search(r"AppVersion=\{#MyAppVersion\}", code) and '#include "version.iss"' in code
    assert "{autoprograms}" in code and "{autodesktop}" in code and "Tasks: desktopicon" in code
    assert "SetupIconFile=..\\..\\resources\\icons\\minsheng.ico" in code
    assert "[Registry]" not in code and ".docx" not in code and ".xlsx" not in code  # no associations
    uninstall_delete = code.split("[UninstallDelete]", 1)[1].split("\n[", 1)[0]
    assert "localappdata" not in uninstall_delete.lower()  # the clerk's data stays
    assert (ISS.parent / "build_windows.ps1").is_file()


# ---------------------------------------------------------------- the real bundle (slow)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("MINSHENG_BUILD_BUNDLE") != "1",
                    reason="the bundle is built and run only with MINSHENG_BUILD_BUNDLE=1 "
                           "(packaging/build_and_smoke.sh; its last run is recorded in packaging/README.md)")
def test_frozen_bundle_runs(tmp_path: Path) -> None:
    """Build the bundle (or take the bundle folder MINSHENG_BUNDLE names, e.g. dist/minsheng: that is how
    packaging/build_and_smoke.sh runs this on the bundle it built) and run the frozen program: version,
    licences, import, dump, export, collect, check, and the window starting."""
    if os.environ.get("MINSHENG_BUNDLE"):
        dist = Path(os.environ["MINSHENG_BUNDLE"]).resolve().parent
    else:
        pytest.importorskip("PyInstaller")
        dist = tmp_path / "dist"
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                        "--distpath", str(dist), "--workpath", str(tmp_path / "build"), str(SPEC)],
                       check=True, cwd=ROOT)
    exe = dist / "minsheng" / ("minsheng.exe" if sys.platform == "win32" else "minsheng")
    assert exe.is_file(), f"no frozen program at {exe}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MINSHENG_DB": str(tmp_path / "unused.db")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(exe), *args], capture_output=True, text=True, encoding="utf-8",
                              env=env, timeout=120)

    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"minsheng {pyproject_version()}"
    assert (dist / "minsheng" / "_internal" / "resources" / "icons" / "minsheng.svg").is_file()
    notices = (dist / "minsheng" / "_internal" / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    assert "\nPySide6_Essentials " in notices and "\nrapidocr " in notices
    assert (dist / "minsheng" / "_internal" / "LICENSE").is_file()

    db = tmp_path / "t.db"
    out = run("--db", str(db), "import-targets", str(FIXTURE))
    assert out.returncode == 0, out.stderr
    assert "武隆区" in out.stdout
    out = run("--db", str(db), "dump")
    assert out.returncode == 0, out.stderr
    frozen = json.loads(out.stdout)
    assert frozen["target_lists"][0]["region"] == "武隆区"

    # The same dump as the source gives, apart from the generated ids.
    src_db = tmp_path / "src.db"
    from minsheng_desktop.cli import main

    assert main(["--db", str(src_db), "import-targets", str(FIXTURE)]) == 0
    src = subprocess.run([sys.executable, "-m", "minsheng_desktop", "--db", str(src_db), "dump"],
                         capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, check=True)

    def without_ids(text: str) -> str:
        return re.sub(r'"id": "[^"]*"', '"id": ""', text)

    assert without_ids(out.stdout) == without_ids(src.stdout)
    # Modules loaded only on demand (exporters, mail, collect, evidence) must be in the bundle too.
    for fmt, name in (("xlsx", "t.xlsx"), ("docx", "t.docx"), ("letter", "l.docx")):
        out = run("--db", str(db), "export", "--month", "2023-06", "--format", fmt, "--out", str(tmp_path / name))
        assert out.returncode == 0, out.stderr
    out = run("--db", str(db), "export", "--month", "2023-06", "--format", "bulletin", "--district",
              "--out", str(tmp_path / "b.docx"))
    assert out.returncode == 0, out.stderr
    out = run("--db", str(db), "collect", str(tmp_path / "t.xlsx"), "--month", "2023-06", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert run("--db", str(db), "check").returncode == 0

    # The window starts from the bundle (Qt's plug-ins and the gui modules are in it): still running after 8 s.
    gui = subprocess.Popen([str(exe), "--db", str(db), "gui"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        code = gui.wait(timeout=8)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        gui.terminate()
        _, err = gui.communicate(timeout=60)
    assert code is None, f"the frozen window exited at once with {code}: {err}"
    assert "Traceback" not in err, err
