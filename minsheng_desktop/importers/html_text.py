"""The text of a saved web page: elements walked in document order into paragraphs and tables (Flow) — HTML
whitespace collapsed (a source line break beside a Chinese character is nothing), a <br> a line break inside
its paragraph except where a line stands alone (a date, a 文号, an 附件 label) or a block is a body typed as
one, blocks of links to other pages and short lines of page furniture left out — and the small tests of text
the other html_*.py modules share (a notice title, an attachment label, compacted text).
"""

from __future__ import annotations

import re

from lxml import etree as _etree

from .grid import Table
from .notice import DOC_NO_RE, NOTICE_END_RE, parse_date

_Element = _etree._Element

ATTACHMENT_LABEL = re.compile(r"^附件\d*[:：]?$")
TITLE_WORDS = ("民生实事", "目标任务", "民生项目", "实事")  # as reader._attachment_title looks for them

_BR = "\x00"  # stands for <br> while a paragraph's text is collected (NULs are removed from the page first)
SPACE_RUN = re.compile(r"[\s\u3000\xa0]+")
BLOCK = frozenset(("address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
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


def text_content(el: _Element) -> str:
    return "".join(el.itertext())


def is_title_text(text: str) -> bool:
    c = compact(text)
    return "关于" in c and bool(NOTICE_END_RE.search(c)) and len(c) < 120


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


def split_lines(raw: str) -> list[str]:
    text = _collapse(raw).replace("\xa0", " ").replace("\u3000", " ")
    return [ln.strip() for ln in text.split(_BR) if ln.strip()]


def compact(text: str) -> str:
    return SPACE_RUN.sub("", text)


def _stands_alone(line: str) -> bool:
    c = compact(line)
    return bool(parse_date(c) or (len(c) <= 40 and DOC_NO_RE.search(c)) or re.fullmatch(r"附件\d*[:：]?", c))


def _paragraphs_of(lines: list[str]) -> list[str]:
    """A block's <br>-separated lines as paragraphs (see the module's doc)."""
    if len(lines) == 1:
        return lines
    out: list[str] = []
    group: list[str] = []

    def end_group() -> None:
        if len(group) <= 3 and len(compact("".join(group))) <= 120:
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
    c = compact(paragraph)
    return len(c) <= 80 and (bool(_CHROME_RE.match(c)) or any(w in c for w in _CHROME_ANYWHERE))


class Flow:
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
        lines = split_lines("".join(t for t, _ in pieces))
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
        block = tag in BLOCK
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
