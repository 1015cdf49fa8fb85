"""A saved web page's file to an lxml tree: an MHTML archive (.mht/.mhtml) unpacked to its HTML part, the
text decoded (a byte-order mark, else the charset the page or the MHTML part declares, else UTF-8, else
GB18030), characters lxml refuses removed, the page's size checked (MAX_TAGS tags, grid.MAX_ROWS rows) before
it is parsed, and lxml's HTML parser run with network access off and comments and processing instructions
dropped. A file that is not a readable page is refused with one Chinese line naming it.
"""

from __future__ import annotations

import codecs
import email
import re
from email import policy
from pathlib import Path

from lxml import etree as _etree

from .errors import ImportFailure
from .grid import MAX_ROWS
from .sniff import MAX_FILE_BYTES

_Element = _etree._Element

MAX_TAGS = 1_000_000  # "<" in the page: a 5,000-row notice as an office suite saves it has ~80,000


def failure(name: str, path: Path, what: str) -> ImportFailure:
    return ImportFailure(f"“{name}”{what}", path=str(path))


def _unreadable(name: str, path: Path) -> ImportFailure:
    return failure(name, path, "不是可以读取的网页（内容无法识别，可能已损坏）：请在浏览器中重新打开该网页，"
                                "另存为“网页，仅 HTML”或“网页，单个文件”后再导入。")


_MIME_START = re.compile(rb"^[A-Za-z][A-Za-z0-9\-]*:[ \t]")


def _is_mime(data: bytes) -> bool:
    """An MHTML file starts with mail headers (MIME-Version:, From: …), one of them its Content-Type."""
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not _MIME_START.match(head):
        return False
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0].lower()
    return b"content-type:" in block


def _unpack_mhtml(data: bytes, name: str, path: Path) -> tuple[bytes, str | None]:
    """The page's HTML (transfer encoding undone) and the charset its part declares; images are ignored."""
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
        parts = [p for p in msg.walk() if not p.is_multipart() and p.get_content_type() == "text/html"]
        if not parts:
            raise failure(name, path, "中没有网页正文（找不到 text/html 部分）：请在浏览器中重新打开该网页，"
                                       "另存为“网页，单个文件”或“网页，仅 HTML”后再导入。")
        part = parts[0]
        start = msg.get_param("start") if msg.is_multipart() else None
        if isinstance(start, str) and start.strip():
            for p in parts:
                if (p.get("Content-ID") or "").strip() == start.strip():
                    part = p
                    break
        payload = part.get_payload(decode=True)
        charset = part.get_content_charset()
    except ImportFailure:
        raise
    except Exception:  # a broken MIME structure: the email package is lenient, so this is rare
        raise _unreadable(name, path) from None
    if not isinstance(payload, bytes) or not payload.strip():
        raise _unreadable(name, path)
    return payload, charset


_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_WESTERN = ("ascii", "latin-1", "iso8859-1", "cp1252")  # often declared by mistake on a Chinese page
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _codec(label: str | None, *, in_page: bool = True) -> str | None:
    if not label:
        return None
    lab = label.strip().lower()
    if any(k in lab for k in ("gb2312", "gbk", "gb_2312", "gb18030", "cp936", "euc-cn", "936")):
        return "gb18030"  # GB18030 is a superset of GB2312 and GBK; sites label GBK pages "gb2312"
    try:
        name = codecs.lookup(lab).name
    except LookupError:
        return None
    if in_page and name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page cannot declare UTF-16 in its own bytes (WHATWG); an MHTML part's header can
    return name


def _decode(data: bytes, declared: str | None) -> str | None:
    """The page's text; None when no encoding reads it cleanly and it is not mostly text."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace")
    head = data[:65536]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    enc = _codec(declared, in_page=False) or _codec(m.group(1).decode("ascii", "ignore") if m else None)
    order = [enc] if enc and enc not in _WESTERN else []
    order += [e for e in ("utf-8", "gb18030") if e not in order]
    if enc and enc not in order:
        order.append(enc)
    for e in order:
        try:
            return data.decode(e)
        except (UnicodeDecodeError, LookupError):
            continue
    text = data.decode(enc or "utf-8", "replace")
    bad = text.count("\ufffd")
    return text if bad <= max(8, len(text) // 200) else None


# Characters XML (and so lxml) refuses, and DEL; a form feed is whitespace in HTML but not allowed in XML.
CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"<\s*[A-Za-z!/?]")


def parse(path: Path, name: str) -> _Element:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise failure(name, path, f"无法读取：{exc.strerror or exc}。请检查文件后重试。") from None
    if len(data) > MAX_FILE_BYTES:
        mb, cap = len(data) // (1024 * 1024), MAX_FILE_BYTES // (1024 * 1024)
        raise failure(name, path, f"过大（{mb} MB），超出 {cap} MB 的上限：请确认选择的文件是否正确。")
    declared = None
    if _is_mime(data):
        data, declared = _unpack_mhtml(data, name, path)
    text = _decode(data, declared)
    if text is None or not _TAG.search(text[:65536]):
        raise _unreadable(name, path)
    text = CONTROLS.sub("", text).replace("\x0c", " ")
    tags = text.count("<")
    if tags > MAX_TAGS:
        raise failure(name, path, "的网页内容过于庞大，超出可读范围：请确认选择的文件是否正确。")
    rows = len(re.findall(r"<tr[\s>]", text, re.I))
    if rows > MAX_ROWS:  # counted on the text: refuse before building a tree of them
        raise failure(name, path, f"的表格共有 {rows} 行，超出 {MAX_ROWS} 行的上限：请确认文件是否正确。")
    # lxml.etree's parser rather than lxml.html's: the same libxml2 HTML parser, without a Python call per
    # element to choose its class (a third of the time on a 5,000-row table).
    parser = _etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                               huge_tree=False, recover=True)
    try:
        root = _etree.fromstring(text.encode("utf-8"), parser=parser)
    except (_etree.ParserError, _etree.XMLSyntaxError, ValueError):
        raise _unreadable(name, path) from None
    if root is None:
        raise _unreadable(name, path)
    return root
