"""Old binary Office files: .xls/.et workbooks and .doc/.wps documents (OLE2 compound files).

What a file is comes from its OLE directory, never its suffix (a .wps is usually a Word file, an .et an Excel
one, and clerks rename files):

| streams                           | what                                | how                                   |
|-----------------------------------|-------------------------------------|---------------------------------------|
| EncryptionInfo + EncryptedPackage | a .docx/.xlsx with an open password | refused: "设置了打开密码"               |
| Workbook (BIFF8) / Book (BIFF5)   | .xls, WPS .et                       | python-calamine, here                 |
| WordDocument                      | .doc, WPS .wps                      | LibreOffice → .docx → grid.read_docx  |

A workbook with a FILEPASS record and a Word document with the FIB's fEncrypted bit need a password to open:
refused with the same message. Before calamine loads a workbook its BIFF records are scanned once (cheap) for
that record and for the extent of the cells holding a value: calamine builds each sheet as a dense grid from
the top-left to the bottom-right cell with a value, so a 6 KB .xls with one value in A1 and one in IV65536
costs 1.2 GB and 14 s. Sheets with values beyond MAX_ROWS rows, or whose value area exceeds MAX_CELLS cells,
are refused before that. Cells with formatting only (BLANK/MULBLANK records) do not count: calamine skips
them.

The conversion of a .doc runs ``soffice --headless --convert-to docx`` with a throw-away user profile (so it
works while the clerk has LibreOffice open), a time limit, progress and cancellation; the temporary folder is
always removed. docs/legacy-office.md describes how Word/WPS automation on Windows would plug in beside it.
"""

from __future__ import annotations

import datetime as _dt
import glob
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .errors import ImportFailure
from .grid import MAX_ROWS, SourceDocument, read_docx
from .progress import Progress
from .sniff import check_package, is_encrypted_ooxml, ole_streams, password_failure
from .xlsx import build_sheet_table

CONVERT_TIMEOUT_S = 120
MAX_COLS = 64  # as the .xlsx reader: nothing further right is read
MAX_CELLS = 2_000_000  # rows x columns of a sheet's value area (calamine holds it densely, ~32 bytes a cell)
_POLL_S = 0.1

_WORD_MISSING_CONVERTER = ("需要安装 LibreOffice（免费）才能读取 .doc/.wps，或用 Word/WPS 打开后另存为 .docx 再导入")


def read_ole(path: Path, progress: Progress) -> SourceDocument:
    """Read an OLE2 file (identify() said "ole") into a SourceDocument, or raise one Chinese line."""
    p = Path(path)
    streams = ole_streams(p)
    if streams is None:
        if is_encrypted_ooxml(p, streams):
            raise password_failure(p)
        raise ImportFailure(
            f"“{p.name}”是旧版 Office 文件，但已损坏或不完整，无法打开：请重新获取该文件，或用 Word/WPS/Excel 打开后"
            "另存为 .docx / .xlsx 再导入。",
            path=str(p),
        )
    if is_encrypted_ooxml(p, streams):
        raise password_failure(p)
    if "workbook" in streams or "book" in streams:
        return read_xls(p)
    if "worddocument" in streams:
        if _word_is_encrypted(p):
            raise password_failure(p)
        return convert_and_read_doc(p, progress, as_suffix=".doc")
    if p.suffix.lower() in (".doc", ".wps"):
        # Not a Word-format file: an older WPS or Microsoft Works document. LibreOffice reads some of them.
        return convert_and_read_doc(p, progress, as_suffix=p.suffix.lower())
    raise ImportFailure(
        f"“{p.name}”是旧版 Office 二进制文件，但不是 Word 文档或 Excel 工作簿（可能是 PowerPoint 等其他文件）：请选择"
        "通知或目标任务表，或用 Word/WPS/Excel 打开后另存为 .docx / .xlsx 再导入。",
        path=str(p),
    )


# ---------------------------------------------------------------- .xls / .et


