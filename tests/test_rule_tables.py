"""The rules of domain/ as tables (issue 14, item 8): each cell worked out by hand from the rule, not read off
the code, so that a slip in a comparison, a threshold or a matching step turns one cell red.

- 进度状态 suggestion (status.suggested_status), 序时 key (schedule.suggest_status) and 亮灯 (schedule.light)
  over 完成进度 × month. 序时进度 = months elapsed / 12: Jan 8.33 %, Mar 25 %, Jun 50 %, Sep 75 %, Dec 100 %.
  未开工 at 0 % whatever the month; 已完成 at 100 %; more than 10 points behind 序时 is 进度滞后, anything
  else 正常推进 (domain notes §1e). 亮灯 after 银川: green up to 10 points behind, amber 10–30, red beyond 30.
- The comparator of an indicator (indicators.extract_indicators): 以内/以下/不超过/控制在…以内 an upper bound
  "<=", 不低于/以上/达到/不少于 a lower bound ">=", a plain number "=", whatever the unit; money in 万元.
- Matching a revised list (reconcile.reconcile): renamed in place, renumbered, moved to another section,
  withdrawn, added, restored; _alike at its exact thresholds.
- Around them: the notice's deadline rule (schedule), a valid month (month.is_month), the report form's checks
  (form_checks). Several tables were added for what benchmarks/mutation.sh found unheld (docs/mutation.md).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from minsheng_desktop.domain import schedule
from minsheng_desktop.domain.form_checks import check_values, parse_number
from minsheng_desktop.domain.indicators import extract_indicators
from minsheng_desktop.domain.model import ParsedProject, Project, Report, ReportDue
from minsheng_desktop.domain.month import is_month
from minsheng_desktop.domain.reconcile import reconcile
from minsheng_desktop.domain.status import light_for, suggested_status
from minsheng_desktop.exporters.data import status_key

# ------------------------------------------------------------------ 进度状态 over 完成进度 × month

MONTHS = ("2023-01", "2023-03", "2023-06", "2023-09", "2023-12")
N, T, L, D = "not_started", "on_track", "lagging", "done"

# 完成进度 -> the 进度状态 suggested at the end of Jan, Mar, Jun, Sep, Dec.
STATUS = {
    None: (None, None, None, None, None),  # nothing entered: no suggestion
    0: (N, N, N, N, N),  # nothing done: 未开工 even in January, when 0 % is within 10 points of 序时
    5: (T, L, L, L, L),  # Jan 3.3 behind; Mar 20 behind
    10: (T, L, L, L, L),  # Jan 1.7 ahead; Mar 15 behind; Jun 40 behind — never 未开工: something is done
    30: (T, T, L, L, L),  # Mar 5 ahead; Jun 20 behind
    49.9: (T, T, T, L, L),  # Jun 0.1 behind; Sep 25.1 behind
    50: (T, T, T, L, L),
    55: (T, T, T, L, L),  # Sep 20 behind
    99: (T, T, T, T, T),  # Dec 1 behind
    100: (D, D, D, D, D),
}

A, S, LG, DN, U = "ahead", "on_schedule", "lagging", "done", "unknown"
# 完成进度 -> the 序时 comparison: 超序时 (10 or more ahead), 按序时 (within 10), 滞后 (more than 10 behind).
SCHEDULE = {
    None: (U, U, U, U, U),
    0: (S, LG, LG, LG, LG),  # Jan: 8.3 behind is 按序时
    5: (S, LG, LG, LG, LG),
    10: (S, LG, LG, LG, LG),
    30: (A, S, LG, LG, LG),  # Jan 21.7 ahead
    49.9: (A, A, S, LG, LG),  # Mar 24.9 ahead
    50: (A, A, S, LG, LG),
    55: (A, A, S, LG, LG),  # Jun 5 ahead
    99: (A, A, A, A, S),  # Sep 24 ahead
    100: (DN, DN, DN, DN, DN),
}

G, AM, R, GR = "green", "amber", "red", "grey"
# 完成进度 -> 亮灯.
LIGHT = {
    None: (GR, GR, GR, GR, GR),
    0: (G, AM, R, R, R),  # Jan 8.3 behind: green; Mar 25 behind: amber; Jun 50: red
    5: (G, AM, R, R, R),  # Mar 20 behind; Jun 45
    10: (G, AM, R, R, R),  # Mar 15; Jun 40
    30: (G, G, AM, R, R),  # Jun 20; Sep 45
    49.9: (G, G, G, AM, R),  # Sep 25.1; Dec 50.1
    50: (G, G, G, AM, R),
    55: (G, G, G, AM, R),  # Sep 20; Dec 45
    99: (G, G, G, G, G),  # Dec 1
    100: (G, G, G, G, G),
}

GRID = [(p, m, STATUS[p][i], SCHEDULE[p][i], LIGHT[p][i]) for p in STATUS for i, m in enumerate(MONTHS)]


@pytest.mark.parametrize(("percent", "month", "status", "schedule_key", "light"), GRID,
                         ids=[f"{p}%-{m[5:]}" for p, m, *_ in GRID])
def test_status_grid(percent, month, status, schedule_key, light) -> None:
    assert suggested_status(percent, month) == status
    assert schedule.suggest_status(percent, month) == schedule_key
    assert schedule.light(percent, month) == light
    assert light_for(Report("p", month, percent=percent), month) == light  # a report's light: its per cent's
    # a report with a per cent and no status is shown in the exports with the same suggestion
    assert status_key(Report("p", month, percent=percent), month) == status


# The borders of each band, one point either side, in June (序时 50 %) and in January (序时 8.33 %).
BORDERS = [
    # (month, 完成进度, 序时 key, 亮灯)
    ("2023-06", 39.99, LG, AM), ("2023-06", 40, S, G),  # 10 behind: 按序时, green
    ("2023-06", 59.99, S, G), ("2023-06", 60, A, G),  # 10 ahead: 超序时
    ("2023-06", 19.99, LG, R), ("2023-06", 20, LG, AM),  # 30 behind: still amber
    ("2023-06", 99.99, A, G), ("2023-06", 100, DN, G), ("2023-06", 130, DN, G),
    ("2023-01", 18.33, S, G), ("2023-01", 18.34, A, G),  # 8.33 + 10
    ("2023-12", 89.99, LG, AM), ("2023-12", 90, S, G), ("2023-12", 69.99, LG, R), ("2023-12", 70, LG, AM),
]


@pytest.mark.parametrize(("month", "percent", "schedule_key", "light"), BORDERS,
                         ids=[f"{p}%-{m[5:]}" for m, p, *_ in BORDERS])
def test_band_borders(month, percent, schedule_key, light) -> None:
    assert schedule.suggest_status(percent, month) == schedule_key
    assert schedule.light(percent, month) == light
    assert suggested_status(percent, month) == {A: T, S: T, LG: L, DN: D}[schedule_key]


def test_no_report_is_a_grey_light() -> None:
    assert light_for(None, "2023-06") == "grey"
    assert light_for(Report("p", "2023-06", status="on_track"), "2023-06") == "grey"  # a status, no per cent


@pytest.mark.parametrize(("kw", "percent", "expected"), [
    ({"tolerance_pts": 5}, 44, LG), ({"tolerance_pts": 5}, 45, S), ({"tolerance_pts": 5}, 55, A),
    ({"tolerance_pts": 20}, 31, S), ({"tolerance_pts": 20}, 69, S), ({"tolerance_pts": 20}, 70, A),
])
def test_tolerance_is_the_band_width(kw, percent, expected) -> None:
    assert schedule.suggest_status(percent, "2023-06", **kw) == expected


@pytest.mark.parametrize(("kw", "percent", "expected"), [
    ({"amber_pts": 5}, 45, G), ({"amber_pts": 5}, 44, AM),
    ({"red_pts": 20}, 30, AM), ({"red_pts": 20}, 29, R),
])
def test_light_thresholds_are_parameters(kw, percent, expected) -> None:
    assert schedule.light(percent, "2023-06", **kw) == expected


@pytest.mark.parametrize("month", ["2023-13", "2023-00", "2023-6-1", "June", ""])
def test_status_of_a_malformed_month_is_refused(month) -> None:
    with pytest.raises(ValueError):
        suggested_status(50, month)


# ------------------------------------------------------------------ comparators × units

# comparator phrase -> (how it is written around label, number and unit, the comparator read)
PHRASES = {
    "以内": ("{l}{n}{u}以内", "<="),
    "以下": ("{l}{n}{u}以下", "<="),
    "及以下": ("{l}{n}{u}及以下", "<="),
    "不超过": ("{l}不超过{n}{u}", "<="),
    "控制在…以内": ("{l}控制在{n}{u}以内", "<="),
    "不低于": ("{l}不低于{n}{u}", ">="),
    "以上": ("{l}{n}{u}以上", ">="),
    "及以上": ("{l}{n}{u}及以上", ">="),
    "达到": ("{l}达到{n}{u}", ">="),
    "不少于": ("{l}不少于{n}{u}", ">="),
    "保持在…以上": ("{l}保持在{n}{u}以上", ">="),  # the word after the number decides
    "plain": ("{l}{n}{u}", "="),
}
# unit as printed -> (label, number as printed, target read, unit read)
UNITS = {
    "个": ("新增托位", "12", 12, "个"),
    "公里": ("农村公路", "30.5", 30.5, "公里"),
    "%": ("覆盖率", "95", 95, "%"),
    "亿元": ("完成投资", "1.5", 15000, "万元"),  # money in 万元, the application's unit
    "万元": ("完成投资", "4000", 4000, "万元"),
}
COMPARATORS = [(phrase, unit) for phrase in PHRASES for unit in UNITS]


@pytest.mark.parametrize(("phrase", "unit"), COMPARATORS, ids=[f"{p}-{u}" for p, u in COMPARATORS])
def test_comparator_table(phrase, unit) -> None:
    template, comparator = PHRASES[phrase]
    label, printed, target, unit_read = UNITS[unit]
    text = template.format(l=label, n=printed, u=unit)
    found = [(i.label, i.target, i.measure, i.comparator) for i in extract_indicators(text)]
    assert found == [(label, target, unit_read, comparator)], text


# Two bounds in one sentence keep each its own comparator; a bound does not leak into the next clause.
MIXED = [
    ("覆盖率达到95%，事故率控制在3%以内", [("覆盖率", 95, "%", ">="), ("事故率", 3, "%", "<=")]),
    ("事故率控制在3%以内，新建口袋公园2个", [("事故率", 3, "%", "<="), ("口袋公园", 2, "个", "=")]),
    ("新建口袋公园2个，覆盖率达到95%以上", [("口袋公园", 2, "个", "="), ("覆盖率", 95, "%", ">=")]),
    ("改造老旧小区12个以上、面积30万平方米", [("改造老旧小区", 12, "个", ">="), ("改造老旧小区面积", 30, "万平方米", "=")]),
    ("培训人数不超过200人以上", [("培训人数", 200, "人", ">=")]),  # the word after the number wins
    ("新增托位两千个以内", [("新增托位", 2000, "个", "<=")]),  # Chinese numerals too
]


@pytest.mark.parametrize(("text", "expected"), MIXED, ids=[t[:12] for t, _ in MIXED])
def test_comparators_in_one_sentence(text, expected) -> None:
    assert [(i.label, i.target, i.measure, i.comparator) for i in extract_indicators(text)] == expected


# ------------------------------------------------------------------ reconcile: which stored project each row keeps

SJ, QJ = "市级民生实事", "区级民生实事"
STORED = [  # (section, number, name, target)
    (SJ, "1", "城镇老旧小区改造和社区服务提升", "改造城镇老旧小区12个。"),
    (SJ, "2", "发展普惠性学前教育", "全区学前三年毛入园率达到89%，普惠性幼儿园覆盖率达到96%。"),
    (SJ, "3", "发展婴幼儿照护服务", "全区标准托位数达890个，每千人托位数达到2.5个。"),
    (QJ, "1", "实施农村供水保障工程", "新建改造农村供水工程20处，巩固提升5万人供水保障水平。"),
    (QJ, "2", "地下有限空间安全监测整治", "完成地下有限空间监测点位建设30个。"),
]
IDS = ["s1", "s2", "s3", "q1", "q2"]


def _stored(withdrawn: frozenset[str] = frozenset()) -> list[Project]:
    return [Project(id=pid, list_id=1, section=sec, number=n, name=name, target=target, withdrawn=pid in withdrawn)
            for pid, (sec, n, name, target) in zip(IDS, STORED)]


def _parsed(rows) -> list[ParsedProject]:
    return [ParsedProject(sec, n, name, target=target) for sec, n, name, target in rows]


def _rows(**edits):
    """The stored rows with some replaced: key = stored id, value = the row as revised (None drops it)."""
    out = []
    for pid, row in zip(IDS, STORED):
        new = edits.get(pid, row)
        if new is not None:
            out.append(new)
    return out


NEW_ROW = (QJ, "3", "社区食堂建设", "建成社区食堂5个。")
# case -> (the revised rows, the id each row keeps (None: new), removed ids, restored ids, changed fields by id)
RECONCILE = {
    "unchanged": (_rows(), IDS, [], [], {}),
    "renamed in place, target edited": (
        _rows(s2=(SJ, "2", "学前教育普惠发展", "全区学前三年毛入园率达到91%，普惠性幼儿园覆盖率达到97%，新增公办学位600个。")),
        IDS, [], [], {"s2": {"name", "target"}}),
    "renamed in place, target kept": (
        _rows(s3=(SJ, "3", "托育服务体系建设", STORED[2][3])), IDS, [], [], {"s3": {"name"}}),
    "renumbered: two swap places": (
        _rows(s1=(SJ, "3", *STORED[0][2:]), s3=(SJ, "1", *STORED[2][2:])), IDS, [], [],
        {"s1": {"number"}, "s3": {"number"}}),
    "moved to the other section": (
        [*_rows(s3=None), (QJ, "3", *STORED[2][2:])], ["s1", "s2", "q1", "q2", "s3"], [], [],
        {"s3": {"section"}}),
    "moved and its target edited": (
        [*_rows(s3=None), (QJ, "3", STORED[2][2], "全区标准托位数达900个。")], ["s1", "s2", "q1", "q2", "s3"], [], [],
        {"s3": {"section", "target"}}),
    "withdrawn": (_rows(q2=None), ["s1", "s2", "s3", "q1"], ["q2"], [], {}),
    "added": ([*_rows(), NEW_ROW], [*IDS, None], [], [], {}),
    "withdrawn and another added in its place": (
        _rows(q2=(QJ, "2", *NEW_ROW[2:])), ["s1", "s2", "s3", "q1", None], ["q2"], [], {}),
    # renamed, its target edited *and* renumbered: nothing ties it to the old one but a weak likeness
    "renamed, target edited and renumbered": (
        _rows(s2=(SJ, "9", "学前教育普惠发展", "全区学前三年毛入园率达到91%，新增公办学位600个。")),
        ["s1", None, "s3", "q1", "q2"], ["s2"], [], {}),
    # another row's target word for word at a new place: the target alone never decides
    "another row's target elsewhere": (
        [*_rows(), (QJ, "3", "社区食堂建设", STORED[2][3])], [*IDS, None], [], [], {}),
    "renamed beyond recognition, target kept at its place": (
        _rows(q1=(QJ, "1", "农村饮水安全巩固提升", STORED[3][3])), IDS, [], [], {"q1": {"name"}}),
}


@pytest.mark.parametrize("case", list(RECONCILE))
def test_reconcile_cases(case) -> None:
    rows, keeps, removed, restored, changed = RECONCILE[case]
    plan = reconcile(_stored(), _parsed(rows))
    assert plan.matches == keeps
    assert plan.added == [i for i, k in enumerate(keeps) if k is None]
    assert [p.id for p in plan.removed] == removed
    assert plan.restored == restored
    assert {c.project_id: set(c.fields) for c in plan.changed} == changed
    assert plan.is_empty is (case == "unchanged")


def test_a_change_names_old_and_new() -> None:
    rows = _rows(s1=(SJ, "1", "老旧小区改造", "改造城镇老旧小区15个。"))
    [change] = reconcile(_stored(), _parsed(rows)).changed
    assert (change.project_id, change.number, change.name) == ("s1", "1", "老旧小区改造")
    assert change.fields == {"name": ("城镇老旧小区改造和社区服务提升", "老旧小区改造"),
                             "target": ("改造城镇老旧小区12个。", "改造城镇老旧小区15个。")}


def test_a_withdrawn_project_that_comes_back_is_restored() -> None:
    plan = reconcile(_stored(withdrawn=frozenset({"q2"})), _parsed(_rows()))
    assert plan.matches == IDS and plan.restored == ["q2"] and not plan.removed and not plan.is_empty
    # and one still left out stays withdrawn: not removed a second time
    plan = reconcile(_stored(withdrawn=frozenset({"q2"})), _parsed(_rows(q2=None)))
    assert plan.removed == [] and plan.restored == [] and plan.is_empty


def test_names_compare_without_spaces_quotes_or_case() -> None:
    rows = _rows(s1=(SJ, "1", "城镇老旧小区 改造和“社区服务”提升", STORED[0][3]))
    plan = reconcile(_stored(), _parsed(rows))
    assert plan.matches == IDS and plan.changed[0].fields == {"name": (STORED[0][2], rows[0][2])}
    moved = [*_rows(s3=None), (QJ, "3", "《发展婴幼儿照护服务》", STORED[2][3])]
    assert reconcile(_stored(), _parsed(moved)).matches == ["s1", "s2", "q1", "q2", "s3"]


def test_a_name_in_two_sections_is_not_guessed() -> None:
    """The same name stored in both sections and printed once at a new place: which one is meant is unknown."""
    stored = [*_stored(), Project(id="q3", list_id=1, section=QJ, number="3", name=STORED[2][2], target="新增托位50个。")]
    plan = reconcile(stored, _parsed([*_rows(s3=None), (SJ, "7", STORED[2][2], STORED[2][3])]))
    assert plan.matches[-1] is None and {p.id for p in plan.removed} == {"s3", "q3"}


def test_a_parent_is_not_taken_for_a_leaf_of_the_same_name() -> None:
    stored = [Project(id="p", list_id=1, section=SJ, number="4", name="道路建设", is_leaf=False),
              Project(id="c", list_id=1, section=SJ, number="4.1", name="道路建设", parent_number="4")]
    new = [ParsedProject(SJ, "5", "道路建设", is_leaf=False), ParsedProject(SJ, "5.1", "道路建设", parent="5")]
    assert reconcile(stored, new).matches == ["p", "c"]


# The same name and number in both sections (武隆 restarts 序号 in each): each keeps its own.
def test_the_same_item_in_both_sections_keeps_its_own() -> None:
    stored = [Project(id="a", list_id=1, section=SJ, number="1", name="新建口袋公园", target="新建口袋公园2个。"),
              Project(id="b", list_id=1, section=QJ, number="1", name="新建口袋公园", target="新建口袋公园3个。")]
    new = [ParsedProject(SJ, "1", "新建口袋公园", target="新建口袋公园2个。"),
           ParsedProject(QJ, "1", "新建口袋公园", target="新建口袋公园3个。")]
    plan = reconcile(stored, new)
    assert plan.matches == ["a", "b"] and plan.is_empty


def test_same_named_sub_projects_renumbered_keep_their_order() -> None:
    """Two sub-projects of one name in one section, renumbered together (6.1, 6.2 -> 7.1, 7.2): each keeps its
    id, in order — the name settles it, as the section is the same."""
    stored = [Project(id="x", list_id=1, section=QJ, number="6.1", name="农村公路建设", target="新建40公里。"),
              Project(id="y", list_id=1, section=QJ, number="6.2", name="农村公路建设", target="改建20公里。")]
    new = [ParsedProject(QJ, "7.1", "农村公路建设", target="新建40公里。"),
           ParsedProject(QJ, "7.2", "农村公路建设", target="改建20公里。")]
    plan = reconcile(stored, new)
    assert plan.matches == ["x", "y"] and {c.project_id: set(c.fields) for c in plan.changed} == {
        "x": {"number"}, "y": {"number"}}


def test_an_added_row_does_not_hide_the_changes_after_it() -> None:
    rows = _rows()
    rows.insert(1, (SJ, "9", "社区食堂建设", "建成社区食堂5个。"))
    rows[-1] = (QJ, "2", STORED[4][2], "完成地下有限空间监测点位建设35个。")
    plan = reconcile(_stored(), _parsed(rows))
    assert plan.added == [1] and [c.project_id for c in plan.changed] == ["q2"]


def test_units_given_as_lists_compare_with_tuples() -> None:
    """A revised list read from JSON may carry lists: the same units are no change."""
    stored = [Project(id="p", list_id=1, section=SJ, number="1", name="口袋公园", lead_units=("区城市管理局",))]
    new = [ParsedProject(SJ, "1", "口袋公园", lead_units=["区城市管理局"], partner_units=[])]  # type: ignore[arg-type]
    assert reconcile(stored, new).is_empty


def test_without_targets_the_name_alone_decides() -> None:
    """A project with no target text (a parent row, a policy item): an absent target is not alike another."""
    stored = [Project(id="p", list_id=1, section=SJ, number="4", name="持续深化双减工作")]
    assert reconcile(stored, [ParsedProject(SJ, "4", "深化双减工作")]).matches == ["p"]  # name alike
    assert reconcile(stored, [ParsedProject(SJ, "4", "社区食堂建设")]).matches == [None]  # nothing alike
    assert reconcile(stored, [ParsedProject(SJ, "4", "社区食堂建设", target="建成社区食堂5个。")]).matches == [None]
    # the stored one has a target, the revised one none: the name decides
    stored = [Project(id="q", list_id=1, section=SJ, number="4", name="社区食堂建设", target="建成社区食堂5个。")]
    assert reconcile(stored, [ParsedProject(SJ, "4", "食堂建设")]).matches == ["q"]
    assert reconcile(stored, [ParsedProject(SJ, "4", "口袋公园")]).matches == [None]


# _alike at its thresholds, with names and targets whose likeness (difflib ratio 2·M/T) is exact:
# 甲乙丙丁 / 甲乙戊己 0.5; 甲乙丙丁戊 / 甲乙己庚辛 0.4; a five-character target with four kept 0.8; two kept 0.4.
ALIKE = [
    # (stored name, stored target, revised name, revised target, same project?)
    ("甲乙丙丁", "子丑寅卯辰", "甲乙戊己", "午未申酉戌", True),  # name 0.5
    ("甲乙丙丁戊", "子丑寅卯辰", "甲乙己庚辛", "午未申酉戌", False),  # name 0.4 alone
    ("甲乙丙丁", "子丑寅卯辰", "庚辛壬癸", "子丑寅卯戌", True),  # target 0.8
    ("甲乙丙丁", "子丑寅卯辰", "庚辛壬癸", "子丑寅未戌", False),  # target 0.6 alone
    ("甲乙丙丁戊", "子丑寅卯辰", "甲乙己庚辛", "子丑午未申", True),  # both 0.4
    ("甲乙丙丁戊", "子丑寅卯辰", "庚辛壬癸", "子丑午未申", False),  # target 0.4, name 0
]


@pytest.mark.parametrize(("old_name", "old_target", "name", "target", "same"), ALIKE)
def test_alike_thresholds(old_name, old_target, name, target, same) -> None:
    stored = [Project(id="p", list_id=1, section=SJ, number="1", name=old_name, target=old_target)]
    assert reconcile(stored, [ParsedProject(SJ, "1", name, target=target)]).matches == (["p"] if same else [None])


# ------------------------------------------------------------------ the calendar rules around the status


def test_a_datetime_counts_as_its_day() -> None:
    cal = schedule.WorkCalendar()
    due = ReportDue("next_month_day", 10)
    assert schedule.is_late("2023-06", datetime(2023, 7, 10, 17, 30), due, cal) is False
    assert schedule.is_late("2023-06", datetime(2023, 7, 11, 8, 0), due, cal) is True
    assert cal.next_workday_on_or_after(datetime(2023, 10, 1, 9, 0)) == date(2023, 10, 7)  # 国庆, 调休 Saturday


@pytest.mark.parametrize(("month", "due", "late_on", "on_time_on"), [
    ("2023-06", ("next_month_day", 10), date(2023, 7, 11), date(2023, 7, 10)),  # 次月10日前
    ("2023-06", ("month_end", None), date(2023, 7, 3), date(2023, 6, 30)),  # 每月底 (30 June a Friday)
    ("2023-12", ("month_end", None), date(2024, 1, 3), date(2024, 1, 2)),  # 31 Dec a Sunday, 1 Jan 元旦: 2 Jan
    ("2023-11", ("next_month_day", 10), date(2023, 12, 12), date(2023, 12, 11)),  # 10 Dec a Sunday: 11 Dec
])
def test_the_notices_rule_sets_the_deadline(month, due, late_on, on_time_on) -> None:
    cal, rule = schedule.WorkCalendar(), ReportDue(*due)
    assert schedule.is_late(month, late_on, rule, cal) is True
    assert schedule.is_late(month, on_time_on, rule, cal) is False


def test_december_ends_on_the_31st() -> None:
    assert schedule.nominal_deadline("2023-12", None) == date(2023, 12, 31)
    assert schedule.nominal_deadline("2023-11", ReportDue("next_month_day", 31)) == date(2023, 12, 31)
    assert schedule.nominal_deadline("2024-01", ReportDue("next_month_day", 31)) == date(2024, 2, 29)


def test_a_year_without_the_packages_data_is_not_covered() -> None:
    cal = schedule.WorkCalendar()
    assert cal.package_covers(2099) is False and cal.package_covers(2023) is True
    assert cal.coverage_warning(2099) == "2099年节假日安排尚未内置，请在设置中补充"


# Each refusal says what was wrong, in Chinese, for the settings dialog and the command line.
REFUSALS = [
    (lambda: schedule.elapsed_share("2023-13"), "月份格式应为 YYYY-MM：'2023-13'"),
    (lambda: schedule.elapsed_share(None), "月份格式应为 YYYY-MM：None"),  # not a str: refused, not AttributeError
    (lambda: schedule.nominal_deadline("2023-06", ReportDue("weekly")), "未知的报送规则：'weekly'"),
    (lambda: schedule.nominal_deadline("2023-06", ReportDue("next_month_day", 0)),
     "“次月N日前”规则需要填写有效的日期 N"),
    (lambda: schedule.nominal_deadline("2023-06", ReportDue("next_month_day")),
     "“次月N日前”规则需要填写有效的日期 N"),
    (lambda: schedule.quarter_months(2023, 5), "季度应为 1–4：5"),
    (lambda: schedule.WorkCalendar({date(2023, 1, 1) + timedelta(days=i): False for i in range(400)})
     .next_workday_on_or_after(date(2023, 1, 1)), "附近一年内没有工作日，请检查节假日设置"),
]


@pytest.mark.parametrize(("call", "message"), REFUSALS, ids=[m[:10] for _, m in REFUSALS])
def test_refusals_are_one_chinese_line(call, message) -> None:
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(("text", "valid"), [
    ("2023-06", True), ("2023-6", True), (" 2023-12 ", True), ("2023-00", False), ("2023-13", False),
    ("2023/06", False), ("", False), (None, False), (202306, False),
])
def test_is_month(text, valid) -> None:
    assert is_month(text) is valid


# ------------------------------------------------------------------ the report form's checks (domain.form_checks)

PLAN = Project(id="p", list_id=1, section=SJ, number="1", name="口袋公园", investment_wan=82)
# (完成进度, 累计完成投资, 进度状态) -> the checks: (field, level, text)
PERCENT_ERR = ("percent", "error", "完成进度应在 0 到 100 之间，此项未保存。")
NEGATIVE_ERR = ("investment_done_wan", "error", "累计完成投资不能为负数，此项未保存。")
OVER_PLAN = ("investment_done_wan", "warning", "超过年度计划投资 82 万元，请核实。")
FORM_CHECKS = [
    ((0, 0, None), []),  # both borders are allowed
    ((100, 82, "done"), []),  # the whole plan, done
    ((-0.1, None, None), [PERCENT_ERR]),
    ((100.1, None, None), [PERCENT_ERR]),
    ((50, -0.01, None), [NEGATIVE_ERR]),
    ((50, 82.01, None), [OVER_PLAN]),
    ((99.9, None, "done"), [("status", "warning", "状态为“已完成”，但完成进度只有 99.9%。")]),
    ((None, None, "done"), []),  # done without a per cent: nothing to compare
    ((10, None, "on_track"), []),  # only 已完成 is compared with the per cent
    ((120, -1, "done"), [PERCENT_ERR, NEGATIVE_ERR]),  # each field says its own
]


@pytest.mark.parametrize(("values", "expected"), FORM_CHECKS, ids=[str(v) for v, _ in FORM_CHECKS])
def test_form_checks(values, expected) -> None:
    assert [(c.field, c.level, c.text) for c in check_values(PLAN, *values)] == expected


def test_no_plan_no_over_plan_warning() -> None:
    assert check_values(Project(id="p", list_id=1, section=SJ, number="1", name="x"), 50, 1e6, None) == []


@pytest.mark.parametrize(("text", "value"), [
    ("1,200", 1200.0), ("４５％", 45.0), ("45 %", 45.0), ("  ", None), ("-3.5", -3.5), (".5", 0.5),
])
def test_numbers_as_typed(text, value) -> None:
    assert parse_number(text, "percent") == (value, None)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "45%%x", "12X", "五十"])
def test_not_a_number_is_an_error_on_its_field(text) -> None:
    value, check = parse_number(text, "investment_done_wan")
    assert value is None
    assert (check.field, check.level, check.text) == ("investment_done_wan", "error", f"“{text}”不是数字，请只填写数字。")
