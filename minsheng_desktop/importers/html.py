"""Saved web pages: .html/.htm ("网页，仅 HTML" / "网页，全部", or an office suite's "另存为网页") and
.mht/.mhtml ("网页，单个文件"), read into the neutral grid (grid.SourceDocument, kind "html").

What comes out is what the .docx of the same notice gives (grid.read_docx): the notice's paragraphs in order
and its tables as grids of Cells, a merged (rowspan/colspan) cell being one Cell repeated at every position it
covers. A 政府信息公开 page carries more than the notice, and this reader leaves it out:

* never content: script, style, noscript, template, iframe, object/embed, svg, canvas, audio/video, form
  controls (input, select, textarea, button), and an element styled ``display:none`` that holds no table;
* site chrome: nav, aside, form, menu, and header/footer outside an <article>/<main> (a <header> whose
  heading is the notice's title stays); elements whose class or id has one of the words in
  html_clean._NOISE_WORDS (nav, menu, share, footer, breadcrumb, sidebar, toolbar …; words are split on - _
  and camelCase, so "mainNav" and "bdsharebuttonbox" count, "content" and "navy" do not); none of this ever
  removes an element holding a table with a project header;
* blocks whose text is all links to other pages (menus, "相关文件" lists; a link to an attached file counts
  as text), and short lines of page furniture (分享到…, 打印本页, 关闭窗口, 上一篇, 网站标识码, ICP备案,
  主办单位 …; see html_text._CHROME_RE);
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
sniff.MAX_FILE_BYTES, a page of more than html_file.MAX_TAGS tags is refused before parsing, a table of more
than grid.MAX_ROWS rows or html_tables.MAX_GRID_CELLS positions is refused, and libxml2 caps nesting depth.

The reader's parts: html_file.py (the file to a tree: MHTML, encoding, bounds, parsing), html_clean.py (what
is never content, site chrome), html_meta.py (the page's metadata block, and its facts put back), html_text.py
(elements into paragraphs; the text tests the parts share), html_tables.py (tables into grids, title rows
lifted out). This module finds the article and reads it into a SourceDocument.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree as _etree

from .grid import SourceDocument, Table
from .html_clean import drop_chrome, drop_never_content, name_words
from .html_file import parse
from .html_meta import read_metadata, supply_facts
from .html_tables import is_grid, leaf_tables, lift_title_rows, project_header, read_table
from .html_text import BLOCK, Flow, compact, is_title_text, text_content
from .progress import Progress
from .table import ColumnMap

_Element = _etree._Element

# ------------------------------------------------------------------------------ finding the article

_TITLE_HOLDERS = (BLOCK | {"span", "strong", "b", "font"}) - {"body", "html"}


def _first_title(body: _Element, target: _Element,
                 data: dict[_Element, Table]) -> _Element | None:
    """The first element before the target table whose text is a notice title (关于…的通知), not a link."""
    for el in _iter_outside(body, target, data):
        if el.tag not in _TITLE_HOLDERS:
            continue
        text = text_content(el)
        if len(text) > 400 or not is_title_text(text):
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
    table_text = len(compact(text_content(target)))
    for anc in target.iterancestors():
        if anc is body:
            break
        words = {w for attr in ("class", "id") for w in name_words(anc.get(attr) or "")}
        if words & _ARTICLE_WORDS and len(compact(text_content(anc))) - table_text >= 20:
            return anc
    return body


def _common_ancestor(a: _Element, b: _Element) -> _Element:
    chain = {id(x) for x in [a, *a.iterancestors()]}
    for x in [b, *b.iterancestors()]:
        if id(x) in chain:
            return x
    return a.getroottree().getroot()


# ------------------------------------------------------------------------------------------- reader


def read_html(path: Path, progress: Progress) -> SourceDocument:
    """A saved web page (.html/.htm) or a single-file web archive (.mht/.mhtml) → SourceDocument, kind
    "html". Raises ImportFailure with one Chinese line naming the file."""
    path = Path(path)
    name = path.name
    progress.check()
    root = parse(path, name)
    found = root.find("body")
    body = found if found is not None else root
    drop_never_content(root)
    progress.check()

    # Every candidate data table, read once; the project tables are the ones with a recognisable header.
    grids: dict[_Element, Table] = {}
    headers: dict[_Element, ColumnMap] = {}
    for t in leaf_tables(body):
        rows = read_table(t, name, path)
        if is_grid(rows):
            grids[t] = Table(rows=rows)
            cmap = project_header(grids[t])
            if cmap is not None:
                headers[t] = cmap
    meta = read_metadata(body, set(headers))
    keep: set[_Element] = set()
    inside: set[_Element] = set()
    for t in headers:
        keep.add(t)
        keep.update(t.iterancestors())
        inside.update(t.iter())
    drop_chrome(body, keep, inside)
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

    flow = Flow(grids)
    flow.walk(article)
    flow.flush()
    items = flow.items
    for i in range(len(items) - 1, -1, -1):
        kind, obj = items[i]
        if kind == "t":
            table = obj
            assert isinstance(table, Table)
            cmap = project_header(table)
            if cmap is not None:
                lifted = lift_title_rows(table, cmap)
                items[i:i] = [("p", x) for x in lifted]
    t_idx = next((i for i, (k, obj) in enumerate(items)
                  if k == "t" and target is not None and obj is grids[target]), None)
    supply_facts(items, meta, t_idx)

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
