#!/usr/bin/env bash
# Build the release bundle on Python >= 3.12 and smoke-test the frozen program (issue 19, item 4).
#
#   packaging/build_and_smoke.sh [--python PY] [--packages] [--fresh] [--allow-311]
#
#   --python PY   the interpreter to build with. Default: the first Python >= 3.12 of python3.12, python3.13
#                 on PATH, then pyenv's versions ($PYENV_ROOT or ~/.pyenv/versions/3.1x.y/bin/python).
#   --packages    also make the .tar.gz and the .deb (packaging/build_linux.sh without --bundle-only).
#   --fresh       remove the build venv first (a first run: every wheel installed again).
#   --allow-311   build with Python 3.11 anyway — a bundle to test the spec with, never a release: the release
#                 is built on >= 3.12, where PySide6-Essentials is not held back from 6.12.0 (pyproject.toml).
#
# Steps: a venv of its own, build/bundle-venv-X.Y, with the project and its [build,test] extras; the bundle
# into dist/minsheng (packaging/build_linux.sh --bundle-only, which checks the frozen --version); then the
# frozen smoke test, tests/test_packaging.py::test_frozen_bundle_runs on that bundle: --version, LICENSE and
# THIRD-PARTY-NOTICES.txt inside, import-targets of a fixture, dump (equal to the source's), export of every
# format, collect, check, and the window (`gui`, offscreen) still running after 8 s. The last line says
# PASSED or FAILED with the times and the bundle's size, and is also written to build/bundle-smoke.result.
# Record the run in packaging/README.md ("Last bundle build").
#
# Exit: 0 passed; 1 the build or the smoke test failed; 2 bad arguments; 3 no Python >= 3.12 found (nothing
# was built).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PY=${PYTHON:-}
PACKAGES=0 FRESH=0 ALLOW_311=0
while [ $# -gt 0 ]; do
  case $1 in
    --python) [ $# -ge 2 ] || { echo "--python needs a path" >&2; exit 2; }; PY=$2; shift 2 ;;
    --python=*) PY=${1#*=}; shift ;;
    --packages) PACKAGES=1; shift ;;
    --fresh) FRESH=1; shift ;;
    --allow-311) ALLOW_311=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# "3.12.1" if the interpreter runs, else nothing.
py_version() { "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || true; }
at_least_312() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }

if [ -z "$PY" ]; then
  for cand in python3.12 python3.13 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python; do
    c=$(command -v "$cand" 2>/dev/null) || continue
    if at_least_312 "$c"; then PY=$c; break; fi
  done
  if [ -z "$PY" ]; then
    echo "build_and_smoke: no Python >= 3.12 found (python3.12, python3.13, pyenv versions); give --python PY" >&2
    exit 3
  fi
fi
PYVER=$(py_version "$PY")
[ -n "$PYVER" ] || { echo "build_and_smoke: $PY does not run" >&2; exit 3; }
if ! at_least_312 "$PY"; then
  if [ "$ALLOW_311" = 1 ]; then
    echo "build_and_smoke: WARNING: Python $PYVER — a test bundle only, not a release (the release needs >= 3.12)" >&2
  else
    echo "build_and_smoke: Python $PYVER is too old to build the release. pyproject.toml keeps PySide6-Essentials" >&2
    echo "  off 6.12.0 below 3.12 (the none_dealloc crash), so the shipped bundle is built on Python >= 3.12." >&2
    echo "  Give --python /path/to/python3.12, or --allow-311 for a bundle that only tests the spec." >&2
    exit 3
  fi
fi

VENV=$ROOT/build/bundle-venv-${PYVER%.*}
RESULT=$ROOT/build/bundle-smoke.result
BUNDLE=$ROOT/dist/minsheng
mkdir -p "$ROOT/build"
t0=$(date +%s)
echo "== build_and_smoke: Python $PYVER ($PY), venv $VENV"

# ---------------------------------------------------------------- venv
[ "$FRESH" = 1 ] && rm -rf "$VENV"
if [ ! -x "$VENV/bin/python" ] || [ "$(py_version "$VENV/bin/python")" != "$PYVER" ]; then
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q -e ".[build,test]"
t1=$(date +%s)
PYI=$("$VENV/bin/python" -c 'import PyInstaller; print(PyInstaller.__version__)')
QT=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("PySide6-Essentials"))')
echo "== venv ready in $(( t1 - t0 )) s: PyInstaller $PYI, PySide6-Essentials $QT"

fail() {
  local line="bundle smoke test FAILED ($1): Python $PYVER, PyInstaller $PYI, $(( $(date +%s) - t0 )) s"
  echo "$(date -u '+%Y-%m-%d %H:%M UTC') $line" > "$RESULT"
  echo "== $line" >&2
  exit 1
}

# ---------------------------------------------------------------- bundle (and packages)
if [ "$PACKAGES" = 1 ]; then
  PYTHON=$VENV/bin/python packaging/build_linux.sh || fail "build_linux.sh"
else
  PYTHON=$VENV/bin/python packaging/build_linux.sh --bundle-only || fail "build_linux.sh --bundle-only"
fi
t2=$(date +%s)
SIZE=$(du -sh "$BUNDLE" | cut -f1)

# ---------------------------------------------------------------- frozen smoke test
for f in LICENSE THIRD-PARTY-NOTICES.txt; do
  [ -s "$BUNDLE/_internal/$f" ] || fail "$f missing from the bundle"
done
SMOKE_LOG=$ROOT/build/bundle-smoke.log
MINSHENG_BUILD_BUNDLE=1 MINSHENG_BUNDLE=$BUNDLE \
  "$VENV/bin/python" -m pytest -q -rs -p no:cacheprovider tests/test_packaging.py -k test_frozen_bundle_runs \
  2>&1 | tee "$SMOKE_LOG" || fail "tests/test_packaging.py::test_frozen_bundle_runs"
# A skip is not a pass.
grep -Eq '^1 passed' "$SMOKE_LOG" || fail "the frozen smoke test did not run and pass"
t3=$(date +%s)

line="bundle smoke test PASSED: Python $PYVER, PyInstaller $PYI, PySide6-Essentials $QT, bundle $SIZE;"
line="$line $(( t3 - t0 )) s (venv $(( t1 - t0 )) s, build $(( t2 - t1 )) s, smoke $(( t3 - t2 )) s)"
echo "$(date -u '+%Y-%m-%d %H:%M UTC') $line" > "$RESULT"
echo "== $line"
