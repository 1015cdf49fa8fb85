"""Issue 9: evidence (佐证材料) attached to a report, stored once, exported in the .docx appendix;
the district products with the completion chart."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image, ImageDraw

from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import month_reports, projects_of, save_report
from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.services import evidence
from minsheng_desktop.services.backup import make_backup
from minsheng_desktop.domain.model import Report
from minsheng_desktop.services.month_data import collect_month
from minsheng_desktop.exporters.district import (
    CHART_SHEET, build_district_bulletin, build_district_docx, build_district_xlsx, completion_figures,
)

FIX = Path(__file__).parent / "fixtures"
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "m.db")
    lid, _ = import_file(db, FIX / "000_wulong_2023_notice.docx")
    ps = [p for p in projects_of(db, lid) if p.is_leaf]
    for k, p in enumerate(ps[:6]):
        save_report(db, Report(p.id, "2023-06", percent=10.0 * (k + 1), investment_done_wan=k * 10.0))
    photo = tmp_path / "现场照片.png"
    img = Image.new("RGB", (3200, 2400), (90, 140, 200))
    ImageDraw.Draw(img).rectangle([800, 800, 2400, 1600], fill=(230, 180, 40))
    img.save(photo)
    pdf = tmp_path / "验收报告.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    yield db, lid, ps, photo, pdf
    db.close()


def test_attach_downscale_and_dedup(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, lid, ps, photo, pdf = setup
    a = evidence.add_evidence(db, ps[0].id, "2023-06", photo, "改造后的外立面")
    assert a.mime == "image/jpeg" and max(a.width, a.height) == 1600 and a.caption == "改造后的外立面"
    data = evidence.file_data(db, a.sha256)
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "JPEG" and im.size == (1600, 1200)
    with Image.open(io.BytesIO(evidence.thumbnail(db, a.sha256))) as th:
        assert max(th.size) == 200
    again = evidence.add_evidence(db, ps[0].id, "2023-06", photo)
    assert again.id == a.id  # the same photo on the same report: kept once
    other = evidence.add_evidence(db, ps[1].id, "2023-06", photo, "同一张照片")
    assert other.id != a.id and other.sha256 == a.sha256
    assert db.conn.execute("SELECT COUNT(*) FROM evidence_files").fetchone()[0] == 1  # stored once by hash
    p = evidence.add_evidence(db, ps[0].id, "2023-06", pdf)
    assert p.mime == "application/pdf" and evidence.file_data(db, p.sha256) == MINIMAL_PDF
    assert evidence.thumbnail(db, p.sha256)[:2] == b"\xff\xd8"
    assert [i.filename for i in evidence.list_evidence(db, ps[0].id, "2023-06")] == ["现场照片.png", "验收报告.pdf"]
    evidence.set_caption(db, p.id, " 竣工验收报告 ")
    assert evidence.get_evidence(db, p.id).caption == "竣工验收报告"
    evidence.remove_evidence(db, p.id)
    assert [i.id for i in evidence.list_evidence(db, ps[0].id)] == [a.id]
    # a month with no report yet gets one, so the photo has somewhere to live
    fresh = evidence.add_evidence(db, ps[10].id, "2023-07", photo)
    assert fresh.month == "2023-07" and month_reports(db, lid, "2023-07")[ps[10].id]
    # backups carry the files
    copy = make_backup(db, tmp_path / "b.db", reason="test")
    with open_database(copy) as b:
        assert evidence.file_data(b, a.sha256) == data


@pytest.mark.parametrize("content, words", [(b"not an image", "不是可识别的图片"), (b"%PDF-" + b"0" * 10, None)])
def test_rejects_what_is_not_a_photo(setup, tmp_path: Path, content: bytes, words: str | None) -> None:  # type: ignore[no-untyped-def]
    db, _, ps, _, _ = setup
    f = tmp_path / "x.jpg"
    f.write_bytes(content)
    if words is None:  # a PDF is accepted whatever its name; one over 20 MB is not
        assert evidence.add_evidence(db, ps[0].id, "2023-06", f).mime == "application/pdf"
        with open(f, "ab") as fh:
            fh.truncate(evidence.MAX_PDF_BYTES + 1)
        words = "超过 20 MB"
    with pytest.raises(evidence.EvidenceError, match=words):
        evidence.add_evidence(db, ps[0].id, "2023-06", f)


def test_docx_appendix_has_photos_and_captions(setup) -> None:  # type: ignore[no-untyped-def]
    db, lid, ps, photo, pdf = setup
    evidence.add_evidence(db, ps[0].id, "2023-06", photo, "改造后的外立面")
    evidence.add_evidence(db, ps[2].id, "2023-06", pdf, "验收报告")
    tl = select_list(db)
    data = collect_month(db, tl, "2023-06", today=date(2023, 7, 3))
    photos = evidence.photos_for_month(db, lid, "2023-06")
    for blob in (build_district_docx(data, photos), build_district_bulletin(data, photos)):
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            media = [n for n in z.namelist() if n.startswith("word/media/")]
            body = z.read("word/document.xml").decode()
        jpegs = [n for n in media if n.endswith((".jpg", ".jpeg"))]
        assert jpegs, media
        text = "\n".join(p.text for p in Document(io.BytesIO(blob)).paragraphs)
        assert "佐证材料" in text
        assert f"照片1　{ps[0].number}.{ps[0].name}　2023年6月　改造后的外立面" in text
        assert "验收报告.pdf" in text and "验收报告" in text
        assert 'w:eastAsia="' in body
    plain = build_district_docx(data, None)
    assert "佐证材料" not in "\n".join(p.text for p in Document(io.BytesIO(plain)).paragraphs)


def test_district_chart_same_figures_in_xlsx_and_docx(setup) -> None:  # type: ignore[no-untyped-def]
    db, lid, ps, _, _ = setup
    tl = select_list(db)
    data = collect_month(db, tl, "2023-06", today=date(2023, 7, 3))
    figs = completion_figures(data)
    assert len(figs) == len(data.leaves) and figs[0].percent == 10.0 and figs[-1].status is None
    wb = load_workbook(io.BytesIO(build_district_xlsx(data)))
    assert wb.sheetnames[0] == "2023年6月" and "_minsheng" in wb.sheetnames
    ws = wb[CHART_SHEET]
    assert len(ws._charts) == 1 and ws._charts[0].type == "bar"
    values = [ws.cell(r, 4).value for r in range(4, 4 + len(figs))]
    assert values == [f.percent for f in figs]
    blob = build_district_bulletin(data)
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        pngs = [n for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        assert len(pngs) == 1
        with Image.open(io.BytesIO(z.read(pngs[0]))) as im:
            assert im.width == 1800
    text = [p.text for p in Document(io.BytesIO(blob)).paragraphs]
    cap = next(i for i, t in enumerate(text) if t.startswith("图1"))
    assert text[cap + 1].startswith("二、") and "各项目完成进度（截至6月底）" in text[cap]
