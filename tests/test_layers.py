"""The import rules (issue 14): the contracts in pyproject.toml's [tool.importlinter] hold, and they bite.

gui and cli -> services (the use cases) -> storage / importers / exporters / mail -> domain; Qt only in gui;
domain imports nothing else of ours; no import cycles. Existing breaches are listed there as
"debt (issue 14)".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter", reason="import-linter is not installed (pip install -e '.[test]')")

ROOT = Path(__file__).resolve().parent.parent

# The console script `lint-imports`, run with this interpreter so the venv's import-linter is the one used.
# --no-cache: nothing written into the working tree.
LINT = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
        "--no-cache", "--no-logo"]


def lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, COLUMNS="250", PYTHONIOENCODING="utf-8"))


def test_contracts_are_kept() -> None:
    r = lint(ROOT)
    assert r.returncode == 0, f"lint-imports failed:\n{r.stdout}\n{r.stderr}"
    assert "0 broken" in r.stdout


LAYERS, SERVICES, QT, DOMAIN, CYCLES = "Layers:", "only through the use cases", "Only gui imports Qt", \
    "outside domain", "No import cycles"
CLI = "The command line package"

# One new breach each, written into a copy of the package: (file, its code, the contracts it must break).
BREACHES = {
    # gui -> storage exists (debt), so this one also closes a cycle
    "storage imports gui": ("storage/zz_breach.py", "from ..gui import app\n", {LAYERS, CYCLES}),
    "importers import exporters": ("importers/zz_x.py", "from ..exporters import xlsx\n", {LAYERS}),
    "a module left out of the layers": ("zz_new.py", "X = 1\n", {LAYERS}),
    "gui imports storage once more": ("gui/zz_breach.py", "from ..storage import repo\n", {SERVICES}),
    "cli imports mail once more": ("cli/collect.py", "from ..mail import send\n", {SERVICES}),
    "a command opens the window": ("cli/dump.py", "from ..gui import app\n", {LAYERS}),
    "a command imports the entry point": ("cli/backup.py", "from . import entry\n", {LAYERS, CLI}),
    "a module of cli/ left out of its layers": ("cli/zz_new.py", "X = 1\n", {CLI}),
    "storage imports Qt": ("storage/zz_breach.py", "import PySide6\n", {QT}),
    "domain imports paths": ("domain/zz_breach.py", "from .. import paths\n", {DOMAIN}),  # layers allow it
    "a new cycle": ("domain/zz_breach.py", "from . import model\n", {CYCLES}),
}


@pytest.mark.parametrize("breach", list(BREACHES))
def test_contracts_bite(breach: str, tmp_path: Path) -> None:
    path, code, contracts = BREACHES[breach]
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    pkg = tmp_path / "minsheng_desktop"
    shutil.copytree(ROOT / "minsheng_desktop", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    target = pkg / path
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(old + code, encoding="utf-8")
    if breach == "a new cycle":
        (pkg / "domain" / "model.py").write_text((pkg / "domain" / "model.py").read_text(encoding="utf-8")
                                                 + "\nfrom . import zz_breach  # noqa\n", encoding="utf-8")
    r = lint(tmp_path)
    out = r.stdout + r.stderr
    assert r.returncode != 0, f"lint-imports passed despite {breach}:\n{out}"
    broken = {c for c in (LAYERS, SERVICES, QT, DOMAIN, CYCLES, CLI)
              for line in out.splitlines() if c in line and " BROKEN" in line}
    assert broken == contracts, f"expected {sorted(contracts)} to break, not {sorted(broken)}:\n{out}"
