#!/usr/bin/env bash
# Build the Linux program: the PyInstaller one-folder bundle, a .tar.gz of it, and a .deb for UOS / Kylin.
#
#   packaging/build_linux.sh            (uses .venv/bin/python; PYTHON=... to choose another interpreter)
#   packaging/build_linux.sh --bundle-only   (the bundle and its --version check, no .tar.gz/.deb)
#
# packaging/build_and_smoke.sh runs this in a Python >= 3.12 venv of its own and then the frozen smoke test.
#
# Output in dist/:  minsheng/  minsheng-VERSION-linux-ARCH.tar.gz  minsheng_VERSION_ARCH.deb
#
# The bundle carries the build machine's C library requirements: build on the OLDEST system you must
# support (e.g. UOS 20 / Kylin V10 / Debian 10 in a container) — a bundle built on Debian 12 needs glibc 2.36.
# The .deb's Depends line states the glibc the bundle actually needs, so it refuses to install where it
# would not run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
BUNDLE_ONLY=0
case "${1:-}" in
  "") ;;
  --bundle-only) BUNDLE_ONLY=1 ;;
  *) echo "usage: packaging/build_linux.sh [--bundle-only]" >&2; exit 2 ;;
esac

"$PYTHON" -c "import PyInstaller" 2>/dev/null || {
  echo "PyInstaller is missing: $PYTHON -m pip install pyinstaller" >&2; exit 2; }

VERSION=$("$PYTHON" - <<'EOF'
import re, pathlib
text = pathlib.Path("pyproject.toml").read_text(encoding="utf-8")
print(re.search(r'^version\s*=\s*"([^"]+)"', text, re.M).group(1))
EOF
)
# The project's identity: pyproject.toml's [project.urls] Homepage, and the AppStream/desktop ID derived from it
# (tests/test_packaging.py checks that these agree with the files in packaging/linux/).
APPID=io.github.minsheng_desktop.minsheng
HOMEPAGE=https://github.com/minsheng-desktop/minsheng-desktop
MAINTAINER="The minsheng-desktop authors <minsheng-desktop@users.noreply.github.com>"
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)
DIST=$ROOT/dist
BUILD=$ROOT/build
echo "== minsheng $VERSION ($ARCH)"

# ---------------------------------------------------------------- bundle
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$BUILD/pyinstaller" packaging/minsheng.spec
BUNDLE=$DIST/minsheng
echo "== bundle built in $(( $(date +%s) - start )) s, $(du -sh "$BUNDLE" | cut -f1)"

got=$("$BUNDLE/minsheng" --version)
[ "$got" = "minsheng $VERSION" ] || { echo "frozen --version said '$got', expected 'minsheng $VERSION'" >&2; exit 1; }
[ "$BUNDLE_ONLY" = 1 ] && exit 0

# ---------------------------------------------------------------- .tar.gz
TARBALL=$DIST/minsheng-$VERSION-linux-$ARCH.tar.gz
STAGE=$BUILD/tar/minsheng-$VERSION
rm -rf "$BUILD/tar" && mkdir -p "$STAGE"
cp -a "$BUNDLE/." "$STAGE/"
cp "packaging/linux/$APPID.desktop" resources/icons/minsheng.svg resources/icons/minsheng-256.png "$STAGE/"
tar -C "$BUILD/tar" -czf "$TARBALL" "minsheng-$VERSION"
echo "== $TARBALL ($(du -h "$TARBALL" | cut -f1))"

# ---------------------------------------------------------------- .deb
DEBROOT=$BUILD/deb/root
rm -rf "$BUILD/deb" && mkdir -p "$DEBROOT/DEBIAN" "$DEBROOT/opt" "$DEBROOT/usr/bin" \
  "$DEBROOT/usr/share/applications" "$DEBROOT/usr/share/metainfo" "$DEBROOT/usr/share/doc/minsheng"
cp -a "$BUNDLE" "$DEBROOT/opt/minsheng"
ln -s /opt/minsheng/minsheng "$DEBROOT/usr/bin/minsheng"
install -m 644 "packaging/linux/$APPID.desktop" "$DEBROOT/usr/share/applications/$APPID.desktop"
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$(date -u +%Y-%m-%d)/" "packaging/linux/$APPID.metainfo.xml" \
  > "$DEBROOT/usr/share/metainfo/$APPID.metainfo.xml"
for s in 16 32 48 64 128 256 512; do
  install -D -m 644 "resources/icons/minsheng-$s.png" "$DEBROOT/usr/share/icons/hicolor/${s}x${s}/apps/minsheng.png"
done
install -D -m 644 resources/icons/minsheng.svg "$DEBROOT/usr/share/icons/hicolor/scalable/apps/minsheng.svg"
# Debian's machine-readable copyright file: our licence, and the generated notices of everything bundled.
{
  printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'
  printf 'Upstream-Name: minsheng-desktop\nSource: %s\n\n' "$HOMEPAGE"
  printf 'Files: *\nCopyright: 2026 The minsheng-desktop authors\nLicense: MIT\n'
  sed -e 's/^$/./' -e 's/^/ /' LICENSE
  printf '\nComment: The bundle in /opt/minsheng carries third-party software; its licences are in\n'
  printf ' /usr/share/doc/minsheng/THIRD-PARTY-NOTICES.txt (also shown in the program under 帮助 → 关于).\n'
} > "$DEBROOT/usr/share/doc/minsheng/copyright"
install -m 644 "$BUNDLE/_internal/THIRD-PARTY-NOTICES.txt" "$DEBROOT/usr/share/doc/minsheng/THIRD-PARTY-NOTICES.txt"

# The newest glibc symbol any bundled file asks for: the .deb must not install on an older system.
GLIBC=$(find "$BUNDLE" -type f \( -name '*.so*' -o -name minsheng \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n -u | tail -1 | sed 's/GLIBC_//')
# Libraries the bundle does not carry (PyInstaller leaves out the C library, OpenGL and the display
# protocols, which must match the system).
cat > "$DEBROOT/DEBIAN/control" <<EOF
Package: minsheng
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $(du -sk "$DEBROOT" | cut -f1)
Depends: libc6 (>= ${GLIBC:-2.28}), libgl1, libegl1, libxcb1, libxkbcommon-x11-0, fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei
Recommends: libwayland-client0, libwayland-cursor0, libwayland-egl1
Section: misc
Priority: optional
Homepage: $HOMEPAGE
Description: 民生实事台账 — monthly progress of the year's livelihood projects
 Imports the year's 民生实事 notice (.docx) or target table (.xlsx), lets the
 clerk of a lead unit report monthly progress, and exports official-format
 spreadsheets, documents and e-mails. Installs under /opt/minsheng; the
 command is /usr/bin/minsheng. User data lives in ~/.local/share/minsheng and
 is kept when the package is removed.
EOF
DEB=$DIST/minsheng_${VERSION}_${ARCH}.deb
# xz, not zstd: the dpkg of UOS 20 / Kylin V10 cannot read zstd members.
dpkg-deb --root-owner-group -Zxz --build "$DEBROOT" "$DEB" >/dev/null
echo "== $DEB ($(du -h "$DEB" | cut -f1)); needs glibc >= ${GLIBC:-?}"
