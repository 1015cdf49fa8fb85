"""A 政府信息公开 page's metadata (the "信息公开" info block: 索引号, 发布机构, 发文字号, 成文日期,
标题 … as table cells, list items or label/value spans): found, read into facts and removed from the page;
and the facts the notice's own text lacks (文号, title, issuer, date) put back as paragraphs where the
notice has them, so that notice.read_notice finds them as in the .docx.
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree as _etree

from .html_clean import drop
from .html_text import ATTACHMENT_LABEL, SPACE_RUN, TITLE_WORDS, compact, text_content
from .notice import DOC_NO_RE, ISSUER_END_RE, parse_date, read_notice

_Element = _etree._Element

MAX_META_CHARS = 1500  # a page's metadata block is a few hundred characters

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


def _atoms(el: _Element) -> list[str]:
    """The element's text in pieces, split at every element boundary except inline formatting."""
    out: list[str] = []
    buf: list[str] = []

    def cut() -> None:
        s = SPACE_RUN.sub(" ", "".join(buf)).strip()
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
            label = SPACE_RUN.sub("", m.group(1))
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
            m = DOC_NO_RE.search(compact(v))
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
            c = compact(v)
            if self.issuer is None and 2 <= len(c) <= 40:
                self.issuer = c
        for v in first("title"):
            c = SPACE_RUN.sub(" ", v).strip()
            if self.title is None and 4 <= len(c) <= 120:
                self.title = c


def read_metadata(body: _Element, project_tables: set[_Element]) -> _Meta:
    """Find the page's metadata blocks (module doc), read them and remove them from the page."""
    meta = _Meta()
    cands: dict[_Element, dict[str, str | None]] = {}
    if not _LABEL_RE.search(text_content(body)):
        return meta
    stack = [body]
    while stack:  # every element outside the project tables
        for el in stack.pop():
            if not isinstance(el.tag, str) or el in project_tables:
                continue
            stack.append(el)
            if el.tag in ("br", "tr", "tbody", "thead"):
                continue
            text = text_content(el)
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
        drop(el)
    return meta


# ------------------------------------------------------------------------------ facts from metadata

_PUBLIC_NOTE = re.compile(r"^[（(]此件.{0,12}[）)]$")


def _closing_position(items: list[tuple[str, object]], t_idx: int) -> tuple[int, bool]:
    """Where a notice's signature and date go: after its signature line if it has one (→ True), else after
    the body, before the attachment's label and title. Positions are in ``items``; ``t_idx``: the table."""
    start = max((i for i in range(t_idx) if items[i][0] == "t"), default=-1) + 1
    paras = [(i, compact(str(items[i][1]))) for i in range(start, t_idx) if items[i][0] == "p"]
    # The attachment block: its label and title right above the table, and a (此件公开发布) note above them.
    block = t_idx
    k = len(paras) - 1
    if k >= 0 and any(w in paras[k][1] for w in TITLE_WORDS) and len(paras[k][1]) <= 60:
        block = paras[k][0]
        k -= 1
    if k >= 0 and ATTACHMENT_LABEL.match(paras[k][1]):
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


def supply_facts(items: list[tuple[str, object]], meta: _Meta, t_idx: int | None) -> None:
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
