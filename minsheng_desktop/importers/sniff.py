"""Recognise what a file really is before parsing it, and refuse what we cannot or must not read."""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from pathlib import Path

from .errors import ImportFailure

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# Bounds that keep a hostile or broken file from exhausting the machine.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # uncompressed / compressed for one large member
MAX_MEMBERS = 5000

_OLD_FORMATS = {
    ".doc": ("Word 97-2003 文档（.doc）", ".docx", "Word 或 WPS 文字"),
    ".wps": ("WPS 文字旧格式（.wps）", ".docx", "WPS 文字"),
    ".xls": ("Excel 97-2003 工作簿（.xls）", ".xlsx", "Excel 或 WPS 表格"),
    ".et": ("WPS 表格旧格式（.et）", ".xlsx", "WPS 表格"),
}


def sniff(path: str | os.PathLike[str]) -> str:
    """Return "docx" or "xlsx" for a readable file, else raise ImportFailure with a Chinese message."""
    return check_package(path)[0]


def _open_head(p: Path, n: int = 4096) -> bytes:
    """The file's first ``n`` bytes after the checks every form shares: it exists, is a file, can be read,
    is not empty and not larger than MAX_FILE_BYTES."""
    name = p.name
    if not p.exists():
        raise ImportFailure(f"找不到文件“{p}”：请检查路径是否正确，或文件是否已被移动、删除。", path=str(p))
    if p.is_dir():
        raise ImportFailure(f"“{p}”是一个文件夹，不是文件：请选择通知（.docx）或目标任务表（.xlsx）。", path=str(p))
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(n)
    except PermissionError:
        raise ImportFailure(
            f"无法读取“{name}”：文件可能正被 Word、WPS 或 Excel 打开，或没有读取权限。请关闭该文件后重试。",
            path=str(p),
        ) from None
    except OSError as exc:
        raise ImportFailure(f"无法读取“{name}”：{exc.strerror or exc}。请检查文件后重试。", path=str(p)) from None
    if size == 0:
        raise ImportFailure(f"“{name}”是空文件（0 字节）：请重新获取或保存该文件后再导入。", path=str(p))
    if size > MAX_FILE_BYTES:
        raise ImportFailure(
            f"“{name}”过大（{size // (1024 * 1024)} MB），超出 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限："
            "目标任务表通常不超过几 MB，请确认选择的文件是否正确。",
            path=str(p),
        )
    return head


_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"BM")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_MHTML_SUFFIXES = (".mht", ".mhtml")


def identify(path: str | os.PathLike[str]) -> str:
    """The form a notice arrived in, from its bytes (the suffix only breaks ties):
    "docx", "xlsx" (Office Open XML, checked as check_package does), "ole" (an old binary .doc/.xls/.wps/.et or
    a password-protected file), "pdf", "image" (.jpg/.png/.tif/.bmp), "html", "mhtml". Anything else is refused
    with one Chinese line."""
    p = Path(path)
    head = _open_head(p)
    suffix = p.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        return _check_zip(p)[0]
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-") or (b"%PDF-" in head[:1024]):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    text = _head_text(head)
    low = text.lstrip().lower()
    if suffix in _MHTML_SUFFIXES or (low.startswith(("mime-version:", "from:", "subject:", "date:", "content-type:"))
                                     and "multipart/related" in low):
        return "mhtml"
    if suffix in _HTML_SUFFIXES or low.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in low:
        return "html"
    if suffix in _OLD_FORMATS:  # a .wps/.et that is not OLE: WPS's own older formats we cannot read
        desc, new_ext, app = _OLD_FORMATS[suffix]
        raise ImportFailure(
            f"“{p.name}”是{desc}，但内容无法识别：请用{app}打开它，另存为 {new_ext} 后再导入。", path=str(p)
        )
    raise ImportFailure(
        f"“{p.name}”不是可以读取的通知或目标任务表（支持 .docx、.xlsx、.xls、.et、.doc、.wps、PDF、网页和扫描图片），"
        "或文件已损坏：请确认选择的文件。",
        path=str(p),
    )


