"""Where LibreOffice is installed: each export converts to PDF and its text reads right (pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from minsheng_desktop.exporters.formats import FORMATS
from minsheng_desktop.services.month_data import collect_month
from minsheng_desktop.services.database import open_database, select_list
from tests.test_export import filled  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                reason="soffice / pdftotext not installed")


def _pdf_text(src: Path, work: Path) -> str:
    profile = work / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(src)], check=True, capture_output=True, timeout=120)
    pdf = work / (src.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not convert {src.name}"
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return out.stdout


@pytest.mark.parametrize("fmt, month, words", [
    ("xlsx", "2023-06", ["武隆区2023年民生实事推进情况表（截至2023年6月底）", "一、市级民生实事", "合计", "— 1 —"]),
    ("docx", "2023-06", ["武隆区2023年民生实事推进情况表", "（截至2023年6月底）", "序号", "— 1 —"]),
    ("letter", "2023-06", ["民生实事推进情况的函", "区发展改革委：", "特此函告。", "2023年6月5日"]),
    ("bulletin", "2023-06", ["第二季度", "通报", "完成进度由30%提高到100%", "— 1 —"]),
])
def test_pdf_text(filled: Path, tmp_path: Path, fmt: str, month: str, words: list[str]) -> None:  # noqa: F811
    db = open_database(filled)
    try:
        data = collect_month(db, select_list(db, 2023, "武隆区"), month, today=date(2023, 6, 5))
    finally:
        db.close()
    builder, suffix = FORMATS[fmt].build, FORMATS[fmt].suffix
    src = tmp_path / f"export{suffix}"
    src.write_bytes(builder(data))
    text = " ".join(_pdf_text(src, tmp_path).split())  # pdftotext may break lines anywhere
    compact = text.replace(" ", "")
    for w in words:
        assert w.replace(" ", "") in compact, w
