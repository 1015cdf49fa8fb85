"""Read quantitative targets (改造城镇老旧小区12个, 毛入园率达到89%) out of a project's target text.

Conventions (an Indicator is label, target, measure, comparator; the measure — 个, 公里, % — is what the
program calls the 计量单位, since a "unit" everywhere else is an organisation):

- Measures are kept as printed, with two exceptions. A 万/亿 in front of a count unit is multiplied out
  (1.5万个 → 15000 个); the established compound units 万人, 万人次, 万平方米, 万亩 stay as printed (13 万人).
  Money is always in 万元, the unit the whole application counts money in (年度投资（万元）, 累计完成投资):
  2亿元 → 20000 万元, 500000元 → 50 万元, 4000万元 → 4000 万元, so that amounts printed either way compare
  and add up. The amount as printed stays in the project's target text, which is kept whole.
- Money is a target only where the clause says what the money does — 完成投资, 发放创业担保贷款, 兑付, 减免,
  筹集, 销售额/交易额… (_MONEY_TARGET); elsewhere (安排专项资金500万元) it is a budget figure, not a target.
- comparator ">=" for a lower bound (达到/不低于/不少于/至少/超过/≥ … before the number, 以上/及以上 after),
  "<=" for an upper bound (不超过/控制在/低于/少于/不高于/≤/降至/压减到 … before, 以内/以下/之内/及以下 after:
  控制在5%以内, PM2.5平均浓度不超过35微克/立方米, 事故死亡人数控制在3人以下), "=" otherwise. A word after the
  number wins over one before it (保持在56%以上).
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from minsheng_desktop.domain.model import Comparator, Indicator

__all__ = ["extract_indicators"]

# Units, longest first: regex alternation takes the first branch that fits, so 万平方米 must come before
# 平方米 and 人次 before 人. 千伏, 岁, 年, 月, 日, 号, 类 and 里 are deliberately absent: voltages, ages,
# dates, document numbers and categories are not targets.
_COMPOUND_UNITS = ("万平方米", "万人次", "万亩", "万人", "万元", "亿元", "微克/立方米")
_SIMPLE_UNITS = (
    "平方米", "公里", "公顷", "人次", "个", "座", "户", "人", "台", "处", "家", "名", "所", "间", "条",
    "件", "只", "亩", "次", "米", "套", "张", "辆", "场", "期", "项", "床", "支", "批", "栋", "吨", "天", "元",
    "%", "‰",
)
_MONEY_UNITS = frozenset({"万元", "亿元", "元"})
_TO_WAN = {"万元": 1.0, "亿元": 10_000.0, "元": 0.000_1}  # money, normalised to 万元
# What money does when it is a target (完成投资2亿元, 发放创业担保贷款5000万元), not a budget figure.
_MONEY_TARGET = re.compile(r"投资|发放|贷款|兑付|兑现|减免|筹集|募集|销售额|零售额|交易额|成交额|营业额")
_AREA_UNITS = frozenset({"万平方米", "平方米", "万亩", "亩", "公顷"})
_LENGTH_UNITS = frozenset({"公里", "米"})

# A unit character followed by these is part of another word (期间, 家庭, 项目, 3.5米宽 …), not a measure.
_UNIT_BLOCKERS: dict[str, tuple[str, ...]] = {
    "个": ("月", "百分点", "工作日", "人"),
    "期": ("间", "限"),
    "家": ("庭",),
    "人": ("民", "员"),
    "名": ("称", "单"),
    "处": ("理", "置"),
    "所": ("有",),
    "条": ("件", "例"),
    "支": ("持", "付"),
    "场": ("所", "地", "镇"),
    "项": ("目",),
    "台": ("账", "阶"),
    "户": ("籍", "口"),
    "米": ("宽", "高", "长", "深", "厚"),
    "天": ("内", "后", "前", "然"),  # 7天内办结 is a deadline, 天然气 a fuel
    "元": ("/", "每"),  # 500元/人 is a rate
}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}

# A quantity: Arabic digits (not the tail of a longer number) or a lazy Chinese-numeral span, an optional
# 余/多 (approximation, kept as "="), then a unit; 万/亿 may multiply a simple unit (1.5万个).
_QUANTITY = re.compile(
    r"(?:(?P<digits>(?<![\d.])\d{1,12}(?:\.\d{1,6})?)|(?P<cn>[零〇一二两三四五六七八九十百千万亿]{1,12}?))"
    r"(?:余|多)?"
    r"(?P<unit>" + "|".join(_COMPOUND_UNITS)
    + r"|(?P<mult>[万亿])?(?:" + "|".join(re.escape(u) for u in _SIMPLE_UNITS) + r"))"
)

_SENTENCE_END = re.compile(r"[。；;！!？?]")
_CLAUSE_SEP = re.compile(r"[，,、：:]")
# List numbering at the start of a clause: 1. / 2、 / 一是 — never a quantity.
_NUMBERING = re.compile(r"^(?:\d{1,2}[.．、)）](?!\d)|[一二三四五六七八九十]{1,3}(?:是|、))")
# 十四五 and the like name a five-year plan: a multi-year horizon, not this year's target.
_FIVE_YEAR_PLAN = re.compile(r"十[一二三四五六七八九]五")
# Idioms whose numeral sits before a unit character; blanked so they never read as counts.
_IDIOMS = ("两个维护", "两个确立", "四个意识", "四个自信", "四个全面", "三个代表")
_RANGE_SEP = "-~～—–至到"
_RANGE_BEFORE = re.compile(r"[\d零〇一二两三四五六七八九十百千]\D?[" + _RANGE_SEP + r"]$")
_RANGE_AFTER = re.compile(r"^[" + _RANGE_SEP + r"][\d零〇一二两三四五六七八九十]")

_AFTER_CMP = re.compile(r"^(?:(?P<ge>及以上|或以上|以上|之上)|(?P<le>及以下|或以下|以下|及以内|或以内|以内|之内))")
# Comparator words before the number; a verb may sit between (至少开展1次). The leftmost match ending at the
# number wins, so 不超过 is read before 超过, 不低于 before 低于, 不大于 before 大于.
_BEFORE_CMP = re.compile(
    r"(?:(?P<ge>不低于|不少于|不小于|至少|超过|达到|达|高于|多于|大于等于|大于|≥|>=|>)"
    r"|(?P<le>不超过|不高于|不大于|不多于|控制在|控制到|低于|少于|小于等于|小于|至多|最多|≤|<=|<|"
    r"降至|降到|降低到|降低至|下降到|下降至|压减到|压减至|压降到|压降至|压缩到|压缩至|减少到|减少至|缩短到|缩短至))"
    r"(?:开展|完成|实施|建成|新增|培训|提供)?$"
)
_QUOTES = re.compile(r"[“”\"「」『』‘’]")
_LEADING_NOTE = re.compile(r"^[（(][^）)]*[）)]")
_TRAILING_NOTE = re.compile(r"[（(](?:含|以)[^）)]*[）)]$")
_WORD_START = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CONJ_END = re.compile(r"[和及与或并、]$")

# Filler stripped from the start of a label. Scope words go if two characters remain; verbs only if three
# remain, so 完成投资 and 年度投资 keep their verb while 建设农村入户道路 becomes 农村入户道路.
_LEAD_FILLER = re.compile(r"^(?:20\d\d年度?|全区|全县|全市|全镇|全乡|全街道|在全县|在全区|在全市|全力|持续|"
                          r"切实|累计|预计|力争|计划|今年|年内|同步|区级|县级|市级|确保|将|把)")
_LEAD_VERB = re.compile(r"^(?:完成|实施|建成|建设|创建|开展|新开工|新建|推进|实现|安装|设置|打造|改扩建|"
                        r"改建|扩建|新[（(]改[)）]建|启动|年度|为|对|在)")
# Comparator and approximation words left at the end of a label (毛入园率达到 → 毛入园率).
_TRAIL_FILLER = re.compile(r"(?:不低于|不少于|不小于|不超过|不高于|不大于|不多于|控制在|控制到|保持在|稳定在|提高到|"
                           r"提高至|提升到|提升至|增加到|增加至|降至|降到|降低到|降低至|下降到|下降至|压减到|压减至|"
                           r"压降到|压降至|压缩到|压缩至|减少到|减少至|缩短到|缩短至|大于等于|小于等于|大于|小于|"
                           r"至多|最多|达到|超过|至少|低于|高于|多于|少于|≥|≤|>=|<=|>|<|"
                           r"达|为|约|近|共|累计|保持|实现|在)$")
_TRAIL_NOUN_FILLER = re.compile(r"(?:工作|建设)$")
_ATTRIBUTES = frozenset({"面积", "总面积", "建筑面积", "长度", "总长度", "里程", "规模"})
_BARE_VERBS = frozenset({"改造", "新增", "新建", "建设", "完成", "实施", "建成", "增加", "安装", "预计改造"})


# Patterns used per clause or per text, compiled once (re's own cache costs a look-up per call).
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．％＋－＜＞≦≧／", "0123456789.%+-<>≤≥/")
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_PLAN_TITLE = re.compile(r"《[^《》]*》")
_NOTE_WITH_NUMBER = re.compile(r"[（(][^（）()]*\d[^（）()]*[）)]")
_BREAKDOWN = re.compile(r"其中[^。；;！!？?]*")
_ANY_DIGIT = re.compile(r"\d")
_LATIN_END = re.compile(r"[A-Za-z]$")
_OF_OR_REACH = re.compile(r"的|实现")
_CONJ_TAIL = re.compile(r"[和及与或并、]+$")


class _Hit(NamedTuple):
    """One number+measure match inside a clause."""

    start: int
    end: int
    value: float
    measure: str


def extract_indicators(text: str | None) -> list[Indicator]:
    """Return the quantitative targets of a target text, in reading order, with unique labels."""
    if not text:
        return []
    found: list[Indicator] = []
    last_plain = ""  # the latest clause without numbers, lent to a bare-verb label (预计改造8台)
    for sentence in _SENTENCE_END.split(_normalize(text)):
        in_sentence: list[Indicator] = []
        for raw_clause in _CLAUSE_SEP.split(sentence):
            clause = _NUMBERING.sub("", raw_clause, count=1)
            if not clause or _FIVE_YEAR_PLAN.search(clause):
                continue
            hits = _hits(clause)
            if hits:
                _read_clause(clause, hits, in_sentence, last_plain)
            elif not _ANY_DIGIT.search(clause):
                last_plain = _suffix_label(clause) or last_plain
        found.extend(in_sentence)
    return _unique_labels(found)


def _normalize(text: str) -> str:
    """Flatten extraction artefacts and drop the parts that never hold this project's own targets."""
    text = text.translate(_HALF_WIDTH)
    # Soft line breaks inside table cells split numbers from units (2\n亿元); Chinese needs no spaces.
    text = _SPACES.sub("", text)
    text = _THOUSANDS.sub("", text)  # thousands separators: 10,090只
    # Titles of plans (《…2023—2025年巩固提升计划》) and parenthetical notes with numbers are not targets.
    text = _PLAN_TITLE.sub("《》", text)
    text = _NOTE_WITH_NUMBER.sub("", text)
    # A breakdown after 其中 repeats parts of the total: skip it up to the end of the sentence.
    text = _BREAKDOWN.sub("", text)
    for idiom in _IDIOMS:
        text = text.replace(idiom, "，")
    return text


