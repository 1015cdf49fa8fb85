"""Old binary Office files: .xls/.et read with python-calamine, .doc/.wps converted through LibreOffice, and
what to say when neither is possible (no converter, a password, a broken or foreign OLE file).

tests/fixtures/legacy/ holds the real 城口 list (.xls) and notice (.doc) as the district issued them, and
000_wulong_2023_list.xls, made from 000_wulong_2023_list.xlsx with
``soffice --headless --convert-to xls`` (merged header cells, merged section rows, sub-projects)."""

from __future__ import annotations

import os
import shutil
import struct
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from minsheng_desktop.importers import ImportCancelled, ImportFailure, Progress, read_target_list
from minsheng_desktop.importers import legacy
from minsheng_desktop.importers.forms import read_source

from .conftest import FIXTURES
from .expected import assert_list_facts, assert_projects, section_dicts

LEGACY = FIXTURES / "legacy"
XLS = LEGACY / "004_chengkou_2023_list.xls"
DOC = LEGACY / "004_chengkou_2023_notice.doc"
WULONG_XLS = LEGACY / "000_wulong_2023_list.xls"

needs_soffice = pytest.mark.skipif(legacy.find_converter() is None,
                                   reason="LibreOffice (soffice) is not installed: .doc/.wps cannot be converted")
posix_only = pytest.mark.skipif(sys.platform.startswith("win"), reason="the stand-in converter is a shell script")


def _assert_matches_expected(parsed, exp: dict) -> None:
    assert_list_facts(parsed, exp)
    assert [list(r) for r in parsed.header_rows] == exp["header_rows"]
    assert section_dicts(parsed) == exp["sections"]
    assert_projects(parsed, exp)
    assert parsed.warnings == ()


def _shape(doc) -> list[list[list[tuple[str, int]]]]:
    """Each table's cell texts, with which grid positions share one Cell (a merge) numbered by first sight."""
    out = []
    for table in doc.tables:
        ids: dict[int, int] = {}
        out.append([[(c.text, ids.setdefault(id(c), len(ids))) for c in row] for row in table.rows])
    return out


def _copy(src: Path, tmp_path: Path, name: str) -> Path:
    dst = tmp_path / name
    shutil.copyfile(src, dst)
    return dst


# ---------------------------------------------------------------- .xls / .et


def test_xls_list_imports_like_its_xlsx(expected) -> None:
    doc = read_source(XLS)
    assert doc.kind == "xls" and doc.is_sheet
    _assert_matches_expected(read_target_list(XLS), expected["004_chengkou_2023_list.xlsx"])


def test_xls_with_merges_and_sub_projects_reads_as_the_xlsx_does(expected) -> None:
    from minsheng_desktop.importers.xlsx import read_xlsx

    assert _shape(read_source(WULONG_XLS)) == _shape(read_xlsx(FIXTURES / "000_wulong_2023_list.xlsx"))
    parsed = read_target_list(WULONG_XLS)
    _assert_matches_expected(parsed, expected["000_wulong_2023_list.xlsx"])
    assert any(p.parent is not None for p in parsed.projects)  # sub-projects under a merged name
    assert [vars(p) for p in parsed.projects] == \
        [vars(p) for p in read_target_list(FIXTURES / "000_wulong_2023_list.xlsx").projects]


def test_et_is_an_xls_by_another_name(tmp_path: Path) -> None:
    et = _copy(XLS, tmp_path, "城口目标任务.et")
    assert _shape(read_source(et)) == _shape(read_source(XLS))
    assert [vars(p) for p in read_target_list(et).projects] == [vars(p) for p in read_target_list(XLS).projects]


def test_a_workbook_named_doc_is_read_as_a_workbook(tmp_path: Path) -> None:
    """The OLE directory decides, not the suffix."""
    odd = _copy(XLS, tmp_path, "list.doc")
    assert read_source(odd).kind == "xls"