# BIFF record types
_BOF = (0x0809, 0x0409, 0x0209, 0x0009)
_EOF, _FILEPASS = 0x000A, 0x002F
_MULRK = 0x00BD
# Cell records that carry a value (calamine reads these; BLANK 0x0201 / MULBLANK 0x00BE are formatting only):
# LABELSST, LABEL, RSTRING, NUMBER, RK, BOOLERR, FORMULA (BIFF5 and BIFF8, the versions calamine reads).
_VALUE_RECORDS = frozenset([0x00FD, 0x0204, 0x00D6, 0x0203, 0x027E, 0x0205, 0x0006])


def _workbook_stream(p: Path) -> bytes | None:
    # deferred: olefile only for an old binary (OLE) file
    import olefile  # type: ignore[import-untyped]

    try:
        with olefile.OleFileIO(str(p)) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    return ole.openstream(name).read()
    except Exception:  # noqa: BLE001 - a broken directory: calamine will say it cannot open the file
        return None
    return None


def _scan_biff(data: bytes) -> tuple[bool, list[tuple[int, int, int]]]:
    """One pass over the workbook stream's records: (has FILEPASS, per sheet substream (rows with a value,
    last such row + 1, last column with a value + 1)). Stops early once a sheet is over the bounds."""
    encrypted = False
    sheets: list[tuple[int, int, int]] = []
    depth = 0
    substream = -1
    rows: set[int] = set()
    max_row = max_col = 0
    unpack = struct.unpack_from
    i, n = 0, len(data)
    while i + 4 <= n:
        rtype, length = unpack("<HH", data, i)
        body = i + 4
        i = body + length
        if rtype in _BOF:
            depth += 1
            if depth == 1:
                substream += 1
                rows, max_row, max_col = set(), 0, 0
            continue
        if rtype == _EOF:
            if depth == 1 and substream > 0:
                sheets.append((len(rows), max_row, max_col))
            depth = max(0, depth - 1)
            continue
        if substream == 0:
            if rtype == _FILEPASS:
                encrypted = True
                break  # everything after it is encrypted: nothing more to learn
            continue
        if depth != 1 or length < 4 or i > n:
            continue
        if rtype in _VALUE_RECORDS:
            row, col = unpack("<HH", data, body)
        elif rtype == _MULRK and length >= 6:
            row = unpack("<H", data, body)[0]
            col = unpack("<H", data, i - 2)[0]
        else:
            continue
        rows.add(row)
        max_row, max_col = max(max_row, row + 1), max(max_col, col + 1)
        if len(rows) > MAX_ROWS or max_row > MAX_ROWS or max_row * max_col > MAX_CELLS:
            sheets.append((len(rows), max_row, max_col))
            break
    else:
        if depth >= 1 and substream > 0:  # a sheet without its EOF (a truncated file)
            sheets.append((len(rows), max_row, max_col))
    return encrypted, sheets