def _head_text(head: bytes) -> str:
    for enc in ("utf-8", "utf-16", "gb18030"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError:
            continue
    return head.decode("latin-1")


def check_package(path: str | os.PathLike[str]) -> tuple[str, bytes | None]:
    """sniff(), also returning word/document.xml of a .docx as read (and CRC-checked) by the zip check, so
    the reader does not open and inflate it a second time; None for an .xlsx."""
    p = Path(path)
    name = p.name
    head = _open_head(p, 8)
    suffix = p.suffix.lower()
    if head.startswith(OLE_MAGIC):
        if is_encrypted_ooxml(p):
            raise password_failure(p)
        desc, new_ext, app = _OLD_FORMATS.get(suffix, ("旧版 Office 二进制文件", ".docx 或 .xlsx", "Word、WPS 或 Excel"))
        raise ImportFailure(
            f"“{name}”是{desc}，这里只能读取 .docx / .xlsx：请用{app}打开它，"
            f"选择“文件→另存为”，保存类型选 {new_ext} 后再导入。",
            path=str(p),
        )
    if not head.startswith(ZIP_MAGIC):
        if suffix in _OLD_FORMATS:
            desc, new_ext, app = _OLD_FORMATS[suffix]
            raise ImportFailure(
                f"“{name}”是{desc}，这里只能读取 .docx / .xlsx：请用{app}另存为 {new_ext} 后再导入。",
                path=str(p),
            )
        raise ImportFailure(
            f"“{name}”不是 Word（.docx）或 Excel（.xlsx）文件，或文件已损坏：请确认选择的是通知或目标任务表。",
            path=str(p),
        )
    return _check_zip(p)


_KEEP = "word/document.xml"
_STREAM_ABOVE = 8 * 1024 * 1024  # members larger than this are checked in chunks, not held in memory


def ole_streams(p: Path) -> set[str] | None:
    """The names of an OLE compound file's streams and storages, as "/"-joined paths in lower case
    ("workbook", "worddocument", "encryptedpackage", "\x06dataspaces/version"), read from its directory with
    olefile; None when the directory cannot be read (a truncated or broken file)."""
    # deferred: olefile only for an old binary (OLE) file
    import olefile  # type: ignore[import-untyped]

    try:
        with olefile.OleFileIO(str(p)) as ole:
            return {"/".join(parts).lower() for parts in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 - olefile raises OSError, OleFileError, struct.error ... on broken files
        return None


def is_encrypted_ooxml(p: Path, streams: set[str] | None = None) -> bool:
    """An encrypted .docx/.xlsx is an OLE container holding the streams EncryptionInfo + EncryptedPackage."""
    if streams is None:
        streams = ole_streams(p)
    if streams is not None:
        return {"encryptioninfo", "encryptedpackage"} <= streams
    # A directory olefile cannot read: look for the stream name in the raw bytes (UTF-16 directory entries).
    try:
        with p.open("rb") as fh:
            data = fh.read(2 * 1024 * 1024)
    except OSError:
        return False
    return "EncryptedPackage".encode("utf-16-le") in data


def password_failure(p: Path) -> ImportFailure:
    """The one message for any file that needs a password to open (encrypted .docx/.xlsx, .xls, .doc)."""
    return ImportFailure(
        f"“{p.name}”设置了打开密码，无法读取：请在 Word/WPS/Excel 中打开它，取消密码（文件→信息→保护文档/"
        "工作簿→用密码进行加密，清空密码）并另存后再导入。",
        path=str(p),
    )


def _check_zip(p: Path) -> tuple[str, bytes | None]:
    name = p.name
    kept: bytes | None = None
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ImportFailure(f"“{name}”内部文件数量异常（{len(infos)} 个），已拒绝读取：请确认文件来源。", path=str(p))
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 10 * 1024 * 1024 and info.compress_size and (
                    info.file_size / info.compress_size > MAX_MEMBER_RATIO
                ):
                    raise ImportFailure(
                        f"“{name}”的压缩比异常（疑似“压缩炸弹”），已拒绝读取：请确认文件来源，或请发文单位重新提供。",
                        path=str(p),
                    )
            if total > MAX_UNCOMPRESSED_BYTES:
                raise ImportFailure(
                    f"“{name}”解压后过大（{total // (1024 * 1024)} MB），已拒绝读取：请确认文件来源。", path=str(p)
                )
            names = {i.filename for i in infos}
            # One pass: every member decompresses and matches its CRC (zipfile checks it at the end of each
            # member), and no XML member declares a DTD.
            for info in infos:
                if info.file_size > _STREAM_ABOVE:
                    with zf.open(info) as fh:
                        head = fh.read(8192)
                        while fh.read(1 << 20):
                            pass
                else:
                    data = zf.read(info)
                    head = data[:8192]
                    if info.filename == _KEEP:
                        kept = data
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    _refuse_dtd(head, name, p)
            _refuse_huge_sheets(zf, infos, name, p)
    except zipfile.BadZipFile:
        raise ImportFailure(
            f"“{name}”已损坏或不完整（可能下载未完成），无法打开：请重新下载或重新保存该文件后再导入。", path=str(p)
        ) from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError, ValueError, zlib.error) as exc:
        raise ImportFailure(
            f"“{name}”已损坏或无法解压（{type(exc).__name__}）：请重新下载或重新保存该文件后再导入。", path=str(p)
        ) from None
    if "word/document.xml" in names:
        return "docx", kept
    if "xl/workbook.xml" in names:
        return "xlsx", None
    raise ImportFailure(
        f"“{name}”不是 Word（.docx）或 Excel（.xlsx）文件（可能是其他格式的压缩包）：请选择通知或目标任务表。",
        path=str(p),
    )


_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"))
_DTD_MARKERS = tuple(m.upper() for m in _DTD_MARKERS)
MAX_SHEET_BYTES = 60 * 1024 * 1024
MAX_SHEET_ROWS = 50_000


def _refuse_dtd(head: bytes, name: str, p: Path) -> None:
    """Office XML never carries a DTD; one that does is an entity-expansion or external-entity attack."""
    if b"<!" in head or b"<\x00!" in head:  # the common case: no declaration of any kind
        head = head.upper()
        if any(m in head for m in _DTD_MARKERS):
            raise ImportFailure(
                f"“{name}”含有不安全的 XML 内容（DTD/实体声明），已拒绝读取：正常的 Office 文件不会这样，请确认文件来源。",
                path=str(p),
            )


def _refuse_huge_sheets(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, p: Path) -> None:
    """Refuse a worksheet that is far bigger than any target list before openpyxl loads it whole.

    Two bounds: the sheet's XML (MAX_SHEET_BYTES, which also bounds the time spent on it) and the rows that hold
    a value (MAX_SHEET_ROWS). The <dimension> Excel writes counts formatted rows too — a two-row list whose
    borders run to row 60,000 is common after a .xls was saved as .xlsx — so a dimension beyond the bound only
    makes us stream the sheet and look for a row with a value (<v> or an inline string) beyond it."""
    for info in infos:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        if info.file_size > MAX_SHEET_BYTES:
            raise ImportFailure(f"“{name}”中的工作表过大（{info.file_size // (1024 * 1024)} MB）：请确认文件是否正确。",
                                path=str(p))
        with zf.open(info) as fh:
            head = fh.read(4096).decode("utf-8", "replace")
        m = re.search(r'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
        if m and int(m.group(1)) > MAX_SHEET_ROWS:
            with zf.open(info) as fh:
                beyond = _row_with_value_beyond(fh, MAX_SHEET_ROWS)
            if beyond is not None:
                raise ImportFailure(
                    f"“{name}”的工作表有内容的行超过 {MAX_SHEET_ROWS} 行（第 {beyond} 行仍有内容），超出上限："
                    "目标任务表不会这么大，请确认文件。",
                    path=str(p),
                )


def _row_with_value_beyond(fh, limit: int) -> int | None:  # type: ignore[no-untyped-def]
    """Stream a worksheet; the first row holding a value that lies beyond row ``limit`` or is the ``limit``+1-th
    such row (its 1-based number), else None. Rows with only formatting (cells without <v>/<is>) do not count.
    Broken XML is left to the reader, which says so."""
    from lxml import etree  # deferred: lxml only for a sheet whose <dimension> is too big

    counted = 0
    next_row = 1
    try:
        for _, el in etree.iterparse(fh, events=("end",), tag="{*}row", resolve_entities=False, load_dtd=False,
                                     no_network=True, huge_tree=False, remove_comments=True, remove_pis=True):
            r_attr = el.get("r")
            number = int(r_attr) if r_attr and r_attr.isdigit() and int(r_attr) > 0 else next_row
            next_row = max(next_row, number + 1)
            if next(el.iter("{*}v", "{*}is"), None) is not None:
                counted += 1
                if number > limit or counted > limit:
                    return number
            el.clear()
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.LxmlError:
        return None
    return None
