"""The window's three parts — the project tree, the detail pane, the report form — laid out for the width there
is (issue 16): side by side from THREE_COLUMNS_FROM logical pixels on, below that the detail pane becomes a tab
beside the form (月度填报 | 项目详情), so that the form keeps a width at which every field shows without a
horizontal scrollbar rather than all three being squeezed.

The clerk's splitter positions are kept per arrangement; the window restores them only where its saved size
still fits the screen (main_window._restore), and no part is ever made narrower than its minimum."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QScrollArea, QSplitter, QTabWidget, QWidget

THREE_COLUMNS_FROM = 1440  # the splitter's width (logical px) from which the detail pane has its own column
LEFT_MIN = 280  # the tree's search bar and its first columns
DETAIL_MIN = 300
FORM_MIN = 380  # at least; more if the form's fields need it (form_min_width)
SHARES = {3: (0.42, 0.25, 0.33), 2: (0.5, 0.5)}  # the first split of the width, per arrangement
FORM_TAB, DETAIL_TAB = "月度填报", "项目详情"


def form_min_width(form: QWidget) -> int:
    """The width at which the form's own scroll area needs no horizontal scrollbar."""
    area = form.findChild(QScrollArea)
    if area is None or area.widget() is None:
        return FORM_MIN
    body = area.widget().minimumSizeHint().width()
    return max(FORM_MIN, body + area.verticalScrollBar().sizeHint().width() + 2 * area.frameWidth())


class Panes(QObject):
    """Owns the splitter; ``columns`` is 3 (tree | detail | form) or 2 (tree | 月度填报/项目详情 tabs)."""

    def __init__(self, left: QWidget, detail: QWidget, form: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.left, self.detail, self.form = left, detail, form
        self.splitter = QSplitter()  # horizontal (not named: Qt.Orientation would create all Qt's enums)
        self.splitter.setChildrenCollapsible(False)
        self.side = QTabWidget()  # the form and the detail pane as tabs, in the narrow arrangement
        self.side.setDocumentMode(True)
        left.setMinimumWidth(LEFT_MIN)
        detail.setMinimumWidth(DETAIL_MIN)
        form.setMinimumWidth(form_min_width(form))
        # Built in two columns, the arrangement with the smaller minimum width: a window on a small screen is
        # never held wider than its first size; restore() or the first resize makes it three where there is room.
        self.side.addTab(form, FORM_TAB)
        self.side.addTab(detail, DETAIL_TAB)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side)
        self.columns = 2
        self._sizes: dict[int, list[int]] = {}  # columns -> the clerk's sizes, as the splitter gave them
        self.splitter.splitterMoved.connect(lambda *_: self._keep_sizes())
        self.splitter.installEventFilter(self)
        self._pending = False  # a change of arrangement is posted
        self._sizes_due = True  # the sizes are set once the splitter has its width (shown)

    # ------------------------------------------------------------ the arrangement
    def columns_for(self, width: int) -> int:
        return 3 if width >= THREE_COLUMNS_FROM else 2

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is not self.splitter:
            return False
        kind = event.type()
        if kind == QEvent.Type.Show and self._sizes_due:
            self._apply_sizes()
        elif kind == QEvent.Type.Resize and not self._pending:
            if self._sizes_due:
                self._apply_sizes()
            if self.columns_for(self.splitter.width()) != self.columns:
                self._pending = True  # not in the middle of the resize: right after it
                QTimer.singleShot(0, self._rearrange)
        return False

    def _rearrange(self) -> None:
        self._pending = False
        self.arrange(self.columns_for(self.splitter.width()))

    def arrange(self, columns: int) -> None:
        """Put the parts in ``columns`` columns (3 or 2) with the clerk's sizes for it, else the first split."""
        if columns != self.columns:
            self.form.setMinimumWidth(form_min_width(self.form))
            if columns == 2:
                focus = QApplication.focusWidget()
                current = focus is not None and self.form.isAncestorOf(focus)
                self.side.addTab(self.form, FORM_TAB)  # taken out of the splitter
                self.side.addTab(self.detail, DETAIL_TAB)
                self.splitter.addWidget(self.side)
                self.side.show()
                self.side.setCurrentIndex(0)
                if current:
                    self.form.setFocus()
            else:
                self.side.removeTab(1)
                self.side.removeTab(0)
                self.side.setParent(None)  # type: ignore[call-overload]
                self.splitter.addWidget(self.detail)
                self.splitter.addWidget(self.form)
                self.detail.show()
                self.form.show()
            self.columns = columns
        self._sizes_due = True
        self._apply_sizes()

    def _apply_sizes(self) -> None:
        """The clerk's sizes for this arrangement, else the first split — once the splitter is shown: sizes set
        before it has its width are squeezed into the default one and lose their proportions."""
        if not self.splitter.isVisible():
            return
        self._sizes_due = False
        total = self.splitter.width()
        self.splitter.setSizes(self._sizes.get(self.columns) or [round(s * total) for s in SHARES[self.columns]])

    def _keep_sizes(self) -> None:
        self._sizes[self.columns] = self.splitter.sizes()

    def show_form(self) -> None:
        """Bring the form forward (in the narrow arrangement it may be behind 项目详情)."""
        if self.columns == 2:
            self.side.setCurrentWidget(self.form)

    # ------------------------------------------------------------ remembered sizes
    def save(self, settings: QSettings) -> None:
        self._keep_sizes()
        for columns, sizes in self._sizes.items():
            settings.setValue(f"splitter{columns}", json.dumps(sizes))

    def restore(self, settings: QSettings, width: int, use_saved: bool) -> None:
        """Arrange for a window ``width`` wide; with ``use_saved`` (the saved window size fits this screen) the
        clerk's splitter positions come back, each arrangement's own."""
        if use_saved:
            for columns in (2, 3):
                try:
                    sizes = json.loads(str(settings.value(f"splitter{columns}", "") or "null"))
                except ValueError:
                    continue
                if isinstance(sizes, list) and len(sizes) == columns and all(
                        isinstance(s, int) and s > 0 for s in sizes):
                    self._sizes[columns] = sizes
        self.arrange(self.columns_for(width))
