"""Where LibreOffice and poppler are installed: a typical month's three documents rendered as the office prints
them — the .docx table in few pages with no row beginning on one page and ending on the next, the header on
every page; the .xlsx fitted to the page width; the letter's closing block on a page with the body."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.exporters.docx_table import build_progress_docx
from minsheng_desktop.exporters.letter import build_cover_letter
from minsheng_desktop.exporters.xlsx import build_progress_xlsx
from minsheng_desktop.services.month_data import collect_month
from tests.typical_month import typical_db

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
                                reason="soffice / poppler not installed")

FIX = Path(__file__).parent / "fixtures"
MAX_TABLE_PAGES = 9  # 武隆's 26 projects, every text at the long end of a clerk's month: 8 here (15 before issue 15)


def to_pdf(src: Path, work: Path) -> Path:
    profile = work / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(src)], check=True, capture_output=True, timeout=180)
    pdf = work / (src.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not convert {src.name}"
    return pdf


def page_texts(pdf: Path) -> list[str]:
    """Each page's text with all white space taken out (a cell's lines run together)."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    out = []
    for i in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-raw", "-f", str(i), "-l", str(i), str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        out.append(re.sub(r"\s+", "", text))
    return out


def split_rows(doc_path: Path, pages: list[str]) -> list[str]:
    """Rows of the document's first table whose cells do not all begin and end on one same page."""
    bad = []
    table = Document(str(doc_path)).tables[0]
    for row in table.rows[1:]:
        where: set[int] | None = None
        for cell in row.cells:
            text = re.sub(r"\s+", "", cell.text)
            if len(text) < 4:
                continue
            for snippet in (text[:6], text[-6:]):
                found = {i for i, p in enumerate(pages) if snippet in p}
                where = found if where is None else where & found
        if where is not None and not where:
            bad.append(row.cells[0].text + " " + row.cells[1].text)
    return bad


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("pages")
    db_path = typical_db(work / "wl.db", FIX / "000_wulong_2023_notice.docx", ("2023-11", "2023-12"),
                         settings={"reporter_name": "张三", "reporter_phone": "023-77771234"})[0]
    with open_database(db_path) as db:
        data = collect_month(db, select_list(db), "2023-12", today=date(2024, 1, 5))
    out = {}
    for name, build, suffix in (("table", build_progress_docx, ".docx"), ("sheet", build_progress_xlsx, ".xlsx"),
                                ("letter", build_cover_letter, ".docx")):
        src = work / f"{name}{suffix}"
        src.write_bytes(build(data))
        out[name] = (src, page_texts(to_pdf(src, work)))
    return out


def test_table_few_pages_no_row_split_header_on_every_page(rendered) -> None:  # type: ignore[no-untyped-def]
    src, pages = rendered["table"]
    assert len(pages) <= MAX_TABLE_PAGES, len(pages)
    assert split_rows(src, pages) == []
    for p in pages:
        assert "序号项目名称年度目标任务" in p  # the header repeated
    assert "武隆区2023年民生实事推进情况表" in pages[0] and "联系人：张三" in pages[0]
    assert pages[-1].rstrip("—0123456789").endswith("完成进度为截至2023年12月底完成年度目标任务的比例；序时进度为100%。") \
        or "序时进度为100%" in pages[-1]


def test_sheet_fitted_to_the_width(rendered) -> None:  # type: ignore[no-untyped-def]
    _, pages = rendered["sheet"]
    assert all("序号" in p and "工作进展情况" in p for p in pages)  # every page has the header (print titles)
    assert "合计" in pages[-1]


def test_letter_closing_block_with_the_body(rendered) -> None:  # type: ignore[no-untyped-def]
    _, pages = rendered["letter"]
    at = next(i for i, p in enumerate(pages) if "特此函告" in p)
    before = pages[at][:pages[at].index("特此函告")]
    assert len(before) > 40  # body text above it on its page, not a page of its own
    assert "2024年1月5日" in pages[at] and "区发展改革委：" in pages[0]
    assert len(pages) <= 2
