"""Saved web pages: .html/.htm ("网页，仅 HTML" / "网页，全部", or an office suite's "另存为网页") and
.mht/.mhtml ("网页，单个文件"), read into the neutral grid (grid.SourceDocument, kind "html").

What comes out is what the .docx of the same notice gives (grid.read_docx): the notice's paragraphs in order
and its tables as grids of Cells, a merged (rowspan/colspan) cell being one Cell repeated at every position it
covers. A 政府信息公开 page carries more than the notice, and this reader leaves it out:

* never content: script, style, noscript, template, iframe, object/embed, svg, canvas, audio/video, form
  controls (input, select, textarea, button), and an element styled ``display:none`` that holds no table;
* site chrome: nav, aside, form, menu, and header/footer outside an <article>/<main> (a <header> whose
  heading is the notice's title stays); elements whose class or id has one of the words in _NOISE_WORDS
  (nav, menu, share, footer, breadcrumb, sidebar, toolbar …; words are split on - _ and camelCase, so
  "mainNav" and "bdsharebuttonbox" count, "content" and "navy" do not); none of this ever removes an
  element holding a table with a project header;
* blocks whose text is all links to other pages (menus, "相关文件" lists; a link to an attached file counts
  as text), and short lines of page furniture (分享到…, 打印本页, 关闭窗口, 上一篇, 网站标识码, ICP备案,
  主办单位 …; see _CHROME_RE);
* the page's metadata ("信息公开" info block: 索引号, 发布机构, 发文字号, 成文日期, 标题 … as table cells,
  list items or label/value spans): read into facts and removed from the page, so it is neither a table
  nor paragraphs.

The notice is then read from the article: the smallest element holding both the first notice title on the
page (关于…的通知, not a link) and the target table (the table parse_source will pick); without a title, the
nearest container of the table named like an article's (_ARTICLE_WORDS: content, TRS_Editor, zw, view …) that
has text of its own; else the page's body. Where the notice's own text lacks the 文号, the date, the issuer
or the title (web editions often drop them; the page's metadata has them), they are put back as paragraphs
where the notice has them — the 文号 and the title at the top, the issuer's signature and the date after the
body, before the attachment — so that notice.read_notice finds them exactly as in the .docx.

A <br> is a line break inside its paragraph, as Word's is (the two-line title comes out as one paragraph,
"…办公室\\n关于…的通知", as read_docx gives it), except that a line that is on its own a date, a 文号 or an
"附件" label is its own paragraph, and a run of more than three lines or of more than 120 characters
(a body typed as one block with <br> between paragraphs) becomes one paragraph per line.

A table is data (a grid in doc.tables) when it holds no other table and has at least two rows and two
columns; a table around tables, or of one row or one column, is layout, and its cells are read as blocks.
Rows above a table's header row, from the top down to the last that is a title or an "附件" label ("附件",
"武隆区2023年度民生实事目标任务"; Excel and WPS save a sheet's title rows inside the table), are lifted out as
the paragraphs before the table, as the .docx has them; a note row below them (单位：万元) stays in the table.

Encoding: a byte-order mark, else the charset declared in the page (<meta charset>, http-equiv, <?xml?>) or by
the MHTML part, else UTF-8, else GB18030 (a superset of GB2312/GBK, which many 政府 sites still use).
Safety: lxml's HTML parser with network access off, comments and processing instructions dropped (an HTML
parser expands only HTML's own named entities; there is no DTD to load); the file is at most
sniff.MAX_FILE_BYTES, a page of more than MAX_TAGS tags is refused before parsing, a table of more than
grid.MAX_ROWS rows or MAX_GRID_CELLS positions is refused, and libxml2 caps nesting depth.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import re
from collections.abc import Iterator
from email import policy
from pathlib import Path

from lxml import etree as _etree

from .errors import ImportFailure
from .grid import MAX_ROWS, Cell, SourceDocument, Table, _norm_cell_text
from .notice import DOC_NO_RE, ISSUER_END_RE, NOTICE_END_RE, parse_date, read_notice
from .progress import Progress
from .sniff import MAX_FILE_BYTES
from .table import ColumnMap, find_header

_Element = _etree._Element

MAX_TAGS = 1_000_000  # "<" in the page: a 5,000-row notice as an office suite saves it has ~80,000
MAX_GRID_CELLS = 2_000_000  # grid positions in one table (rows × columns after spans)
MAX_COLSPAN = 256
MAX_META_CHARS = 1500  # a page's metadata block is a few hundred characters
_ATTACHMENT_LABEL = re.compile(r"^附件\d*[:：]?$")
_TITLE_WORDS = ("民生实事", "目标任务", "民生项目", "实事")  # as reader._attachment_title looks for them

_BR = "\x00"  # stands for <br> while a paragraph's text is collected (NULs are removed from the page first)

# ------------------------------------------------------------------------------------ reading bytes


def _failure(name: str, path: Path, what: str) -> ImportFailure:
    return ImportFailure(f"“{name}”{what}", path=str(path))


def _unreadable(name: str, path: Path) -> ImportFailure:
    return _failure(name, path, "不是可以读取的网页（内容无法识别，可能已损坏）：请在浏览器中重新打开该网页，"
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
            raise _failure(name, path, "中没有网页正文（找不到 text/html 部分）：请在浏览器中重新打开该网页，"
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
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"<\s*[A-Za-z!/?]")


def _parse(path: Path, name: str) -> _Element:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _failure(name, path, f"无法读取：{exc.strerror or exc}。请检查文件后重试。") from None
    if len(data) > MAX_FILE_BYTES:
        mb, cap = len(data) // (1024 * 1024), MAX_FILE_BYTES // (1024 * 1024)
        raise _failure(name, path, f"过大（{mb} MB），超出 {cap} MB 的上限：请确认选择的文件是否正确。")
    declared = None
    if _is_mime(data):
        data, declared = _unpack_mhtml(data, name, path)
    text = _decode(data, declared)
    if text is None or not _TAG.search(text[:65536]):
        raise _unreadable(name, path)
    text = _CONTROLS.sub("", text).replace("\x0c", " ")
    tags = text.count("<")
    if tags > MAX_TAGS:
        raise _failure(name, path, "的网页内容过于庞大，超出可读范围：请确认选择的文件是否正确。")
    rows = len(re.findall(r"<tr[\s>]", text, re.I))
    if rows > MAX_ROWS:  # counted on the text: refuse before building a tree of them
        raise _failure(name, path, f"的表格共有 {rows} 行，超出 {MAX_ROWS} 行的上限：请确认文件是否正确。")
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


# -------------------------------------------------------------------------------- cleaning the page

_NEVER_CONTENT = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
                  "applet", "svg", "canvas", "audio", "video", "select", "textarea", "input", "button",
                  "option", "head", "title", "meta", "link", "base")
_CHROME_TAGS = frozenset(("nav", "aside", "form", "menu", "header", "footer"))
_IN_ARTICLE_OK = frozenset(("header", "footer"))  # an article's own header/footer is part of it
# Words in a class or id that mark site chrome. Restrained on purpose: "content", "main", "article", "print",
# "top", "bottom", "head" stay, because pages use them for the article itself.
_NOISE_WORDS = frozenset(("nav", "navbar", "navigation", "subnav", "topnav", "menu", "submenu", "topmenu",
                          "share", "sharing", "bdshare", "footer", "foot", "breadcrumb", "breadcrumbs",
                          "crumb", "crumbs", "sidebar", "toolbar", "copyright"))
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _words(value: str) -> list[str]:
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", value)) if w]


def _is_noise_named(el: _Element) -> bool:
    for attr in ("class", "id"):
        value = el.get(attr)
        if not value:
            continue
        for w in _words(value):
            if w in _NOISE_WORDS or w.startswith("bdshare"):
                return True
    return False


def _drop(el: _Element) -> None:
    """Remove an element and what it holds, keeping the text that follows it (its tail) in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        tail = _CONTROLS.sub("", el.tail)  # a character reference (&#1;) may have made one lxml now refuses
        prev = el.getprevious()
        if prev is not None:
            prev.tail = _CONTROLS.sub("", prev.tail or "") + tail
        else:
            parent.text = _CONTROLS.sub("", parent.text or "") + tail
    parent.remove(el)


