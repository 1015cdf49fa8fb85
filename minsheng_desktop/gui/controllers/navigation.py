"""The project tree: reading the lists into it, loading a collapsed list when opened, expanding and spanning its
groups, selecting (a key, a project, the first search match), and the search / 只看本单位 / 显示已撤销 filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QTimer

from .. import dialogs
from ..tree_model import KeyRole, ListData, ListIdRole, ProjectRole

if TYPE_CHECKING:
    from .month import MonthController
    from .window import Window


class NavigationController:
    def __init__(self, window: Window, month_view: MonthController) -> None:
        self.w = window
        self.state = window.state
        self.month_view = month_view
        self._opened: set[int] = set()  # lists whose groups were expanded and spanned once

    # ------------------------------------------------------------ reading the lists
    def startup_list(self) -> int | None:
        """The list the clerk last worked in (from the last selection), else None: the newest."""
        key = str(self.w.settings.value("last_selection", "") or "")
        kind, _, rest = key.partition(":")
        try:
            if kind in ("list", "section"):
                return int(rest.split(":")[0])
            if kind == "project":
                return self.state.list_of_project(rest)
        except ValueError:
            pass
        return None

    def reload(self, list_id: int | None = None) -> None:
        """Read the lists again (at start, after an import); keeps the selection.

        Only the current list (and lists the clerk has opened) are read; the others are collapsed rows whose
        projects are read when they are expanded."""
        state, model = self.state, self.w.model
        key = self.current_key()
        counts = state.read_lists()
        loaded = set(model.loaded_ids())
        if state.choose_list(list_id, state.list_id) is not None:
            loaded.add(state.list_id)  # type: ignore[arg-type]
        data = []
        for target_list in state.lists.values():
            if target_list.id in loaded:
                projects, shown, cells = state.load_list(target_list.id)
                data.append(ListData(target_list, projects, shown, cells))
            else:
                data.append(ListData(target_list, None, state.months.get(target_list.id, ""), {},
                                     counts.get(target_list.id, 0)))
        model.set_lists(data)
        # The loaded lists are spanned (the reset above) and expanded here: expanded() need not do it again.
        self._opened.update(model.loaded_ids())
        self.expand_loaded()
        if key:
            self.select_key(key)
        self.month_view.refresh_overview()

    # ------------------------------------------------------------ expanding and spanning
    def expand_loaded(self, only: int | None = None) -> None:
        """Expand the loaded lists' groups (sections, projects with sub-projects), not every row of the tree
        (which would also load every collapsed list)."""
        tree, proxy, model = self.w.tree, self.w.proxy, self.w.model
        for list_id in ([only] if only is not None else model.loaded_ids()):
            ln = model.node_for_key(f"list:{list_id}")
            stack = [ln] if ln is not None else []
            while stack:
                node = stack.pop()
                idx = proxy.mapFromSource(model.index_for_key(node.key))
                if not idx.isValid():
                    continue
                if not tree.isExpanded(idx):
                    tree.expand(idx)
                stack.extend(c for c in node.vk if c.children)

    def expanded(self, index: QModelIndex) -> None:
        """A collapsed list was opened (fetchMore has just loaded it): open its sections too, span its groups."""
        if index.parent().isValid():
            return
        list_id = index.data(ListIdRole)
        if list_id is not None and list_id not in self._opened:
            self._opened.add(list_id)
            QTimer.singleShot(0, lambda: (self.expand_loaded(list_id), self.span_groups()))

    def span_groups(self, *_: object, fresh: bool = False) -> None:
        """List and section rows show their title across all columns. Walked on the source nodes, so only the
        groups are mapped (not every project row); called after a reset, a filter change, a list loaded.
        ``fresh``: right after a reset, when no row is spanned yet (nothing to ask the view first)."""
        proxy, tree, model = self.w.proxy, self.w.tree, self.w.model
        root = QModelIndex()
        for ln in model.root_nodes():
            idx = proxy.mapFromSource(model.index_for_key(ln.key))
            if not idx.isValid():
                continue
            # Only when not yet spanned: setFirstColumnSpanned lays the whole tree out at once.
            if fresh or not tree.isFirstColumnSpanned(idx.row(), root):
                tree.setFirstColumnSpanned(idx.row(), root, True)
            for c in ln.children:
                if c.kind == "section":
                    sidx = proxy.mapFromSource(model.index_for_key(c.key))
                    if sidx.isValid() and (fresh or not tree.isFirstColumnSpanned(sidx.row(), idx)):
                        tree.setFirstColumnSpanned(sidx.row(), idx, True)

    # ------------------------------------------------------------ selecting
    def current_key(self) -> str | None:
        idx = self.w.tree.currentIndex()
        return idx.data(KeyRole) if idx.isValid() else None

    def select_key(self, key: str) -> bool:
        tree, proxy = self.w.tree, self.w.proxy
        idx = proxy.mapFromSource(self.w.model.index_for_key(key))
        if not idx.isValid():
            return False
        tree.setCurrentIndex(idx)
        tree.selectionModel().select(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                     | QItemSelectionModel.SelectionFlag.Rows)
        tree.scrollTo(idx)
        return True

    def select_project(self, project_id: str) -> None:
        w = self.w
        w.show_tab(0)
        if not self.select_key(f"project:{project_id}"):
            w.search.clear()
            w.show_withdrawn.setChecked(True)
            w.only_mine.setChecked(False)
            self.select_key(f"project:{project_id}")

    def current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        w, state = self.w, self.state
        p = current.data(ProjectRole) if current.isValid() else None
        list_id = current.data(ListIdRole) if current.isValid() else None
        list_changed = False
        if list_id and list_id != state.list_id:
            state.list_id, list_changed = list_id, True
        if state.list_id is not None and not w.model.is_loaded(state.list_id):
            w.model.ensure_loaded(state.list_id)  # a collapsed list chosen: its overview needs its projects
            self.expand_loaded(state.list_id)
            self.span_groups()
            list_changed = True
        state.project = p
        # The clerk's selection is remembered; restoring the stored one at start writes nothing (QSettings
        # would write its file before the first paint).
        if not w.starting:
            w.settings.setValue("last_selection", current.data(KeyRole) if current.isValid() else "")
        target_list = state.current_list()
        w.form.set_project(target_list, p, state.month_of(target_list) if target_list else "", state.calendar)
        self.month_view.refresh_detail()
        if list_changed or self.month_view.summary_of is None:
            self.month_view.refresh_overview()  # the overview is the list's: not rebuilt while moving inside it

    def reselect(self) -> None:
        """Show the current row again from scratch (after another database was put in place)."""
        idx = self.w.tree.currentIndex()
        self.current_changed(idx, idx)

    def activated(self, index: QModelIndex) -> None:
        p = index.data(ProjectRole)
        if p is not None and p.is_leaf:
            self.w.panes.show_form()  # in front of 项目详情 where the two share the window's right side
            self.w.form.progress.setFocus()

    def go_to_first_match(self) -> bool:
        """From the search box to the tree, on the first project shown (a sub-project to fill in first)."""
        proxy = self.w.proxy
        first: QModelIndex | None = None

        def walk(parent: QModelIndex) -> QModelIndex | None:
            nonlocal first
            for row in range(proxy.rowCount(parent)):
                idx = proxy.index(row, 0, parent)
                p = idx.data(ProjectRole)
                if p is not None:
                    if p.is_leaf:
                        return idx
                    first = first or idx
                found = walk(idx)
                if found is not None:
                    return found
            return None

        idx = walk(QModelIndex()) or first
        self.w.show_tab(0)
        if idx is None:
            return False
        key = idx.data(KeyRole)
        return bool(key) and self.select_key(key)

    # ------------------------------------------------------------ filters
    def search_changed(self, text: str) -> None:
        if self.w.proxy.set_text(text):
            self.after_filter()

    def after_filter(self) -> None:
        """Groups shown again by the filter are expanded (the filter keeps the groups that stay as they were)."""
        self.span_groups()
        self.expand_loaded()

    def only_mine_toggled(self, on: bool) -> None:
        w = self.w
        if on and not self.state.unit and not self.pick_unit():
            w.only_mine.setChecked(False)
            return
        w.proxy.set_unit(self.state.unit if on else None)
        w.settings.setValue("only_mine", on)
        self.after_filter()

    def withdrawn_toggled(self, on: bool) -> None:
        self.w.proxy.set_show_withdrawn(on)
        self.w.settings.setValue("show_withdrawn", on)
        self.after_filter()

    def pick_unit(self) -> bool:
        unit = dialogs.choose_unit(self.w, self.state.lead_units(), self.state.unit)
        if unit:
            self.set_unit(unit)
        return unit is not None

    def set_unit(self, unit: str | None) -> None:
        w = self.w
        self.state.unit = unit
        if (w.settings.value("my_unit") or "") != (unit or ""):  # restoring it at start writes nothing
            w.settings.setValue("my_unit", unit or "")
        w.only_mine.setText(f"只看本单位（{unit}）" if unit else "只看本单位")
        if w.only_mine.isChecked():
            w.proxy.set_unit(unit)
            self.after_filter()
        self.month_view.refresh_overview()