def _cell_text(value: object) -> str | None:
    """A cell as the .xlsx reader writes it: numbers as written (2000, 12.5), dates 2023-06-30, TRUE/FALSE."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        clock = value.strftime("%H:%M:%S").removesuffix(":00")
        day = value.strftime("%Y-%m-%d")
        return day if clock == "00:00" else f"{day} {clock}"
    if isinstance(value, _dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, _dt.time):
        return value.strftime("%H:%M:%S").removesuffix(":00")
    if isinstance(value, _dt.timedelta):
        seconds = int(round(value.total_seconds()))
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        h, rest = divmod(seconds, 3600)
        m, s = divmod(rest, 60)
        return f"{sign}{h}:{m:02d}" + (f":{s:02d}" if s else "")
    return str(value)


def _save_as_xlsx(p: Path, what: str) -> ImportFailure:
    return ImportFailure(
        f"“{p.name}”{what}：请用 Excel 或 WPS 表格打开它，选择“文件→另存为”，保存类型选 .xlsx 后再导入。",
        path=str(p),
    )


def read_xls(path: Path) -> SourceDocument:
    """Each visible worksheet of an .xls/.et as a table (merged ranges as one shared Cell), kind "xls"."""
    p = Path(path)
    data = _workbook_stream(p)
    if data is not None:
        encrypted, sheets = _scan_biff(data)
        del data
        if encrypted:
            raise password_failure(p)
        for rows, height, width in sheets:
            if rows > MAX_ROWS or height > MAX_ROWS:
                raise ImportFailure(
                    f"“{p.name}”的工作表有内容的行超过 {MAX_ROWS} 行，超出可读范围：目标任务表不会这么大，请确认文件。",
                    path=str(p),
                )
            if height * width > MAX_CELLS:
                raise ImportFailure(
                    f"“{p.name}”的工作表内容范围过大（{height} 行 × {width} 列），超出可读范围：请确认文件，"
                    "或删除表格以外的内容后另存为 .xlsx 再导入。",
                    path=str(p),
                )
    try:
        import python_calamine as calamine  # deferred: only an .xls/.et needs calamine

        doc = SourceDocument(kind="xls", paragraphs=[], tables=[])
        book = calamine.CalamineWorkbook.from_path(str(p))
        try:
            for meta in book.sheets_metadata:
                if (meta.typ != calamine.SheetTypeEnum.WorkSheet
                        or meta.visible != calamine.SheetVisibleEnum.Visible):
                    continue  # chart and macro sheets; hidden sheets hold bookkeeping or scratch data
                sheet = book.get_sheet_by_name(meta.name)
                raw = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
                values = [[_cell_text(v) for v in row[:MAX_COLS]] for row in raw]
                del raw
                merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
                          if c0 < MAX_COLS]
                table = build_sheet_table(values, merges)
                if table is not None:
                    doc.tables.append(table)
        finally:
            book.close()
    except ImportFailure:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - calamine's errors, and a Rust panic (a BaseException)
        if type(exc).__name__ == "PasswordError":
            raise password_failure(p) from None
        raise _save_as_xlsx(p, "是旧版 Excel/WPS 表格文件，但内容无法读取（可能已损坏，或是不支持的旧版本）") from None
    return doc


# ---------------------------------------------------------------- .doc / .wps


def _word_is_encrypted(p: Path) -> bool:
    """The FIB at the start of the WordDocument stream: bit fEncrypted (0x0100) of the flags at offset 10."""
    # deferred: olefile only for an old binary (OLE) file
    import olefile  # type: ignore[import-untyped]

    try:
        with olefile.OleFileIO(str(p)) as ole:
            head = ole.openstream("WordDocument").read(12)
    except Exception:  # noqa: BLE001 - unreadable: let the conversion report it
        return False
    return len(head) >= 12 and bool(struct.unpack_from("<H", head, 10)[0] & 0x0100)


def _candidates() -> list[Path]:
    """Where LibreOffice is usually installed on this platform (PATH is searched first)."""
    out: list[str] = []
    if sys.platform.startswith("win"):
        for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA"):
            base = os.environ.get(var)
            if base:
                out += sorted(glob.glob(os.path.join(base, "LibreOffice*", "program", "soffice.exe")), reverse=True)
                out += sorted(glob.glob(os.path.join(base, "Programs", "LibreOffice*", "program", "soffice.exe")),
                              reverse=True)
    elif sys.platform == "darwin":
        out += ["/Applications/LibreOffice.app/Contents/MacOS/soffice",
                os.path.expanduser("~/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    else:
        out += ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/local/bin/soffice", "/usr/local/bin/libreoffice",
                "/usr/lib/libreoffice/program/soffice", "/usr/lib64/libreoffice/program/soffice",
                "/snap/bin/libreoffice"]
        out += sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True)
    return [Path(c) for c in out]


def find_converter() -> str | None:
    """The LibreOffice program that converts .doc/.wps to .docx, or None when none is installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for cand in _candidates():
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    return None