def _text_content(el: _Element) -> str:
    return "".join(el.itertext())


def _drop_never_content(root: _Element) -> None:
    for el in list(root.iter(*_NEVER_CONTENT)):
        _drop(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # a comment or processing instruction the parser kept
            _drop(el)
        elif _HIDDEN.search(el.get("style") or "") and next(el.iter("table"), None) is None:
            _drop(el)  # (a hidden tab holding a table is kept: a saved page may have hidden what it shows)


def _holds_title(el: _Element) -> bool:
    """A <header> with the notice's title as a heading is the article's header, not the site's."""
    return any(_is_title_text(_text_content(h)) and next(h.iter("a"), None) is None
               for h in el.iter("h1", "h2", "h3"))


def _drop_chrome(body: _Element, keep: set[_Element],
                 inside_tables: set[_Element]) -> None:
    """Remove site chrome (see the module's doc). ``keep``: the project tables and their ancestors."""
    doomed: list[_Element] = []
    stack = [body]
    while stack:
        el = stack.pop()
        for child in el:
            if not isinstance(child.tag, str) or child in inside_tables:
                continue
            tag = child.tag
            chrome = tag in _CHROME_TAGS or _is_noise_named(child)
            if chrome and tag in _IN_ARTICLE_OK and not _is_noise_named(child) and (
                    any(a.tag in ("article", "main") for a in child.iterancestors()) or _holds_title(child)):
                chrome = False
            if chrome and child not in keep:
                doomed.append(child)
            else:
                stack.append(child)
    for el in doomed:
        _drop(el)


# ------------------------------------------------------------------------------ the page's metadata

_FACT_LABELS = {
    "doc_number": ("发文字号", "文件编号", "文号"),
    "date": ("成文日期", "成文时间", "发文日期", "印发日期"),
    "issuer": ("发布机构", "发文机关", "发文单位", "发文机构", "制发机关", "发布单位"),
    "title": ("文件名称", "公文标题", "标题", "名称"),
}
_STRONG_LABELS = (*_FACT_LABELS["doc_number"], *_FACT_LABELS["date"], *_FACT_LABELS["issuer"], "索引号",
                  "主题分类", "公文种类", "发布日期", "公开日期", "有效性", "体裁分类", "组配分类", "信息分类",
                  "生效日期", "发布时间")
_OTHER_LABELS = ("主题词", "服务对象", "公开方式", "公开范围", "公开形式", "公开时限", "信息来源", "来源",
                 "浏览次数", "访问次数", "点击次数", "所属机构", "文种", "废止日期", "关键词", "统一编号",
                 "效力状态", "时效性", "责任部门", "发布人", "字号")
_ALL_LABELS = sorted({*_STRONG_LABELS, *_OTHER_LABELS, *(x for v in _FACT_LABELS.values() for x in v)},
                     key=len, reverse=True)
# A label: not glued to a preceding Chinese character (资金来源： is body text), letters may be spaced out
# (标　　题), followed by a colon, or ending its piece of text (a <th>发文字号</th> cell).
_LABEL_ALTERNATIVES = "|".join(r"[\s\u3000\xa0]*".join(map(re.escape, lab)) for lab in _ALL_LABELS)
_LABEL_RE = re.compile(r"(?<![\u4e00-\u9fff])(" + _LABEL_ALTERNATIVES + r")[\s\u3000\xa0]*(?:[:：]|$)")
# Inline formatting that does not separate a label from its value.
_JOINING = frozenset(("a", "font", "em", "i", "u", "sup", "sub", "small", "big", "tt", "s", "strike", "ins",
                      "mark"))
_META_DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_SPACE_RUN = re.compile(r"[\s\u3000\xa0]+")


def _atoms(el: _Element) -> list[str]:
    """The element's text in pieces, split at every element boundary except inline formatting."""
    out: list[str] = []
    buf: list[str] = []

    def cut() -> None:
        s = _SPACE_RUN.sub(" ", "".join(buf)).strip()
        buf.clear()
        if s:
            out.append(s)

    def rec(e: _Element) -> None:
        joins = isinstance(e.tag, str) and e.tag in _JOINING
        if not joins:
            cut()
        if e.text:
            buf.append(e.text)
        for c in e:
            rec(c)
            if c.tail:
                buf.append(c.tail)
        if not joins:
            cut()

    rec(el)
    cut()
    return out


def _label_pairs(atoms: list[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    pending: str | None = None
    for atom in atoms:
        ms = list(_LABEL_RE.finditer(atom))
        if not ms:
            if pending is not None:
                found[pending] = found[pending] or atom
                pending = None
            continue
        head = atom[:ms[0].start()].strip()
        if pending is not None and head:
            found[pending] = found[pending] or head
        pending = None
        for k, m in enumerate(ms):
            label = _SPACE_RUN.sub("", m.group(1))
            end = ms[k + 1].start() if k + 1 < len(ms) else len(atom)
            value = atom[m.end():end].strip(" \t:：|｜")
            found.setdefault(label, None)
            if value and value not in ("无", "-", "/", "暂无", "—"):
                found[label] = found[label] or value
                pending = None
            else:
                pending = label
    return found


class _Meta:
    def __init__(self) -> None:
        self.doc_number: str | None = None
        self.date: str | None = None
        self.issuer: str | None = None
        self.title: str | None = None

    def take(self, pairs: dict[str, str | None]) -> None:
        def first(field: str) -> list[str]:
            return [v for lab in _FACT_LABELS[field] if (v := pairs.get(lab))]

        for v in first("doc_number"):
            m = DOC_NO_RE.search(_compact(v))
            if m and self.doc_number is None:
                self.doc_number = m.group(0)
        for v in first("date"):
            m = _META_DATE.search(v)
            if m and self.date is None:
                try:
                    day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    continue
                self.date = f"{day.year}年{day.month}月{day.day}日"
        for v in first("issuer"):
            c = _compact(v)
            if self.issuer is None and 2 <= len(c) <= 40:
                self.issuer = c
        for v in first("title"):
            c = _SPACE_RUN.sub(" ", v).strip()
            if self.title is None and 4 <= len(c) <= 120:
                self.title = c


def _read_metadata(body: _Element, project_tables: set[_Element]) -> _Meta:
    """Find the page's metadata blocks (module doc), read them and remove them from the page."""
    meta = _Meta()
    cands: dict[_Element, dict[str, str | None]] = {}
    if not _LABEL_RE.search(_text_content(body)):
        return meta
    stack = [body]
    while stack:  # every element outside the project tables
        for el in stack.pop():
            if not isinstance(el.tag, str) or el in project_tables:
                continue
            stack.append(el)
            if el.tag in ("br", "tr", "tbody", "thead"):
                continue
            text = _text_content(el)
            if len(text) > MAX_META_CHARS or not _LABEL_RE.search(text):
                continue
            if any(t in project_tables for t in el.iter("table")):
                continue
            pairs = _label_pairs(_atoms(el))
            if len(pairs) >= 2 and any(lab in pairs for lab in _STRONG_LABELS):
                cands[el] = pairs
    # The lowest element carrying each set of labels; then the outermost of those.
    lowest = [el for el, pairs in cands.items()
              if not any(d in cands and cands[d].keys() == pairs.keys() for d in el.iterdescendants())]
    chosen = set(lowest)
    final = [el for el in lowest if not any(a in chosen for a in el.iterancestors())]
    for el in final:
        meta.take(cands[el])
        _drop(el)
    return meta


# ----------------------------------------------------------------------------------- text of blocks

_BLOCK = frozenset(("address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
                    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
                    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
                    "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
                    "tfoot", "th", "thead", "tr", "ul"))
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_FILE_LINK = re.compile(r"\.(?:docx?|xlsx?|et|wps|pdf|ofd|zip|rar|7z|txt|csv)(?:[?#].*)?$", re.I)
_COLLAPSIBLE = re.compile(r"[ \t\r\n\f]+")
_LINK_SEPARATORS = re.compile(r"[\s\xa0\u3000|｜/·•>»›<«‹\-—_,，、;；:：()（）\[\]【】《》.。]+")
# Page furniture that may sit inside the article: matched against a short line with its spaces removed.
_CHROME_RE = re.compile(
    r"^[【\[]?(?:分享到|分享至|打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|上一篇|下一篇|上一条|下一条|"
    r"网站标识码|主办单位|承办单位|版权所有|技术支持|当前位置|您当前的位置|您现在的位置|您的位置|"
    r"字体|字号|扫一扫|返回顶部|收藏本页|Copyright|©)"
)
_CHROME_ANYWHERE = ("ICP备", "公网安备", "网站标识码", "网站地图")


def _wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def _collapse(raw: str) -> str:
    """HTML whitespace: each run is one space, except that a source line break beside a Chinese character is
    nothing: it is where an editor wrapped the line (Word wraps its HTML at ~80 columns, inside words and
    between 2023 and 年), not a space in the text."""
    if not _COLLAPSIBLE.search(raw):
        return raw

    def rep(m: re.Match[str]) -> str:
        run = m.group(0)
        a = raw[m.start() - 1] if m.start() else ""
        b = raw[m.end()] if m.end() < len(raw) else ""
        if ("\n" in run or "\r" in run) and (a and _wide(a) or b and _wide(b)):
            return ""
        return " "

    return _COLLAPSIBLE.sub(rep, raw)


def _lines(raw: str) -> list[str]:
    text = _collapse(raw).replace("\xa0", " ").replace("\u3000", " ")
    return [ln.strip() for ln in text.split(_BR) if ln.strip()]


def _compact(text: str) -> str:
    return _SPACE_RUN.sub("", text)


def _stands_alone(line: str) -> bool:
    c = _compact(line)
    return bool(parse_date(c) or (len(c) <= 40 and DOC_NO_RE.search(c)) or re.fullmatch(r"附件\d*[:：]?", c))


def _paragraphs_of(lines: list[str]) -> list[str]:
    """A block's <br>-separated lines as paragraphs (see the module's doc)."""
    if len(lines) == 1:
        return lines
    out: list[str] = []
    group: list[str] = []

    def end_group() -> None:
        if len(group) <= 3 and len(_compact("".join(group))) <= 120:
            if group:
                out.append("\n".join(group))
        else:
            out.extend(group)
        group.clear()

    for ln in lines:
        if _stands_alone(ln):
            end_group()
            out.append(ln)
        else:
            group.append(ln)
    end_group()
    return out


def _is_chrome(paragraph: str) -> bool:
    c = _compact(paragraph)
    return len(c) <= 80 and (bool(_CHROME_RE.match(c)) or any(w in c for w in _CHROME_ANYWHERE))


class _Flow:
    """Walks elements in document order into items: ("p", paragraph) and ("t", Table)."""

    def __init__(self, tables: dict[_Element, Table] | None = None, *, filter_chrome: bool = True):
        self.tables = tables or {}
        self.filter_chrome = filter_chrome
        self.items: list[tuple[str, object]] = []
        self._pieces: list[tuple[str, str | None]] = []  # (text, link kind: None, "page", "file")

    def flush(self, block_tag: str | None = None) -> None:
        pieces, self._pieces = self._pieces, []
        if not pieces:
            return
        lines = _lines("".join(t for t, _ in pieces))
        if not lines:
            return
        if not self.filter_chrome:
            self.items.append(("p", "\n".join(lines)))
            return
        own = _LINK_SEPARATORS.sub("", "".join(t for t, k in pieces if k != "page" and t != _BR))
        linked = _LINK_SEPARATORS.sub("", "".join(t for t, k in pieces if k == "page"))
        if linked and not own and block_tag not in _HEADINGS:
            return  # a block of links to other pages: a menu, a list of related documents
        for para in _paragraphs_of(lines):
            if not _is_chrome(para):
                self.items.append(("p", para))

    def walk(self, el: _Element, link: str | None = None, pre: bool = False) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == "br":
            self._pieces.append((_BR, link))
            return
        if el in self.tables:
            self.flush()
            self.items.append(("t", self.tables[el]))
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        if tag == "a" and el.get("href") is not None:
            href = el.get("href", "").strip()
            link = "file" if _FILE_LINK.search(href.split("?")[0]) else "page"
        pre = pre or tag == "pre"
        self._text(el.text, link, pre)
        for child in el:
            self.walk(child, link, pre)
            self._text(child.tail, link, pre)
        if block:
            self.flush(tag)

    def _text(self, text: str | None, link: str | None, pre: bool) -> None:
        if text:
            self._pieces.append((text.replace("\n", _BR) if pre else text, link))


# ------------------------------------------------------------------------------------------- tables


def _cell_text(td: _Element) -> str:
    if len(td) == 0:  # the common cell: text only
        return "\n".join(_lines(td.text or ""))
    flow = _Flow(filter_chrome=False)
    flow.walk(td)
    flow.flush()
    return "\n".join(str(t) for _, t in flow.items)


def _span(value: str | None, limit: int) -> int:
    if value is None:
        return 1
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return limit if n == 0 else max(1, min(n, limit))


def _read_table(table: _Element, name: str, path: Path) -> list[list[Cell]]:
    trs = [tr for tr in table.iter("tr")]
    if len(trs) > MAX_ROWS:
        raise _failure(name, path, f"的表格共有 {len(trs)} 行，超出 {MAX_ROWS} 行的上限：请确认文件是否正确。")
    n = len(trs)
    grid: list[dict[int, Cell]] = [{} for _ in range(n)]
    positions = 0
    for r, tr in enumerate(trs):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while c in grid[r]:
                c += 1
            rs = _span(td.get("rowspan"), n - r)  # rowspan=0: to the end of the table
            cs = _span(td.get("colspan"), MAX_COLSPAN)
            positions += rs * cs
            if positions > MAX_GRID_CELLS:
                raise _failure(name, path, "中的表格过大（合并单元格范围异常），超出可读范围：请确认文件是否正确。")
            try:
                cell = Cell(_norm_cell_text(_cell_text(td)), r, c)
            except ImportFailure as exc:
                raise _failure(name, path, f"：{exc.message}") from None
            for i in range(r, r + rs):
                row = grid[i]
                for j in range(c, c + cs):
                    row.setdefault(j, cell)  # overlapping spans: the cell placed first keeps the position
            c += cs
    rows: list[list[Cell]] = []
    for r, row in enumerate(grid):
        width = max(row) + 1 if row else 0
        rows.append([row.get(j) or Cell("", r, j) for j in range(width)])
    return rows


def _leaf_tables(root: _Element) -> list[_Element]:
    """Tables holding no other table: the candidates for data. A table around tables is page layout."""
    return [t for t in root.iter("table") if next(t.iterdescendants("table"), None) is None]


def _is_grid(rows: list[list[Cell]]) -> bool:
    """At least two rows and two columns: a one-row or one-column table is a frame around text."""
    return len(rows) >= 2 and max((len({id(c) for c in r}) for r in rows), default=0) >= 2


def _project_header(table: Table) -> ColumnMap | None:
    cmap = find_header(table)
    return cmap if cmap is not None and "name" in cmap.columns else None


def _row_text(row: list[Cell]) -> str:
    seen: list[Cell] = []
    for c in row:
        if c.text and all(c is not o for o in seen):
            seen.append(c)
    return " ".join(c.text.replace("\n", " ") for c in seen).strip()


def _is_title_row(text: str) -> bool:
    c = _compact(text)
    return bool(_ATTACHMENT_LABEL.match(c)) or (len(c) <= 60 and any(w in c for w in _TITLE_WORDS))


def _lift_title_rows(table: Table, cmap: ColumnMap) -> list[str]:
    """A sheet's title rows saved inside the table ("附件", "武隆区2023年度民生实事目标任务" above the header)
    → the paragraphs before the table, as the .docx has them. Rows from the top down to the last one that is
    such a title; a note between it and the header (单位：万元) stays in the table, where it was."""
    start = cmap.first_data_row - len(cmap.header_rows)
    cut = max((r + 1 for r in range(start) if _is_title_row(_row_text(table.rows[r]))), default=0)
    if cut == 0:
        return []
    above = {id(c) for row in table.rows[:cut] for c in row}
    if any(id(c) in above for row in table.rows[cut:] for c in row):
        return []  # a cell spans the title rows and what follows: leave the table as it is
    lifted = [t for row in table.rows[:cut] if (t := _row_text(row))]
    table.rows = table.rows[cut:]
    moved: set[int] = set()
    for row in table.rows:
        for c in row:
            if id(c) not in moved:
                moved.add(id(c))
                c.row -= cut
    return lifted


# ------------------------------------------------------------------------------ finding the article


def _is_title_text(text: str) -> bool:
    c = _compact(text)
    return "关于" in c and bool(NOTICE_END_RE.search(c)) and len(c) < 120


_TITLE_HOLDERS = (_BLOCK | {"span", "strong", "b", "font"}) - {"body", "html"}


def _first_title(body: _Element, target: _Element,
                 data: dict[_Element, Table]) -> _Element | None:
    """The first element before the target table whose text is a notice title (关于…的通知), not a link."""
    for el in _iter_outside(body, target, data):
        if el.tag not in _TITLE_HOLDERS:
            continue
        text = _text_content(el)
        if len(text) > 400 or not _is_title_text(text):
            continue
        if any(a.tag == "a" for a in el.iterancestors()) or next(el.iter("a"), None) is not None:
            continue
        return el
    return None


def _iter_outside(body: _Element, stop: _Element,
                  data: dict[_Element, Table]) -> Iterator[_Element]:
    """Elements in document order up to ``stop``, not looking inside the data tables."""
    stack = [body]
    while stack:
        el = stack.pop()
        if el is stop:
            return
        if not isinstance(el.tag, str):
            continue
        yield el
        if el in data:
            continue
        stack.extend(reversed(list(el)))


# Words in a class or id that name an article's container (TRS_Editor → trs, editor; "zw" is 正文).
_ARTICLE_WORDS = frozenset(("article", "content", "contents", "editor", "zw", "view", "detail", "details",
                            "text", "zoom", "con", "wzxq", "xxgk"))


def _content_container(target: _Element, body: _Element) -> _Element:
    """Without a title to anchor on: the nearest container of the table named like an article's that holds
    text of its own besides the table; else the page's body."""
    table_text = len(_compact(_text_content(target)))
    for anc in target.iterancestors():
        if anc is body:
            break
        words = {w for attr in ("class", "id") for w in _words(anc.get(attr) or "")}
        if words & _ARTICLE_WORDS and len(_compact(_text_content(anc))) - table_text >= 20:
            return anc
    return body


def _common_ancestor(a: _Element, b: _Element) -> _Element:
    chain = {id(x) for x in [a, *a.iterancestors()]}
    for x in [b, *b.iterancestors()]:
        if id(x) in chain:
            return x
    return a.getroottree().getroot()


# ------------------------------------------------------------------------------ facts from metadata

_PUBLIC_NOTE = re.compile(r"^[（(]此件.{0,12}[）)]$")


def _closing_position(items: list[tuple[str, object]], t_idx: int) -> tuple[int, bool]:
    """Where a notice's signature and date go: after its signature line if it has one (→ True), else after
    the body, before the attachment's label and title. Positions are in ``items``; ``t_idx``: the table."""
    start = max((i for i in range(t_idx) if items[i][0] == "t"), default=-1) + 1
    paras = [(i, _compact(str(items[i][1]))) for i in range(start, t_idx) if items[i][0] == "p"]
    # The attachment block: its label and title right above the table, and a (此件公开发布) note above them.
    block = t_idx
    k = len(paras) - 1
    if k >= 0 and any(w in paras[k][1] for w in _TITLE_WORDS) and len(paras[k][1]) <= 60:
        block = paras[k][0]
        k -= 1
    if k >= 0 and _ATTACHMENT_LABEL.match(paras[k][1]):
        block = paras[k][0]
        k -= 1
    while k >= 0 and _PUBLIC_NOTE.match(paras[k][1]):
        block = paras[k][0]
        k -= 1
    for j in range(k, -1, -1):
        i, c = paras[j]
        follows = paras[j + 1][1] if j + 1 < len(paras) else ""
        if len(c) <= 40 and "：" not in c and ":" not in c and ISSUER_END_RE.search(c) \
                and not follows.startswith("关于"):
            return i + 1, True
        if len(c) > 40:  # reached the body's text: no signature below it
            break
    return block, False


def _supply_facts(items: list[tuple[str, object]], meta: _Meta, t_idx: int | None) -> None:
    """Put the metadata's 文号 / title / issuer / date where the notice has them, for those it lacks."""
    if not (meta.doc_number or meta.date or meta.issuer or meta.title):
        return
    facts = read_notice([str(t) for k, t in items if k == "p"])
    end = t_idx if t_idx is not None else len(items)
    if meta.date and facts.issued_on is None:
        pos, signed = _closing_position(items, end)
        lines = [meta.date]
        issuer = facts.issuer or meta.issuer
        if issuer and not signed:
            # The signature above the date, as notices print it: read_notice takes the issuer from the line
            # above the date, so it must not be whatever body line happens to be there.
            lines.insert(0, issuer)
        items[pos:pos] = [("p", x) for x in lines]
    elif meta.issuer and facts.issuer is None and facts.issued_on is not None:
        dates = [i for i, (k, t) in enumerate(items) if k == "p" and parse_date(str(t))]
        if dates:
            items.insert(dates[-1], ("p", meta.issuer))
    top: list[tuple[str, object]] = []
    if meta.doc_number and facts.doc_number is None:
        top.append(("p", meta.doc_number))
    if meta.title and facts.notice_title is None:
        top.append(("p", meta.title))
    items[0:0] = top


# ------------------------------------------------------------------------------------------- reader


def read_html(path: Path, progress: Progress) -> SourceDocument:
    """A saved web page (.html/.htm) or a single-file web archive (.mht/.mhtml) → SourceDocument, kind
    "html". Raises ImportFailure with one Chinese line naming the file."""
    path = Path(path)
    name = path.name
    progress.check()
    root = _parse(path, name)
    found = root.find("body")
    body = found if found is not None else root
    _drop_never_content(root)
    progress.check()

    # Every candidate data table, read once; the project tables are the ones with a recognisable header.
    grids: dict[_Element, Table] = {}
    headers: dict[_Element, ColumnMap] = {}
    for t in _leaf_tables(body):
        rows = _read_table(t, name, path)
        if _is_grid(rows):
            grids[t] = Table(rows=rows)
            cmap = _project_header(grids[t])
            if cmap is not None:
                headers[t] = cmap
    meta = _read_metadata(body, set(headers))
    keep: set[_Element] = set()
    inside: set[_Element] = set()
    for t in headers:
        keep.add(t)
        keep.update(t.iterancestors())
        inside.update(t.iter())
    _drop_chrome(body, keep, inside)
    grids = {t: g for t, g in grids.items() if _attached(t, root)}
    headers = {t: c for t, c in headers.items() if t in grids}

    # The target: the table parse_source will pick (most header fields, then most rows).
    def score(t: _Element) -> int:
        return len(headers[t].columns) * 1000 + len(grids[t].rows) - headers[t].first_data_row

    target = max(headers, key=score, default=None)
    article = body
    if target is not None:
        title = _first_title(body, target, grids)
        article = _common_ancestor(title, target) if title is not None else _content_container(target, body)
    progress.check()

    flow = _Flow(grids)
    flow.walk(article)
    flow.flush()
    items = flow.items
    for i in range(len(items) - 1, -1, -1):
        kind, obj = items[i]
        if kind == "t":
            table = obj
            assert isinstance(table, Table)
            cmap = _project_header(table)
            if cmap is not None:
                lifted = _lift_title_rows(table, cmap)
                items[i:i] = [("p", x) for x in lifted]
    t_idx = next((i for i, (k, obj) in enumerate(items)
                  if k == "t" and target is not None and obj is grids[target]), None)
    _supply_facts(items, meta, t_idx)

    doc = SourceDocument(kind="html", paragraphs=[], tables=[])
    before: list[str] = []
    for kind, obj in items:
        if kind == "p":
            before.append(str(obj))
            doc.paragraphs.append(str(obj))
        else:
            assert isinstance(obj, Table)
            obj.paragraphs_before = list(before)
            doc.tables.append(obj)
            before = []
    doc.paragraphs_after = before
    return doc


def _attached(el: _Element, root: _Element) -> bool:
    """Still in the page (not inside something removed as chrome or metadata)."""
    top = el
    for top in el.iterancestors():
        pass
    return top is root
