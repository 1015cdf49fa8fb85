"""The cover letter (报送函, or 报告 by setting) in the GB/T 9704 layout, A4 portrait.

Addressed to the office by its name (TargetList.office: the notice's contact unit, else 区/县发展改革委 by the
region's type). The closing block — 特此函告, 附件, the unit and the date — stays with the body: when the whole
letter is a few lines longer than a page its line spacing is tightened a little (GB/T 9704 7.3.5: 调整行距), and
otherwise the last lines of the body go over to the next page with it, so it never stands alone there."""

from __future__ import annotations

import math

from docx import Document
from docx.text.paragraph import Paragraph

from .data import MonthData, book_title, cn_numeral, official_date
from .layout import full_title
from .official import (
    BODY, HEI, KAI, LINE_PT, SIZE_2, SIZE_3, TITLE, add_run, document_bytes, fmt_par, para, setup_document,
)
from .summary import lag_sentence, lagging, overview
from .textwidth import layout_width, text_width

CHAR = SIZE_3  # one character of 3号 text, in points
LINE1, LINE2 = LINE_PT, 2 * LINE_PT
PAGE_PT = 225 / 25.4 * 72  # the portrait type area's height
CHARS_PER_LINE = 27  # 3号 characters across the 156 mm type area (28 on Word's document grid)
TITLE_LINE_PT = 32.0  # a 2号 title line at single spacing (LibreOffice with Noto fonts; Word ~29)
MIN_LINE_PT = 24.0  # the tightest line spacing used to keep a letter on one page (1.5 lines of 3号)
SEAL_LINES = 2  # blank lines above the signature: the seal's top within a line of the body (GB/T 9704 7.3.5.1)
BLANK = "＿" * 6  # a line to write on (full-width low lines: seen in every program, also at a line's end)


def letter_title(data: MonthData) -> str:
    return f"关于报送{data.sender}{data.year}年{data.month_no}月民生实事推进情况的{data.letter_kind}"


TITLE_CHARS = 19.5  # 2号 characters across the type area, with room to spare


def title_lines(title: str) -> list[str]:
    """Break a long title where the sense allows (before 民生实事), a trapezoid rather than a ragged line."""
    if layout_width(title) <= TITLE_CHARS:
        return [title]
    for word in ("民生实事", "推进情况", "的"):
        cut = title.find(word)
        if 0 < cut and layout_width(title[:cut]) <= TITLE_CHARS and layout_width(title[cut:]) <= TITLE_CHARS:
            return [title[:cut], title[cut:]]
    return [title]


def basis_phrase(data: MonthData, what: str = "要求") -> str:
    """根据《…关于印发〈…〉的通知》（…号）要求，— the notice's title with nested titles in 〈〉."""
    target_list = data.target_list
    if not target_list.notice_title:
        return f"根据{data.region}{data.year}年民生实事工作安排，"
    number = f"（{target_list.doc_number}）" if target_list.doc_number else ""
    return f"根据{book_title(target_list.notice_title)}{number}{what}，"


def _purpose(data: MonthData) -> str:
    verb = "报告" if data.letter_kind == "报告" else "报送"
    scope = "我单位牵头的" if data.unit else ""
    return f"{basis_phrase(data)}现将{scope}{data.year}年民生实事{data.as_of}推进情况{verb}如下。"


def text_lines(text: str, indent: float = 2, hanging: float = 0) -> int:
    """Lines a 3号 paragraph takes in the type area (first line indented ``indent`` characters)."""
    width = layout_width(text)
    first = CHARS_PER_LINE - indent
    if width <= first:
        return 1
    return 1 + math.ceil((width - first) / (CHARS_PER_LINE - hanging))


