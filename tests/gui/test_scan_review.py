"""The preview of a scan: page image beside the cells, uncertain cells marked, corrections are what is stored.

The OCR itself is tested in tests/test_import_ocr.py; here the window gets a read document shaped as OCR
gives it (page images, a confidence and a box per cell), built from the 城口 notice with two cells misread,
so that what the clerk sees and what is stored can be checked exactly.
"""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image, ImageDraw
from PySide6.QtCore import Qt

from minsheng_desktop.services.dump import dump
from minsheng_desktop.services.database import open_database
from minsheng_desktop.services import importing, lists
from minsheng_desktop.importers.grid import read_docx


def _page_png(width: int = 800, height: int = 1100) -> bytes:
    img = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(img).rectangle((40, 40, width - 40, height - 40), outline="black", width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _scanned_like(fixtures_dir):
    """The 城口 notice as OCR would deliver it: every cell on page 0 with a box, 项目 3's name misread."""
    doc = read_docx(fixtures_dir / "004_chengkou_2023_notice.docx")
    table = doc.tables[0]
    seen: dict[int, object] = {}
    rows = []
    for r, row in enumerate(table.rows):
        out = []
        for c, cell in enumerate(row):
            new = seen.get(id(cell))
            if new is None:
                new = replace(cell, confidence=0.99, page=0, box=(40 + 100 * c, 40 + 30 * r, 130 + 100 * c, 66 + 30 * r))
                seen[id(cell)] = new
            out.append(new)
        rows.append(out)
    table.rows = rows
    bad = next(row for row in rows if row[0].text == "3")
    name_cell = bad[1]
    truth = name_cell.text
    name_cell.text = truth.replace("城", "域", 1) if "城" in truth else truth + "口"
    name_cell.confidence = 0.62
    lead = next(row for row in rows if row[0].text == "5")[-2]
    lead.confidence = 0.71  # unsure, but right: the clerk looks and leaves it
    doc.kind = "scan"
    doc.pages = [_page_png()]
    return doc, truth, name_cell.text


def test_scan_preview_marks_uncertain_cells_and_stores_corrections(qtbot, open_window, fixtures_dir, monkeypatch):
    doc, truth, misread = _scanned_like(fixtures_dir)
    monkeypatch.setattr(importing, "read_source", lambda path, progress=None: doc)
    w = open_window()
    with qtbot.waitSignal(w.previewReady, timeout=20000) as shown:
        w.import_file(str(fixtures_dir / "004_chengkou_2023_scanned.pdf"))
    dlg = shown.args[0]
    review = dlg.scan_review
    assert review is not None and dlg.tabs.currentWidget() is review  # opens on the page and the cells
    assert "2 个单元格" in review.hint.text()
    model = review.model
    low = model.low_positions()
    assert len(low) == 2
    r, c = low[0]
    assert model.index(r, c).data() == misread
    assert model.index(r, c).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "识别把握 62%" in model.index(r, c).data(Qt.ItemDataRole.ToolTipRole)

    # 下一个待核对 frames the cell on the page image
    review.next_low()
    assert (review.cells.currentIndex().row(), review.cells.currentIndex().column()) == (r, c)
    assert review.pages._frame.isVisible()

    names = dlg.rows.model()
    assert any(names.index(i, 2).data() == misread for i in range(names.rowCount()))
    assert model.setData(model.index(r, c), truth, Qt.ItemDataRole.EditRole)
    names = dlg.rows.model()  # the projects were read again from the corrected cells
    got = [names.index(i, 2).data() for i in range(names.rowCount())]
    assert truth in got and misread not in got
    assert len(model.low_positions()) == 1 and "1 个单元格" in review.hint.text()
    assert "已更正" in model.index(r, c).data(Qt.ItemDataRole.ToolTipRole)
    assert lists.target_lists(w.db) == []  # still nothing stored

    with qtbot.waitSignal(w.importFinished, timeout=20000) as done:
        dlg.import_button.click()
    assert done.args == [True]
    with open_database(w.db_path) as db:
        stored = dump(db)["target_lists"][0]["projects"]
    stored_names = [p["name"] for p in stored]
    assert truth in stored_names and misread not in stored_names


def test_a_correction_that_breaks_the_table_blocks_import_until_fixed(qtbot, open_window, fixtures_dir, monkeypatch):
    doc, _, _ = _scanned_like(fixtures_dir)
    monkeypatch.setattr(importing, "read_source", lambda path, progress=None: doc)
    w = open_window()
    with qtbot.waitSignal(w.previewReady, timeout=20000) as shown:
        w.import_file(str(fixtures_dir / "004_chengkou_2023_scanned.pdf"))
    dlg = shown.args[0]
    model = dlg.scan_review.model
    header_row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == "项目名称")
    # erase every header word: the table no longer has a header to read
    for c in range(model.columnCount()):
        model.setData(model.index(header_row, c), "", Qt.ItemDataRole.EditRole)
    assert not dlg.problem.isHidden() and "表头" in dlg.problem.text()
    assert not dlg.import_button.isEnabled()
    model.setData(model.index(header_row, 0), "序号", Qt.ItemDataRole.EditRole)
    model.setData(model.index(header_row, 1), "项目名称", Qt.ItemDataRole.EditRole)
    assert dlg.problem.isHidden() and dlg.import_button.isEnabled()
    dlg.reject()


def test_the_real_scan_through_the_window(qtbot, open_window, fixtures_dir):
    """The scanned 城口 notice, OCR and all, in the background: page n of N, then the preview on the pages."""
    w = open_window()
    seen: list[tuple[int, int]] = []

    def watch() -> None:  # sampled while OCR runs on the worker: the window keeps turning
        if w.importer.progress is not None:
            seen.append((w.importer.progress.value(), w.importer.progress.maximum()))

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(50)
    with qtbot.waitSignal(w.previewReady, timeout=120000) as shown:
        w.import_file(str(fixtures_dir / "004_chengkou_2023_scanned.pdf"))
    timer.stop()
    assert any(maximum == 100 and 0 < value < 100 for value, maximum in seen)  # page n of N was shown
    dlg = shown.args[0]
    review = dlg.scan_review
    assert review is not None and review.pages.page_count == 4
    assert dlg.rows.model().rowCount() == 15
    assert review.model.rowCount() >= 16  # header + 15 projects
    dlg.reject()
