"""The cover letter (报送函, or 报告 by setting) in the GB/T 9704 layout, A4 portrait."""

from __future__ import annotations


from docx import Document

from .data import MonthData, cn_numeral, official_date
from .layout import full_title
from .official import (
    BODY, HEI, KAI, LINE_PT, SIZE_2, SIZE_3, TITLE, add_run, document_bytes,
    fmt_par, keep_together, para, setup_document, text_width,
)
from .summary import lag_sentence, lagging, overview

CHAR = SIZE_3  # one character of 3号 text, in points
LINE1, LINE2 = LINE_PT, 2 * LINE_PT


def letter_title(data: MonthData) -> str:
    return f"关于报送{data.sender}{data.year}年{data.month_no}月民生实事推进情况的{data.letter_kind}"


def _title_lines(title: str) -> list[str]:
    """Break a long title where the sense allows (before 民生实事), a trapezoid rather than a ragged line."""
    if text_width(title) <= 19:
        return [title]
    cut = title.find("民生实事")
    if 0 < cut and text_width(title[:cut]) <= 19 and text_width(title[cut:]) <= 19:
        return [title[:cut], title[cut:]]
    return [title]


def _purpose(data: MonthData) -> str:
    t = data.target_list
    verb = "报告" if data.letter_kind == "报告" else "报送"
    scope = "我单位牵头的" if data.unit else ""
    if t.notice_title:
        basis = f"根据《{t.notice_title}》" + (f"（{t.doc_number}）" if t.doc_number else "") + "要求，"
    else:
        basis = f"根据{data.region}{data.year}年民生实事工作安排，"
    return f"{basis}现将{scope}{data.year}年民生实事{data.as_of}推进情况{verb}如下。"


def build_cover_letter(data: MonthData) -> bytes:
    """报送函: title, 主送机关, body summing the month up, 附件 line, signature and date with room for the seal."""
    doc = Document()
    setup_document(doc, landscape=False)
    title = letter_title(data)
    par = doc.add_paragraph()
    fmt_par(par, align="center", line=None, before=LINE2, after=LINE1)
    add_run(par, "\n".join(_title_lines(title)), TITLE, SIZE_2)  # python-docx turns \n into w:br
    addressee = (data.target_list.contact.unit if data.target_list.contact else None) or "发展改革委"
    para(doc, f"{addressee}：")
    para(doc, _purpose(data), first_indent=2 * CHAR)
    para(doc, "一、总体情况", HEI, first_indent=2 * CHAR)
    para(doc, overview(data), first_indent=2 * CHAR)
    lag = lagging(data)
    para(doc, "二、进度滞后项目", HEI, first_indent=2 * CHAR)
    if not lag:
        para(doc, "截至本月底，没有进度滞后的项目。", first_indent=2 * CHAR)
    for i, r in enumerate(lag, start=1):
        par = para(doc, first_indent=2 * CHAR)
        add_run(par, f"（{cn_numeral(i)}）{r.project.name}", KAI)
        add_run(par, f"（牵头单位：{'、'.join(r.project.lead_units)}）。{lag_sentence(r, data)}", BODY)
    closing = len(doc.paragraphs)
    para(doc, "特此函告。" if data.letter_kind == "函" else "特此报告。", first_indent=2 * CHAR)
    para(doc)
    attach = f"附件：{full_title(data)}"
    para(doc, attach, left=5 * CHAR, first_indent=-3 * CHAR)  # wrapped lines align under the name
    date_text = official_date(data.report_date)
    sender = data.sender or "（单位名称）"
    for _ in range(3):  # room for the seal
        para(doc)
    # sealed: date 4 characters in from the right, the signature centred over the date
    date_w, sig_w = text_width(date_text), text_width(sender)
    sig_right = max(0.0, 4 + (date_w - sig_w) / 2)
    para(doc, sender, align="right", right=sig_right * CHAR)
    para(doc, date_text, align="right", right=4 * CHAR)
    if data.reporter_name or data.reporter_phone:
        contact = "，".join(x for x in (f"联系人：{data.reporter_name}" if data.reporter_name else "",
                                        f"联系电话：{data.reporter_phone}" if data.reporter_phone else "") if x)
        para(doc)
        para(doc, f"（{contact}）", first_indent=2 * CHAR)
    keep_together(doc, closing, len(doc.paragraphs) - 1)
    return document_bytes(doc)