def _hits(clause: str) -> list[_Hit]:
    """Number+unit matches of a clause that are real quantities (not ordinals, ranges, ages, idioms)."""
    hits: list[_Hit] = []
    for m in _QUANTITY.finditer(clause):
        unit = m.group("unit")
        mult = m.group("mult")
        base_unit = unit[1:] if mult else unit
        before, after = clause[: m.start()], clause[m.end():]
        if before.endswith(("第", "每", "+")) or _LATIN_END.search(before):
            continue  # ordinals (第2次), rates per unit (每千人), "5+2", codes (G319)
        if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after) or after.startswith("+"):
            continue  # both ends of 5-8个 are uncertain, so neither is a target
        if after.startswith(_UNIT_BLOCKERS.get(base_unit, ())):
            continue
        if m.group("digits") is not None:
            value = float(m.group("digits"))
        else:
            span = m.group("cn")
            # A lone 一 (一批, 一次) is idiomatic — but not before money (一亿元) —, 百/千/万 alone are not
            # numbers (千家万户), 二期 is a phase.
            if (span == "一" and unit not in _MONEY_UNITS) or span[0] in "百千万亿" or base_unit == "期":
                continue
            number = _cn_to_int(span)
            if number is None:
                continue
            value = float(number)
        if mult:
            value *= _CN_BIG[mult]
            unit = base_unit
        if unit in _TO_WAN:
            value, unit = round(value * _TO_WAN[unit], 6), "万元"
        if not math.isfinite(value) or value <= 0 or value > 1e15:
            continue
        hits.append(_Hit(m.start(), m.end(), value, unit))
    return hits