@pytest.mark.parametrize("value,text", [
    (2000.0, "2000"), (12.5, "12.5"), (3, "3"), (True, "TRUE"), ("", None), ("文字", "文字"),
    (__import__("datetime").datetime(2023, 6, 30), "2023-06-30"),
    (__import__("datetime").datetime(2023, 6, 30, 14, 30), "2023-06-30 14:30"),
    (__import__("datetime").date(2023, 12, 31), "2023-12-31"),
    (__import__("datetime").time(9, 5), "09:05"),
    (__import__("datetime").timedelta(hours=26, minutes=5), "26:05"),
])
def test_cell_values_as_the_xlsx_reader_writes_them(value, text) -> None:
    assert legacy._cell_text(value) == text


def _patch_stream(path: Path, name: str, edit) -> None:  # type: ignore[no-untyped-def]
    """Rewrite one OLE stream in place (same length: olefile cannot resize)."""
    import olefile

    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream(name).read())
        edit(data)
        ole.write_stream(name, bytes(data))


def _records(data: bytearray):  # type: ignore[no-untyped-def]
    i = 0
    while i + 4 <= len(data):
        rtype, length = struct.unpack_from("<HH", data, i)
        yield i, rtype, length
        i += 4 + length


def test_xls_with_an_open_password_is_refused(tmp_path: Path) -> None:
    """FILEPASS in the globals substream: everything after it is encrypted."""
    p = _copy(XLS, tmp_path, "加密.xls")

    def encrypt(data: bytearray) -> None:
        for i, rtype, _ in _records(data):
            if rtype == 0x00E1:  # INTERFACEHDR, early in the globals: becomes FILEPASS
                struct.pack_into("<H", data, i, 0x002F)
                return
        raise AssertionError("no INTERFACEHDR")

    _patch_stream(p, "Workbook", encrypt)
    with pytest.raises(ImportFailure, match="设置了打开密码") as err:
        read_target_list(p)
    assert p.name in str(err.value) and "\n" not in str(err.value)


def test_real_password_protected_xls_is_refused_by_the_scan_and_by_calamine(monkeypatch) -> None:
    """bad/protected.xls: the 城口 list saved by LibreOffice with an open password (RC4 CryptoAPI)."""
    p = FIXTURES / "bad" / "protected.xls"
    with pytest.raises(ImportFailure, match="设置了打开密码"):
        read_target_list(p)
    monkeypatch.setattr(legacy, "_workbook_stream", lambda path: None)  # calamine's PasswordError alone
    with pytest.raises(ImportFailure, match="设置了打开密码"):
        read_target_list(p)


def test_real_password_protected_doc_is_refused_without_converting(monkeypatch) -> None:
    """bad/protected.doc: the 城口 notice saved by LibreOffice with an open password (fEncrypted in the FIB)."""
    monkeypatch.setattr(legacy, "find_converter", lambda: pytest.fail("a locked file must not be converted"))
    with pytest.raises(ImportFailure, match="设置了打开密码") as err:
        read_target_list(FIXTURES / "bad" / "protected.doc")
    assert "protected.doc" in str(err.value)


def _move_last_value(row: int, col: int):  # type: ignore[no-untyped-def]
    def edit(data: bytearray) -> None:
        last = None
        for i, rtype, _ in _records(data):
            if rtype in (0x00FD, 0x0203, 0x027E):  # LABELSST, NUMBER, RK
                last = i
        assert last is not None
        struct.pack_into("<HH", data, last + 4, row, col)
    return edit


@pytest.mark.parametrize("row,col,word", [(65535, 0, "超过 50000 行"), (49_000, 255, "范围过大")])
def test_xls_value_area_beyond_bounds_is_refused_before_calamine_loads_it(tmp_path, row, col, word) -> None:
    """calamine holds a sheet densely from A1 to its last value: a 6 KB file with a value in IV65536 would cost
    1.2 GB. The BIFF records are scanned first."""
    p = _copy(XLS, tmp_path, "bomb.xls")
    _patch_stream(p, "Workbook", _move_last_value(row, col))
    t0 = time.monotonic()
    with pytest.raises(ImportFailure, match=word) as err:
        read_target_list(p)
    assert time.monotonic() - t0 < 2
    assert p.name in str(err.value)


