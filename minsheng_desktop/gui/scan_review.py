"""Checking what OCR read from a scan or photos: the page image beside the table's cells.

Cells the engine was unsure of are marked; the clerk corrects a cell by double-clicking it, and the
projects are read again from the corrected cells by the same rules as any file (services.correct_preview).
What is stored on 导入 is what the corrected cells say.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGraphicsPixmapItem, QGraphicsRectItem, QGraphicsScene, QGraphicsView,
    QHBoxLayout, QLabel, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from ..services.importing import ImportPreview

LOW = QColor("#ffd966")        # a cell to check
CORRECTED = QColor("#c6efce")  # a cell the clerk corrected
LOW_CONFIDENCE = 0.9           # as importers.grid.LOW_CONFIDENCE (the model carries each cell's own flag)


class CellsModel(QAbstractTableModel):
    """The table the projects were read from, one grid position per model cell; a merged cell is shown once
    (the view spans it) and edits go to every position it covers."""

    corrected = Signal(int, int, str)  # row, column, new text

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert preview.source is not None and preview.table_index is not None
        self.table_index = preview.table_index
        table = preview.source.tables[preview.table_index]
        self._rows = table.rows
        self._width = table.width
        self._edits: dict[tuple[int, int], str] = {
            (r, c): text for (t, r, c), text in preview.corrections.items() if t == self.table_index}
        # Each distinct cell: its first (top-left) position and its extent.
        self.origin: dict[int, tuple[int, int]] = {}
        self.extent: dict[int, tuple[int, int]] = {}
        for r, row in enumerate(self._rows):
            for c, cell in enumerate(row):
                key = id(cell)
                if key not in self.origin:
                    self.origin[key] = (r, c)
                    self.extent[key] = (1, 1)
                else:
                    r0, c0 = self.origin[key]
                    self.extent[key] = (max(self.extent[key][0], r - r0 + 1), max(self.extent[key][1], c - c0 + 1))

    def cell(self, r: int, c: int) -> Any:
        row = self._rows[r]
        return row[c] if c < len(row) else None

    def spans(self) -> list[tuple[int, int, int, int]]:
        return [(r, c, h, w) for key, (r, c) in self.origin.items() for h, w in [self.extent[key]] if h > 1 or w > 1]

    def is_low(self, r: int, c: int) -> bool:
        cell = self.cell(r, c)
        return (cell is not None and cell.confidence is not None and cell.confidence < LOW_CONFIDENCE
                and self._origin_of(r, c) not in self._edits)

    def low_positions(self) -> list[tuple[int, int]]:
        return sorted({self.origin[id(cell)] for row in self._rows for cell in row
                       if cell.confidence is not None and cell.confidence < LOW_CONFIDENCE
                       and self.origin[id(cell)] not in self._edits})

    def _origin_of(self, r: int, c: int) -> tuple[int, int]:
        cell = self.cell(r, c)
        return self.origin[id(cell)] if cell is not None else (r, c)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._width

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if self.cell(index.row(), index.column()) is not None else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        cell = self.cell(r, c)
        if cell is None:
            return None
        origin = self.origin[id(cell)]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._edits.get(origin, cell.text)
        if role == Qt.ItemDataRole.BackgroundRole:
            if origin in self._edits:
                return QBrush(CORRECTED)
            if self.is_low(r, c):
                return QBrush(LOW)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if origin in self._edits:
                return f"已更正（原识别：{cell.text or '空'}）"
            if cell.confidence is not None:
                sure = f"识别把握 {cell.confidence:.0%}"
                return sure + ("，请对照原件核对" if self.is_low(r, c) else "")
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 2) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        cell = self.cell(index.row(), index.column())
        if cell is None:
            return False
        text = str(value).strip()
        origin = self.origin[id(cell)]
        if text == self._edits.get(origin, cell.text):
            return False
        self._edits[origin] = text
        h, w = self.extent[id(cell)]
        self.dataChanged.emit(self.index(*origin), self.index(origin[0] + h - 1, origin[1] + w - 1))
        self.corrected.emit(origin[0], origin[1], text)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None


class PageView(QGraphicsView):
    """One page image at a time, the selected cell framed in red."""

    def __init__(self, pages: list[bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self._pixmaps = []
        for data in pages:
            pm = QPixmap()
            pm.loadFromData(data)
            self._pixmaps.append(pm)
        self._item = QGraphicsPixmapItem()
        self._scene.addItem(self._item)
        self._frame = QGraphicsRectItem()
        self._frame.setPen(QPen(QColor("#d00000"), 3))
        self._frame.setZValue(1)
        self._frame.hide()
        self._scene.addItem(self._frame)
        self.page = -1
        if self._pixmaps:
            self.show_page(0)

    @property
    def page_count(self) -> int:
        return len(self._pixmaps)

    def show_page(self, page: int) -> None:
        if not 0 <= page < len(self._pixmaps) or page == self.page:
            return
        self.page = page
        pm = self._pixmaps[page]
        self._item.setPixmap(pm)
        self._scene.setSceneRect(QRectF(pm.rect()))
        self._frame.hide()
        self._fit_width()

    def frame(self, page: int | None, box: tuple[int, int, int, int] | None) -> None:
        if page is None or box is None:
            self._frame.hide()
            return
        self.show_page(page)
        left, top, right, bottom = box
        self._frame.setRect(QRectF(left - 2, top - 2, right - left + 4, bottom - top + 4))
        self._frame.show()
        self.ensureVisible(self._frame, 40, 40)

    def _fit_width(self) -> None:
        rect = self._scene.sceneRect()
        if rect.width() > 0 and self.viewport().width() > 0:
            self.resetTransform()
            scale = (self.viewport().width() - 4) / rect.width()
            self.scale(scale, scale)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_width()


class ScanReview(QWidget):
    """The page images beside the cells read from them; corrections call ``recompute``."""

    def __init__(self, preview: ImportPreview, recompute: Callable[[dict[tuple[int, int, int], str]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert preview.source is not None
        self._recompute = recompute
        self.model = CellsModel(preview, self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        top.addWidget(self.hint, 1)
        self.page_box = QComboBox()
        top.addWidget(self.page_box)
        self.next_button = QPushButton("下一个待核对(&N)")
        self.next_button.clicked.connect(self.next_low)
        top.addWidget(self.next_button)
        lay.addLayout(top)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.pages = PageView(preview.source.pages)
        for i in range(self.pages.page_count):
            self.page_box.addItem(f"第 {i + 1} 页")
        self.page_box.currentIndexChanged.connect(self.pages.show_page)
        self.cells = QTableView()
        self.cells.setModel(self.model)
        self.cells.setWordWrap(True)
        self.cells.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        for r, c, h, w in self.model.spans():
            self.cells.setSpan(r, c, h, w)
        # Narrow columns for short cells (序号, amounts), wide for long texts; the last column takes the rest.
        for c in range(self.model.columnCount()):
            lengths = [len(self.model.cell(r, c).text) for r in range(self.model.rowCount())
                       if self.model.cell(r, c) is not None]
            typical = sorted(lengths)[len(lengths) // 2] if lengths else 4
            self.cells.setColumnWidth(c, max(48, min(260, 16 * typical // 2 + 24)))
        self.cells.horizontalHeader().setStretchLastSection(True)
        self.cells.verticalHeader().setDefaultSectionSize(44)
        self.cells.selectionModel().currentChanged.connect(self._current_changed)
        split.addWidget(self.pages)
        split.addWidget(self.cells)
        split.setSizes([480, 620])
        lay.addWidget(split, 1)
        self.model.corrected.connect(self._corrected)
        self._update_hint()

    def _update_hint(self) -> None:
        low = len(self.model.low_positions())
        pages = self.pages.page_count
        if low:
            self.hint.setText(f"从 {pages} 页图片中识别。有 {low} 个单元格识别把握较低（黄色），请对照左边的原件核对；"
                              "双击单元格即可更正，项目清单随即按更正重新读取，导入时保存更正后的内容。")
        else:
            self.hint.setText(f"从 {pages} 页图片中识别，没有把握较低的单元格。仍可双击任一单元格更正。")
        self.next_button.setEnabled(bool(low))

    def next_low(self) -> None:
        positions = self.model.low_positions()
        if not positions:
            return
        cur = self.cells.currentIndex()
        here = (cur.row(), cur.column()) if cur.isValid() else (-1, -1)
        target = next((p for p in positions if p > here), positions[0])
        self.cells.setCurrentIndex(self.model.index(*target))
        self.cells.scrollTo(self.model.index(*target))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        cell = self.model.cell(current.row(), current.column()) if current.isValid() else None
        if cell is not None and cell.page is not None:
            self.page_box.blockSignals(True)
            self.page_box.setCurrentIndex(cell.page)
            self.page_box.blockSignals(False)
        self.pages.frame(getattr(cell, "page", None), getattr(cell, "box", None))

    def _corrected(self, r: int, c: int, text: str) -> None:
        self._update_hint()
        self._recompute({(self.model.table_index, r, c): text})
