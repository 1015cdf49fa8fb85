"""The project tree model passes Qt's model tester, and its proxy filters recursively."""

from __future__ import annotations

from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import month_reports, projects_of
from minsheng_desktop.gui.tree_model import ListData, ProjectFilter, ProjectRole, ProjectTreeModel
from minsheng_desktop.storage import repo
from minsheng_desktop.storage.db import Database


def _model(db_path, fixtures_dir) -> ProjectTreeModel:
    with Database(db_path) as db:
        import_file(db, fixtures_dir / "000_wulong_2023_notice.docx")
        import_file(db, fixtures_dir / "004_chengkou_2023_list.xlsx")
        data = [ListData(t, projects_of(db, t.id), "2023-06", month_reports(db, t.id, "2023-06"))
                for t in repo.list_target_lists(db)]
    m = ProjectTreeModel()
    m.set_lists(data)
    return m


def test_model_tester(qtmodeltester, db_path, fixtures_dir):
    m = _model(db_path, fixtures_dir)
    assert m.rowCount() == 2
    qtmodeltester.check(m)
    proxy = ProjectFilter()
    proxy.setSourceModel(m)
    proxy.set_text("老旧小区")
    qtmodeltester.check(proxy)


def test_sub_projects_sit_under_their_parent(db_path, fixtures_dir):
    m = _model(db_path, fixtures_dir)
    found = []

    def walk(parent, depth):
        for r in range(m.rowCount(parent)):
            idx = m.index(r, 0, parent)
            p = idx.data(ProjectRole)
            if p is not None and p.parent_id:
                found.append((depth, idx.parent().data(ProjectRole).id == p.parent_id))
            walk(idx, depth + 1)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex(), 0)
    assert found and all(ok for _, ok in found)