def _cn_to_int(span: str) -> int | None:
    """Convert a Chinese numeral (两, 一千, 三十五, 二〇二三) to an int; None if malformed (十四五)."""
    if all(c in _CN_DIGITS for c in span):
        if len(span) > 1 and span[0] in "零〇":
            return None
        return int("".join(str(_CN_DIGITS[c]) for c in span))
    total, section, digit = 0, 0, None
    for c in span:
        if c in "零〇":
            digit = None  # a placeholder inside 一千零五
        elif c in _CN_DIGITS:
            if digit is not None:
                return None  # two digits in a row: not a number but a name such as 十四五
            digit = _CN_DIGITS[c]
        elif c in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[c]
            digit = None
        else:
            section += digit or 0
            if section == 0:
                return None
            total += section * _CN_BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def _read_clause(clause: str, hits: list[_Hit], in_sentence: list[Indicator], last_plain: str) -> None:
    """Turn the hits of one clause into indicators, appended to the sentence's list."""
    cursor = 0  # where the label of the next number-last hit may start
    for i, hit in enumerate(hits):
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        tail_end = nxt.start if nxt else len(clause)
        tail = clause[hit.end:tail_end]
        head = clause[cursor:hit.start]
        comparator: Comparator = "="
        after = _AFTER_CMP.match(tail)
        before = _BEFORE_CMP.search(head)
        if after:
            comparator = ">=" if after.group("ge") else "<="
            tail = tail[after.end():]
        elif before:
            comparator = ">=" if before.group("ge") else "<="
        body = _LEADING_NOTE.sub("", _QUOTES.sub("", tail))
        if hit.measure != "%" and _WORD_START.match(body):
            # Number first, then what is counted: 完成100个窨井盖专项整治, 1700名适龄女学生…
            cursor = tail_end
            if nxt is not None and not _CONJ_END.search(body):
                continue  # a scope around the next count (69所中小学1015间教室): count only the inner one
            label = _prefix_label(body)
        else:
            # What is counted, then the number: 改造城镇老旧小区12个, 毛入园率达到89%
            cursor = hit.end + (after.end() if after else 0)
            label = _suffix_label(head)
            previous = in_sentence[-1].label if in_sentence else ""
            if label in _ATTRIBUTES and previous:
                label = previous + label  # 街头绿地提质项目2个、面积2万平方米
            elif not label and previous:
                label = previous + _unit_kind(hit.measure)  # 改造老旧小区95个、284万平方米
            elif (not label or label in _BARE_VERBS) and last_plain:
                label = last_plain  # 实施老旧小区电梯改造。2023年预计改造8台。
        if not label:
            continue
        if hit.measure in _MONEY_UNITS and not _MONEY_TARGET.search(label):
            continue  # money is a target only where it is invested, lent, paid out…; elsewhere it is a budget
        in_sentence.append(Indicator(label, hit.value, hit.measure, comparator))


