#!/usr/bin/env bash
# Mutation run (issue 14, item 8): mutmut over domain/ and the write path (fileio.py) with the tests that hold
# their rules. Not part of CI — it takes minutes to an hour; docs/mutation.md has the last run's figures and
# why each surviving mutant is left.
#
#   benchmarks/mutation.sh                      every file of domain/ and fileio.py
#   benchmarks/mutation.sh status.py fileio.py  only these (names under domain/, or fileio.py)
#   MUTATION_CHILDREN=2 benchmarks/mutation.sh  mutants tested at once (default 1: the machine is shared)
#
# mutmut (3.x) is installed into .venv for this script only; it is not a dependency of the project. The run
# happens in a copy of the working tree (MUTATION_DIR, default /tmp/minsheng-mutation), so the tree itself never
# holds mutated code, and ends with a table of killed / survived / timeout per file; `mutmut results` and
# `mutmut show NAME` in that folder list and show the survivors.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="$ROOT/.venv/bin/python"
WORK="${MUTATION_DIR:-${TMPDIR:-/tmp}/minsheng-mutation}"
CHILDREN="${MUTATION_CHILDREN:-1}"

"$PY" -c "import mutmut" 2>/dev/null || "$PY" -m pip install -q "mutmut>=3.8,<4"

FILES=("$@")
if [ ${#FILES[@]} -eq 0 ]; then
  for f in minsheng_desktop/domain/*.py; do
    [ "$(basename "$f")" = __init__.py ] || FILES+=("$(basename "$f")")
  done
  FILES+=(fileio.py)
fi
ONLY=()
for f in "${FILES[@]}"; do
  case "$f" in
    fileio.py) ONLY+=("minsheng_desktop/fileio.py") ;;
    */*) ONLY+=("$f") ;;
    *) ONLY+=("minsheng_desktop/domain/$f") ;;
  esac
done

# The tests that state the rules of these files; each mutant runs only those of them that call the mutated
# function (mutmut records who calls what first). Left out: the fuzz test of the indicator reader (300 random
# texts per mutant, and what it checks — never raising — the tables check too) and the command-line tests of
# test_fileio (they hold the command line's handling of a failed write, which is not mutated; the direct tests hold
# fileio's part).
TESTS=()
for t in test_rule_tables test_status_rules test_schedule test_month test_indicators test_reconcile test_form_checks \
         test_fileio test_model_records; do
  [ -f "tests/$t.py" ] && TESTS+=("tests/$t.py")
done

rm -rf "$WORK"
mkdir -p "$WORK"
# The working tree as it is now (committed or not), without caches and build output.
tar -C "$ROOT" --exclude=__pycache__ --exclude='*.egg-info' -cf - minsheng_desktop tests resources pyproject.toml \
  | tar -C "$WORK" -xf -
{
  echo "[mutmut]"
  echo "source_paths = minsheng_desktop"
  echo "only_mutate ="
  printf '    %s\n' "${ONLY[@]}"
  echo "pytest_add_cli_args ="  # one argument a line
  printf '    %s\n' -p no:cacheprovider -q -k "not test_never_raises_and_targets_are_finite and not test_cli_"
  echo "pytest_add_cli_args_test_selection ="
  printf '    %s\n' "${TESTS[@]}"
} > "$WORK/setup.cfg"

cd "$WORK"
export QT_QPA_PLATFORM=offscreen
start=$(date +%s)
# mutmut redraws a progress line with \r: keep it in a log, show its last state.
nice -n 19 "$PY" -m mutmut run --max-children "$CHILDREN" > mutmut-run.log 2>&1 || true
tr '\r' '\n' < mutmut-run.log | grep -v '^\s*$' | tail -n 3
echo "mutation run: $(( $(date +%s) - start )) s (its output: $WORK/mutmut-run.log)"

# killed / survived / timeout per file, from mutmut's own records (mutants/<file>.meta) read with mutmut's own
# meaning of the exit codes.
"$PY" - "${ONLY[@]}" <<'EOF'
import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

cols = ["killed", "survived", "timeout", "no tests", "suspicious", "not checked"]
rows = {}
for path in sys.argv[1:]:
    meta = Path("mutants") / (path + ".meta")
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    rows[path] = Counter(status_by_exit_code[c] for c in codes.values())
rows["total"] = sum(rows.values(), Counter())
print(f"{'file':<40}" + "".join(f"{c:>12}" for c in cols))
for path, counts in rows.items():
    other = sum(n for k, n in counts.items() if k not in cols)
    print(f"{path:<40}" + "".join(f"{counts[c]:>12}" for c in cols) + (f"   (+{other} other)" if other else ""))
EOF
echo "survivors: cd $WORK && $PY -m mutmut results; $PY -m mutmut show NAME"
