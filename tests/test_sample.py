"""The sample data (issue 16, item 5): shipped in the package, the script's own output, loaded into a database
of its own and never into the clerk's."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest

from minsheng_desktop.paths import default_db_path
from minsheng_desktop.services import sample
from minsheng_desktop.services.database import StoreError, open_database
from minsheng_desktop.services.lists import target_lists
from minsheng_desktop.domain.model import Report
from minsheng_desktop.services.reports import project_reports, projects_of, save_report

ROOT = Path(__file__).resolve().parent.parent


def test_sample_file_is_the_scripts_output():
    """scripts/build_sample.py makes the file from the 武隆 notice through the services; run it again after a
    change of the dump format (it is seeded: the same input gives the same file)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_sample
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    shipped = json.loads(sample.SAMPLE_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(shipped, json.loads((ROOT / "tests" / "fixtures" / "dump.schema.json").read_text()))
    assert shipped == build_sample.build(), "run python scripts/build_sample.py"


def test_sample_ships_with_the_program():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["minsheng_desktop"]
    package = ROOT / "minsheng_desktop"
    assert any(sample.SAMPLE_FILE in package.glob(g) for g in globs)  # in the wheel
    spec = (ROOT / "packaging" / "minsheng.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "minsheng_desktop" / "sample"), "minsheng_desktop/sample")' in spec  # in the bundle


def test_create_sample_in_its_own_database(tmp_path):
    path = sample.create_sample(tmp_path / "示例" / "示例数据.sqlite")
    with open_database(path) as db:
        (tl,) = target_lists(db)
        projects = projects_of(db, tl.id)
        assert (tl.year, tl.region, len(projects)) == (2023, "武隆区", 28)
        months = {r.month for p in projects for r in project_reports(db, p.id)}
        assert months == {"2023-09", "2023-10", "2023-11", "2023-12"}
    pid = projects[0].id
    with open_database(path) as db:  # something typed into the sample…
        save_report(db, Report(pid, "2023-12", progress="试着改一改"))
    sample.create_sample(path)  # …is gone when it is opened again
    with open_database(path) as db:
        assert not any(r.progress == "试着改一改" for r in project_reports(db, pid))
        assert sum(len(project_reports(db, p.id)) for p in projects_of(db, tl.id)) > 60


def test_sample_never_in_the_clerks_file(tmp_path):
    clerk = tmp_path / "minsheng.db"
    with open_database(clerk):
        pass
    before = clerk.read_bytes()
    with pytest.raises(StoreError):
        sample.create_sample(clerk, clerk_db=clerk)
    assert clerk.read_bytes() == before
    assert sample.sample_db_path().parent != default_db_path().parent
    assert sample.is_sample(sample.sample_db_path()) and not sample.is_sample(default_db_path())