def _prefix_label(body: str) -> str:
    """Label for a number that precedes its noun: the noun phrase after the unit."""
    label = _OF_OR_REACH.split(body, maxsplit=1)[0]  # 9个老旧小区的燃气… counts 老旧小区
    label = _QUOTES.sub("", label).replace("实施", "")
    label = _TRAILING_NOTE.sub("", label)
    label = _CONJ_TAIL.sub("", label)
    while (m := _TRAIL_NOUN_FILLER.search(label)) and m.start() >= 3:
        label = label[: m.start()]  # 老旧小区改造工作 → 老旧小区改造, …设施建设 → …设施
    return label


def _suffix_label(head: str) -> str:
    """Label for a number that follows its noun: the text before it, trimmed of filler verbs and words."""
    label = _QUOTES.sub("", head)
    if label.startswith("为") and "提供" in label:
        label = label.rsplit("提供", 1)[1]  # 为…残疾人提供辅助器具适配服务 → 辅助器具适配服务
    while True:
        previous = label
        # The comparator word goes first, so that what remains is measured without it (完成投资不低于 keeps 完成).
        if m := _TRAIL_FILLER.search(label):
            label = label[: m.start()]
        if (m := _LEAD_FILLER.match(label)) and len(label) - m.end() >= 2:
            label = label[m.end():]
        if (m := _LEAD_VERB.match(label)) and len(label) - m.end() >= 3:
            label = label[m.end():]
        if label == previous:
            return label


def _unit_kind(unit: str) -> str:
    """Suffix for a label borrowed from the previous count (95个、284万平方米 → …面积)."""
    if unit in _AREA_UNITS:
        return "面积"
    if unit in _LENGTH_UNITS:
        return "长度"
    return f"（{unit}）"


def _unique_labels(found: list[Indicator]) -> list[Indicator]:
    """Make labels unique within one text: progress is reported per label."""
    seen: set[str] = set()
    result: list[Indicator] = []
    for ind in found:
        label = ind.label
        if label in seen:
            label = f"{ind.label}（{ind.measure}）"
            n = 2
            while label in seen:
                label = f"{ind.label}{n}"
                n += 1
        seen.add(label)
        result.append(ind if label == ind.label else Indicator(label, ind.target, ind.measure,
                                                               ind.comparator))
    return result
