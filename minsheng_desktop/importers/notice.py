"""Read a notice's own facts from its body text: title, issuer, 文号, date, contact, reporting deadline."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from ..domain.model import Contact, ReportDue

DOC_NO_RE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*\d{1,4}\s*号")
DATE_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
COMPACT_DATE_RE = re.compile(r"^(20\d{2})(\d{1,2})(\d{1,2})$")
NOTICE_END_RE = re.compile(r"(通知|意见|函|决定|办法|方案|通报)$")
ISSUER_END_RE = re.compile(r"(办公室|办公厅|人民政府|办事处|委员会|委|局|政府)$")
YEAR_RE = re.compile(r"(20\d{2})\s*年")
REGION_RE = re.compile(r"([^\s\d\W市省区县年的和及关于在全各本我_]{2,10}?自治县|[^\s\d\W市省区县年的和及关于在全各本我_]{2,6}?(?:区|县|旗))")
_VERB_PREFIX_RE = re.compile(r"^(?:印发|转发|做好|下达|公布|实施|推进|开展)")
NOT_REGIONS = {"城区", "社区", "小区", "片区", "园区", "景区", "辖区", "山区", "库区", "度假区", "新区", "校区",
               "街区", "市区", "郊区", "城乡", "开发区"}
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PHONE_RE = re.compile(r"(?:电话|手机|联系方式)\s*[：:]?\s*((?:\d[\d\-－—\s]{5,}\d)(?:\s*[、/，,]\s*\d[\d\-－]{5,}\d)*)")
NAME_RE = re.compile(r"联\s*系\s*人\s*[：:]?\s*([\u4e00-\u9fff·]{2,5}?)(?=\s*[；;，,、）)\s]|\s*电话|\s*联系|$)")
UNIT_BEFORE_CONTACT_RE = re.compile(
    r"(?:报送?|报给|报至|送|交|发送至|发至)\s*([\u4e00-\u9fff（）()]{2,20}?(?:发展改革委|发展和改革委员会|发改委|发改局|"
    r"督查室|督查办|办公室|[委局办]))\s*[（(]\s*联\s*系\s*人"
)

CONTACT_UNIT_RE = re.compile(r"(?:联系单位|报送单位|牵头汇总单位|汇总单位)[：:]([\u4e00-\u9fff（）()]{2,20}?)(?=[；;，,。、\s]|$)")
# The unit a report goes to, in a sentence that names no contact person: 每月5日前报送区发展改革委。
REPORT_TO_RE = re.compile(
    r"(?:报送至?|报给|报至|报|送|交|发送至|发至)([\u4e00-\u9fff]{1,12}?(?:发展改革委|发展和改革委员会|发改委|发改局|"
    r"督查室|督查办|政府办公室|政府办))(?=[，,。；;（(汇备]|$)"
)


@dataclass
class NoticeFacts:
    notice_title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issued_on: str | None = None
    date_text: str | None = None
    contact: Contact | None = None
    report_due: ReportDue | None = None


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def parse_date(text: str) -> tuple[str, str] | None:
    """'2023年2月23日' → ('2023-02-23', '2023年2月23日'); also the stripped '2023223' when unambiguous."""
    t = _compact(text)
    m = DATE_RE.match(t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = COMPACT_DATE_RE.match(t)
        if not m:
            return None
        candidates = []
        digits = t[4:]
        for cut in range(1, len(digits)):
            mo, d = int(digits[:cut]), int(digits[cut:])
            if 1 <= mo <= 12 and 1 <= d <= 31 and len(digits[cut:]) <= 2 and not digits[cut:].startswith("0") \
                    and not digits[:cut].startswith("0"):
                candidates.append((mo, d))
        if len(candidates) != 1:
            return None
        y = int(t[:4])
        mo, d = candidates[0]
    try:
        day = dt.date(y, mo, d)
    except ValueError:
        return None
    return day.isoformat(), f"{y}年{mo}月{d}日"


def find_region(*texts: str | None) -> str | None:
    """The district or county named in a title: 武隆区, 城口县, 万州区 (not 全区, 城区, 社区…)."""
    for text in texts:
        if not text:
            continue
        for m in REGION_RE.finditer(_compact(text)):
            cand = _VERB_PREFIX_RE.sub("", m.group(1))
            if len(cand) < 3:
                continue
            cut = cand.rfind("州", 0, len(cand) - 1)
            if cut >= 2 and len(cand) - cut - 1 >= 3:  # 黔东南州榕江县 → 榕江县 (万州区 keeps its 州)
                cand = cand[cut + 1:]
            if cand in NOT_REGIONS or any(cand.endswith(x) for x in NOT_REGIONS):
                continue
            return cand
    return None


def find_year(*texts: str | None) -> int | None:
    for text in texts:
        if not text:
            continue
        m = YEAR_RE.search(_compact(text))
        if m:
            return int(m.group(1))
    return None


def _sentences(paragraph: str) -> list[str]:
    out: list[str] = []
    buf = ""
    depth = 0
    for ch in paragraph:
        buf += ch
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif ch == "。" and depth == 0:
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _report_due(sentence: str) -> ReportDue | None:
    s = _compact(sentence)
    m = re.search(r"(?:每月|次月|下月|每个月)(\d{1,2})日(?:前|之前|以前)?", s)
    if m and ("上月" in s or "上一月" in s or "上个月" in s or "次月" in s or "下月" in s or int(m.group(1)) <= 15):
        return ReportDue("next_month_day", int(m.group(1)), sentence.strip())
    if re.search(r"每月(?:底|末|月底|最后一)|月底前|每月\d{0,2}[—-]?月?底", s):
        return ReportDue("month_end", None, sentence.strip())
    return None


def _contact(sentence: str) -> Contact | None:
    s = sentence
    name = NAME_RE.search(s)
    phone = PHONE_RE.search(s)
    email = EMAIL_RE.search(s)
    unit = UNIT_BEFORE_CONTACT_RE.search(_compact(s)) or CONTACT_UNIT_RE.search(_compact(s))
    if not (name or phone or email):
        return None
    return Contact(
        unit=unit.group(1) if unit else None,
        name=name.group(1) if name else None,
        phone=re.sub(r"\s+", "", phone.group(1)) if phone else None,
        email=email.group(0) if email else None,
    )


def read_notice(paragraphs: list[str]) -> NoticeFacts:
    """Facts from the paragraphs that come before the target table.

    When one notice forwards another, the table belongs to the last (innermost) notice, so every fact is
    taken from the last place it occurs before the table.
    """
    facts = NoticeFacts()
    paras = [p.strip() for p in paragraphs if p.strip()]
    # Title: a paragraph ending in 通知 that contains 关于, possibly spread over consecutive paragraphs.
    title_at = None
    for i, p in enumerate(paras):
        c = _compact(p)
        if "关于" in c and NOTICE_END_RE.search(c) and len(c) < 120:
            title_at = i
            title = c
            if i > 0 and "关于" not in _compact(paras[i - 1]) and ISSUER_END_RE.search(_compact(paras[i - 1])) \
                    and len(paras[i - 1]) <= 30 and not c.startswith(_compact(paras[i - 1])):
                if c.startswith("关于"):
                    title = _compact(paras[i - 1]) + c
            facts.notice_title = title
        elif c.startswith("关于") and i + 1 < len(paras) and len(c) < 80:
            joined = c
            for k in range(i + 1, min(i + 3, len(paras))):
                joined += _compact(paras[k])
                if NOTICE_END_RE.search(joined):
                    prev = _compact(paras[i - 1]) if i > 0 else ""
                    if prev and "关于" not in prev and ISSUER_END_RE.search(prev) and len(prev) <= 30:
                        joined = prev + joined  # the issuer's line above: 重庆市万州区人民政府办公室 / 关于…
                    facts.notice_title = joined
                    title_at = i
                    break
    for p in paras:
        m = DOC_NO_RE.search(_compact(p))
        if m and len(_compact(p)) <= 40:
            facts.doc_number = m.group(0)
    # Date: a paragraph that is only a date; the issuer is the signature line just above it.
    for i, p in enumerate(paras):
        d = parse_date(p)
        if d and (title_at is None or i > title_at):
            facts.issued_on, facts.date_text = d
            if i > 0:
                sig = _compact(paras[i - 1])
                if ISSUER_END_RE.search(sig) and len(sig) <= 40:
                    facts.issuer = sig
    if facts.issuer is None and facts.notice_title:
        m = re.match(r"^(.{2,30}?(?:办公室|办公厅|人民政府|办事处|委员会))关于", facts.notice_title)
        if m:
            facts.issuer = m.group(1)
    for p in paras:
        for sentence in _sentences(p):
            due = _report_due(sentence)
            if due and ("报" in sentence):
                facts.report_due = due
            if "联系人" in _compact(sentence) or "联系电话" in _compact(sentence):
                c = _contact(sentence)
                if c:
                    facts.contact = c
    if facts.contact is not None and facts.contact.unit is None and facts.report_due is not None:
        m = REPORT_TO_RE.search(_compact(facts.report_due.text))
        if m:
            facts.contact = replace(facts.contact, unit=m.group(1))
    return facts