def _child_env() -> dict[str, str]:
    """The environment for LibreOffice. A PyInstaller build points LD_LIBRARY_PATH (Linux) at its own bundled
    libraries; LibreOffice must load the system's, so the value from before the bootloader is put back."""
    env = dict(os.environ)
    if getattr(sys, "frozen", False):
        for var in ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"):
            orig = env.pop(var + "_ORIG", None)
            if orig is not None:
                env[var] = orig
            else:
                env.pop(var, None)
    return env


def _kill(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Kill the converter and everything it started (soffice is a launcher for soffice.bin)."""
    if proc.poll() is None:
        try:
            if sys.platform.startswith("win"):
                subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, timeout=10,
                               creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
            else:
                os.killpg(proc.pid, signal.SIGKILL)
        except (OSError, subprocess.SubprocessError):
            pass
        try:
            proc.kill()
        except OSError:
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def convert_and_read_doc(path: Path, progress: Progress, *, as_suffix: str = ".doc") -> SourceDocument:
    """Convert a .doc/.wps to .docx with LibreOffice in a throw-away folder, read it, kind "doc"."""
    p = Path(path)
    soffice = find_converter()
    if soffice is None:
        raise ImportFailure(f"“{p.name}”是旧版 Word/WPS 文档：{_WORD_MISSING_CONVERTER}。", path=str(p))
    work = Path(tempfile.mkdtemp(prefix="minsheng-doc-"))
    proc: subprocess.Popen | None = None  # type: ignore[type-arg]
    try:
        # An ASCII name in a private folder: no quoting or code-page trouble, and a known output name.
        src = work / f"source{as_suffix}"
        shutil.copyfile(p, src)
        outdir = work / "out"
        outdir.mkdir()
        profile = (work / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
               "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir),
               str(src)]
        progress.step(0, 1, "正在用 LibreOffice 转换…")
        kwargs: dict = {}
        if sys.platform.startswith("win"):
            kwargs["creationflags"] = (getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
                                       | getattr(subprocess, "CREATE_NO_WINDOW", 0))
        else:
            kwargs["start_new_session"] = True  # its own process group, killed whole on timeout or cancel
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=str(work), env=_child_env(), **kwargs)
        except OSError as exc:
            raise ImportFailure(
                f"“{p.name}”是旧版 Word/WPS 文档，但无法启动 LibreOffice（{exc.strerror or exc}）：请检查 LibreOffice 的"
                "安装，或用 Word/WPS 打开后另存为 .docx 再导入。",
                path=str(p),
            ) from None
        deadline = time.monotonic() + CONVERT_TIMEOUT_S
        while True:
            try:
                proc.wait(timeout=_POLL_S)
                break
            except subprocess.TimeoutExpired:
                pass
            progress.check()  # ImportCancelled: the finally below kills it
            if time.monotonic() > deadline:
                _kill(proc)
                raise ImportFailure(
                    f"“{p.name}”用 LibreOffice 转换超过 {CONVERT_TIMEOUT_S} 秒仍未完成，已停止：请用 Word/WPS 打开它，"
                    "另存为 .docx 后再导入。",
                    path=str(p),
                )
        out = outdir / "source.docx"
        if not out.is_file() or out.stat().st_size == 0:
            raise ImportFailure(
                f"“{p.name}”无法用 LibreOffice 转换为 .docx（文件可能已损坏，或是不支持的旧版本）：请用 Word/WPS 打开它，"
                "另存为 .docx 后再导入。",
                path=str(p),
            )
        try:
            _, document_xml = check_package(out)
            doc = read_docx(out, document_xml=document_xml)
        except ImportFailure as exc:
            raise ImportFailure(exc.message.replace(out.name, p.name), path=str(p)) from None
        progress.step(1, 1, "正在用 LibreOffice 转换…")
        doc.kind = "doc"
        return doc
    finally:
        if proc is not None:
            _kill(proc)
        shutil.rmtree(work, ignore_errors=True)