def test_a_stray_value_far_right_is_read_not_refused(tmp_path: Path) -> None:
    p = _copy(XLS, tmp_path, "wide.xls")
    _patch_stream(p, "Workbook", _move_last_value(16, 200))
    doc = read_source(p)
    assert doc.tables and doc.tables[0].width <= legacy.MAX_COLS


@needs_soffice
def test_xls_formatting_far_below_the_list_does_not_count(tmp_path: Path) -> None:
    """Formatting down to row 60,000 is written as BLANK records: not values, not rows."""
    import subprocess

    import openpyxl
    from openpyxl.styles import PatternFill

    wb = openpyxl.load_workbook(FIXTURES / "004_chengkou_2023_list.xlsx")
    ws = wb.worksheets[0]
    fill = PatternFill("solid", fgColor="FFF2CC")
    for r in range(ws.max_row + 1, 60_001, 2):  # every other row: no column default can stand for it
        ws.cell(r, 1).fill = fill
    src = tmp_path / "formatted.xlsx"
    wb.save(src)
    out = tmp_path / "out"
    subprocess.run([legacy.find_converter(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--norestore", "--convert-to", "xls", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=120)
    xls = out / "formatted.xls"
    data = legacy._workbook_stream(xls)
    assert data is not None and data.count(b"\x01\x02\x06\x00") > 10_000  # BLANK records down the sheet
    assert [vars(p) for p in read_target_list(xls).projects] == [vars(p) for p in read_target_list(XLS).projects]


# ---------------------------------------------------------------- .doc / .wps


@needs_soffice
def test_doc_notice_imports_like_its_docx(expected) -> None:
    steps: list[tuple[int, int, str]] = []
    doc = read_source(DOC, Progress(report=lambda d, t, s: steps.append((d, t, s))))
    assert doc.kind == "doc" and not doc.is_sheet
    assert steps == [(0, 1, "正在用 LibreOffice 转换…"), (1, 1, "正在用 LibreOffice 转换…")]
    _assert_matches_expected(read_target_list(DOC), expected["004_chengkou_2023_notice.docx"])


@needs_soffice
def test_wps_is_a_word_file_by_another_name(tmp_path: Path, expected) -> None:
    wps = _copy(DOC, tmp_path, "城口通知.wps")
    _assert_matches_expected(read_target_list(wps), expected["004_chengkou_2023_notice.docx"])


@needs_soffice
def test_conversion_leaves_no_temporary_folder(tmp_path: Path, monkeypatch) -> None:
    made: list[Path] = []
    real = tempfile.mkdtemp

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        made.append(Path(real(*a, **k)))
        return str(made[-1])

    monkeypatch.setattr(legacy.tempfile, "mkdtemp", spy)
    read_source(DOC)
    assert len(made) == 1 and not made[0].exists()


def test_doc_without_a_converter_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(legacy, "find_converter", lambda: None)
    with pytest.raises(ImportFailure) as err:
        read_target_list(DOC)
    msg = str(err.value)
    assert DOC.name in msg and "LibreOffice" in msg and ".docx" in msg and "另存为" in msg and "\n" not in msg


def test_doc_with_an_open_password_is_refused_without_converting(tmp_path: Path, monkeypatch) -> None:
    p = _copy(DOC, tmp_path, "加密.doc")

    def set_encrypted(data: bytearray) -> None:
        struct.pack_into("<H", data, 10, struct.unpack_from("<H", data, 10)[0] | 0x0100)

    _patch_stream(p, "WordDocument", set_encrypted)
    monkeypatch.setattr(legacy, "find_converter", lambda: pytest.fail("a locked file must not be converted"))
    with pytest.raises(ImportFailure, match="设置了打开密码"):
        read_target_list(p)


def _fake_converter(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + textwrap.dedent(body))
    script.chmod(0o755)
    return str(script)


def _alive(pid: int, wait_s: float = 3.0) -> bool:
    """Whether a process still runs (a zombie waiting for its parent to reap it does not)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            running = state not in ("Z", "X")
        except FileNotFoundError:
            running = False
        except OSError:  # no /proc (macOS): ask the kernel
            try:
                os.kill(pid, 0)
                running = True
            except ProcessLookupError:
                running = False
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.05)


@posix_only
def test_cancel_while_converting_kills_the_converter_and_its_children(tmp_path: Path, monkeypatch) -> None:
    pids = tmp_path / "pids"
    fake = _fake_converter(tmp_path, f"""
        sleep 60 &
        echo $$ $! > {pids}
        wait
    """)
    monkeypatch.setattr(legacy, "find_converter", lambda: fake)
    made: list[Path] = []
    real = tempfile.mkdtemp

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        made.append(Path(real(*a, **k)))
        return str(made[-1])

    monkeypatch.setattr(legacy.tempfile, "mkdtemp", spy)
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return pids.exists() and len(asked) > 3

    t0 = time.monotonic()
    with pytest.raises(ImportCancelled):
        read_source(DOC, Progress(cancelled=cancelled))
    assert time.monotonic() - t0 < 10
    for pid in map(int, pids.read_text().split()):
        assert not _alive(pid), pid
    assert made and not made[0].exists()


@posix_only
def test_conversion_time_limit(tmp_path: Path, monkeypatch) -> None:
    fake = _fake_converter(tmp_path, "sleep 60\n")
    monkeypatch.setattr(legacy, "find_converter", lambda: fake)
    monkeypatch.setattr(legacy, "CONVERT_TIMEOUT_S", 0.3)
    t0 = time.monotonic()
    with pytest.raises(ImportFailure, match="超过") as err:
        read_target_list(DOC)
    assert time.monotonic() - t0 < 10
    assert DOC.name in str(err.value) and ".docx" in str(err.value)


@posix_only
def test_a_converter_that_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(legacy, "find_converter", lambda: _fake_converter(tmp_path, "exit 0\n"))
    with pytest.raises(ImportFailure, match="无法用 LibreOffice 转换") as err:
        read_target_list(DOC)
    assert DOC.name in str(err.value)


def test_finder_looks_in_the_usual_folders(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(legacy.shutil, "which", lambda name: None)
    monkeypatch.setattr(legacy, "_candidates", lambda: [tmp_path / "nowhere" / "soffice"])
    assert legacy.find_converter() is None
    exe = tmp_path / "LibreOffice" / "program" / "soffice"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.setattr(legacy, "_candidates", lambda: [tmp_path / "nowhere" / "soffice", exe])
    assert legacy.find_converter() == str(exe)


# ---------------------------------------------------------------- other OLE files


def test_ole_file_that_is_neither_word_nor_excel(tmp_path: Path) -> None:
    p = tmp_path / "slides.xls"
    p.write_bytes(XLS.read_bytes().replace("Workbook".encode("utf-16-le"), "Workbooz".encode("utf-16-le")))
    with pytest.raises(ImportFailure, match="不是 Word 文档或 Excel 工作簿") as err:
        read_target_list(p)
    assert p.name in str(err.value)


def test_broken_ole_file(tmp_path: Path) -> None:
    p = tmp_path / "broken.doc"
    p.write_bytes(DOC.read_bytes()[:700])
    with pytest.raises(ImportFailure, match="损坏") as err:
        read_target_list(p)
    assert p.name in str(err.value)


@pytest.mark.parametrize("name", ["protected.docx", "protected.xlsx"])
def test_encrypted_ooxml_found_by_its_streams(name: str) -> None:
    from minsheng_desktop.importers.sniff import is_encrypted_ooxml, ole_streams

    p = FIXTURES / "bad" / name
    streams = ole_streams(p)
    assert streams is not None and {"encryptioninfo", "encryptedpackage"} <= streams
    assert is_encrypted_ooxml(p)
    assert not is_encrypted_ooxml(XLS) and not is_encrypted_ooxml(DOC)
