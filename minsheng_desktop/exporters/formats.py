"""The one table of export formats: key, name, file suffix, file-name pattern, builders and the months it is for.

The window's 导出 dialog, `minsheng export` (its --format choices), the month's e-mail and the file names all
read this table. The command line builds its parser from it at every start, so the module imports nothing
heavy: each builder imports its module when called (an .xlsx export does not load python-docx, nor a .docx
export openpyxl, ~70 ms each of a command's start), and the quarter rule is imported when a month is checked
(domain.schedule loads the holiday calendar, ~20 ms)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .data import MonthData


def _xlsx(data: MonthData) -> bytes:
    from .xlsx import build_progress_xlsx  # deferred: see the module's docstring

    return build_progress_xlsx(data)


def _docx(data: MonthData) -> bytes:
    from .docx_table import build_progress_docx  # deferred: see the module's docstring

    return build_progress_docx(data)


def _letter(data: MonthData) -> bytes:
    from .letter import build_cover_letter  # deferred: see the module's docstring

    return build_cover_letter(data)


def _bulletin(data: MonthData) -> bytes:
    from .bulletin import build_bulletin  # deferred: see the module's docstring

    return build_bulletin(data)


def _district_xlsx(data: MonthData, photos: Sequence | None = None) -> bytes:
    from .district import build_district_xlsx  # deferred: see the module's docstring

    return build_district_xlsx(data)


def _district_docx(data: MonthData, photos: Sequence | None = None) -> bytes:
    from .district import build_district_docx  # deferred: see the module's docstring

    return build_district_docx(data, photos)


def _district_bulletin(data: MonthData, photos: Sequence | None = None) -> bytes:
    from .district import build_district_bulletin  # deferred: see the module's docstring

    return build_district_bulletin(data, photos)


def _plan_xlsx(data: MonthData) -> bytes:
    from .plan_xlsx import build_plan_xlsx  # deferred: see the module's docstring

    return build_plan_xlsx(data)


def _plan_docx(data: MonthData) -> bytes:
    from .plan_docx import build_plan_docx  # deferred: see the module's docstring

    return build_plan_docx(data)


def _annual_docx(data: MonthData) -> bytes:
    from .annual import build_annual_docx  # deferred: see the module's docstring

    return build_annual_docx(data)


def _annual_xlsx(data: MonthData) -> bytes:
    from .annual_xlsx import build_annual_xlsx  # deferred: see the module's docstring

    return build_annual_xlsx(data)


def _assessment_xlsx(data: MonthData) -> bytes:
    from .assessment import build_assessment_xlsx  # deferred: see the module's docstring

    return build_assessment_xlsx(data)


def _assessment_docx(data: MonthData) -> bytes:
    from .assessment import build_assessment_docx  # deferred: see the module's docstring

    return build_assessment_docx(data)


@dataclass(frozen=True)
class ExportFormat:
    """One kind of export of a month."""

    key: str  # xlsx | docx | letter | bulletin | plan: the command line's --format and the window's choice
    name: str  # 月报表, 报送函, 季度通报
    suffix: str  # .xlsx / .docx
    pattern: str  # the file name, with {who} {region} {unit} {year} {month} {quarter} {kind} (naming.py)
    build: Callable[[MonthData], bytes]  # the built-in form
    district: Callable[[MonthData, Sequence | None], bytes] | None = None  # 发展改革委's variant: chart, photos
    takes_photos: bool = False  # the district variant can append the month's evidence photos
    quarterly: bool = False  # only for a quarter's last month (3, 6, 9, 12)
    fills_template: bool = False  # an office's own blank table of this kind (.xlsx / .docx) can replace the form
    signed: bool = True  # carries 联系人 and 联系电话 (a line left to write by hand when they are not set)
    monthly: bool = True  # one of the month's files (the window's 导出 check boxes, the month's e-mail)
    # the same content as another kind of file, chosen by the output's suffix: ((".docx", builder), ...)
    alternatives: tuple[tuple[str, Callable[[MonthData], bytes]], ...] = ()
    per_unit: bool = True  # --unit can limit it to a unit's projects (not the assessment: over every lead unit)
    assesses: bool = False  # needs the lead units' 考核 figures (MonthData.assessment, services.assessment)

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The file suffixes this format can be written as, its own first."""
        return (self.suffix, *(s for s, _ in self.alternatives))

    def builder(self, suffix: str) -> Callable[[MonthData], bytes]:
        """The built-in form for an output file ending in ``suffix`` (one of ``suffixes``)."""
        return dict(self.alternatives).get(suffix.lower(), self.build)

    @property
    def label(self) -> str:
        """月报表（.xlsx）: the window's check box."""
        return f"{self.name}（{self.suffix}）"

    def applies_to(self, month: str) -> bool:
        """This format can be made for ``month``: any month, or for a quarterly one (the bulletin) a quarter's last
        month only, and none before a month is chosen."""
        from ..domain.schedule import is_quarter_end  # deferred: see the module's docstring

        return not self.quarterly or (bool(month) and is_quarter_end(month))


FORMATS: dict[str, ExportFormat] = {f.key: f for f in (
    ExportFormat("xlsx", "月报表", ".xlsx", "{who}_{year}年{month}月民生实事推进情况表.xlsx", _xlsx,
                 district=_district_xlsx, fills_template=True),
    ExportFormat("docx", "月报表", ".docx", "{who}_{year}年{month}月民生实事推进情况表.docx", _docx,
                 district=_district_docx, takes_photos=True, fills_template=True),
    ExportFormat("letter", "报送函", ".docx", "{who}_关于报送{year}年{month}月民生实事推进情况的{kind}.docx", _letter),
    ExportFormat("bulletin", "季度通报", ".docx", "{who}_{year}年第{quarter}季度民生实事推进情况通报.docx", _bulletin,
                 district=_district_bulletin, takes_photos=True, quarterly=True, signed=False),
    # the 实施方案 (issue 17): the table a clerk fills (.xlsx) or the 备案 document (.docx); not a month's file
    ExportFormat("plan", "实施方案", ".xlsx", "{who}_{year}年民生实事实施方案.xlsx", _plan_xlsx, signed=False,
                 monthly=False, alternatives=((".docx", _plan_docx),)),
    # the year's end (issue 17): the 年度完成情况报告 (.docx, its table as .xlsx) and the 发展改革委's 考核评比
    ExportFormat("annual", "年度完成情况报告", ".docx", "{who}_关于{year}年民生实事完成情况的报告.docx", _annual_docx,
                 monthly=False, alternatives=((".xlsx", _annual_xlsx),)),
    ExportFormat("assessment", "考核评比表", ".xlsx", "{region}{year}年民生实事考核评比表.xlsx", _assessment_xlsx,
                 signed=False, monthly=False, per_unit=False, assesses=True,
                 alternatives=((".docx", _assessment_docx),)),
)}