def closing_spacing(title_pt: float, body_lines: int, block_lines: int) -> float:
    """The line spacing at which the closing block fits on the page where the body ends: the standard 28.95 pt
    when it does, else the widest down to MIN_LINE_PT that makes it (GB/T 9704 7.3.5: 调整行距); where none
    does, the standard, and the block takes the body's last lines over to the next page with it."""
    steps = [LINE_PT, *(x / 2 for x in range(int(LINE_PT * 2) - 1, int(MIN_LINE_PT * 2) - 1, -1))]
    for pitch in steps:
        first = int((PAGE_PT - title_pt) // pitch)
        per_page = int(PAGE_PT // pitch)
        used = body_lines if body_lines <= first else (body_lines - first) % per_page or per_page
        room = first if body_lines <= first else per_page
        if used + block_lines + 1 <= room:  # a line to spare: the estimate of wrapped lines is not exact
            return pitch
    return LINE_PT


def build_cover_letter(data: MonthData) -> bytes:
    """报送函: title, 主送机关, body summing the month up, 附件 line, signature and date with room for the seal."""
    title = letter_title(data)
    heading = title_lines(title)
    lag = lagging(data)
    body: list[tuple[str, list[tuple[str, str]]]] = [  # (kind, runs of (text, font))
        ("plain", [(f"{data.office}：", BODY)]),
        ("para", [(_purpose(data), BODY)]),
        ("head", [("一、总体情况", HEI)]),
        ("para", [(overview(data), BODY)]),
        ("head", [("二、进度滞后项目", HEI)]),
    ]
    if not lag:
        body.append(("para", [("截至本月底，没有进度滞后的项目。", BODY)]))
    for i, r in enumerate(lag, start=1):
        body.append(("para", [(f"（{cn_numeral(i)}）{r.project.name}", KAI),
                              (f"（牵头单位：{'、'.join(r.project.lead_units)}）。{lag_sentence(r, data)}", BODY)]))
    closing = "特此函告。" if data.letter_kind == "函" else "特此报告。"
    attach = f"附件：{full_title(data)}"
    sender = data.sender
    date_text = official_date(data.report_date)
    contact = contact_runs(data)

    body_lines = sum(1 if kind in ("plain", "head") else text_lines("".join(t for t, _ in runs))
                     for kind, runs in body)
    block_lines = 1 + 1 + text_lines(attach, 5, 5) + SEAL_LINES + 2 + (1 if contact else 0)
    line = closing_spacing(len(heading) * TITLE_LINE_PT + LINE1, body_lines, block_lines)

    doc = Document()
    setup_document(doc, landscape=False)
    par = doc.add_paragraph()
    fmt_par(par, align="center", line=None, after=LINE1)  # no 版头 above it: the title opens the page
    add_run(par, "\n".join(heading), TITLE, SIZE_2)  # python-docx turns \n into w:br
    pars = []
    for kind, runs in body:
        par = para(doc, first_indent=0 if kind == "plain" else 2 * CHAR, line=line)
        for text, font in runs:
            add_run(par, text, font)
        pars.append((kind, par))
    # the closing block keeps with the last lines of the body (which may go over to the next page with it)
    last_kind, last = pars[-1]
    last.paragraph_format.widow_control = True
    last.paragraph_format.keep_with_next = True
    if len(pars) > 1 and pars[-2][0] == "head":
        pars[-2][1].paragraph_format.keep_with_next = True
    block = [para(doc, closing, first_indent=2 * CHAR, line=line), para(doc, line=line),
             para(doc, attach, left=5 * CHAR, first_indent=-3 * CHAR, line=line)]  # wrapped lines under the name
    block += [para(doc, line=line) for _ in range(SEAL_LINES)]
    block += signature(doc, sender, date_text, line=line)
    if contact:  # 附注: in brackets on the line under the date, two characters in
        par = para(doc, first_indent=2 * CHAR, line=line)
        for text, blank in contact:
            add_run(par, text, BODY, underline=blank)
        block.append(par)
    for p in block[:-1]:
        p.paragraph_format.keep_with_next = True
    return document_bytes(doc)


def document_title(doc: Document, title: str, after: float) -> Paragraph:  # type: ignore[valid-type]
    """The document's title, centred in 小标宋 二号, broken where title_lines breaks it, ``after`` points below."""
    par = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt_par(par, align="center", line=None, after=after)
    add_run(par, "\n".join(title_lines(title)), TITLE, SIZE_2)  # python-docx turns \n into w:br
    return par


def signature(doc: Document, sender: str | None, date_text: str,  # type: ignore[valid-type]
              line: float | None = None) -> list[Paragraph]:
    """The unit and the date under a sealed document: the date 4 characters in from the right, the unit centred
    over it (GB/T 9704 7.3.5.1); an unknown unit is a line to write on. For the letter, the reports and tables."""
    sig_right = max(0.0, 4 + (text_width(date_text) - text_width(sender or BLANK)) / 2)
    kw = {} if line is None else {"line": line}
    return [para(doc, sender or BLANK, align="right", right=sig_right * CHAR, **kw),
            para(doc, date_text, align="right", right=4 * CHAR, **kw)]


def contact_runs(data: MonthData) -> list[tuple[str, bool]]:
    """（联系人：张三，联系电话：023-…）; an unknown one is a line to write on (underlined blank)."""
    return [("（联系人：", False), (data.reporter_name or BLANK, False),
            ("，联系电话：", False), (data.reporter_phone or BLANK, False), ("）", False)]
