#!/usr/bin/env bash
# Build the .deb of 社区网格治理工作台 from a Linux PyInstaller one-folder build.
#
#   bash installer/deb/build_deb.sh DIST_FOLDER VERSION OUT_DIR      (installer/build.py deb calls this)
#
# Layout: /opt/shequ-workbench/ (the frozen program), /usr/bin/shequ -> ../../opt/shequ-workbench/shequ,
# a .desktop entry with Name[zh_CN], the icon (when resources/icons/shequ.png exists) and a copyright file.
# Prints the path of the .deb as its last line.
set -euo pipefail

dist=${1:?DIST_FOLDER}; version=${2:?VERSION}; out=${3:?OUT_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -x "$dist/shequ" ] || { echo "没有找到 $dist/shequ（先运行 python3 installer/build.py exe）" >&2; exit 1; }

arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg="$stage/shequ-workbench"

install -d "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
    "$pkg/usr/share/doc/shequ-workbench"
cp -a "$dist" "$pkg/opt/shequ-workbench"
ln -s ../../opt/shequ-workbench/shequ "$pkg/usr/bin/shequ"
install -m 0644 "$here/shequ-workbench.desktop" "$pkg/usr/share/applications/shequ-workbench.desktop"
if [ -f "$root/resources/icons/shequ.png" ]; then
    install -D -m 0644 "$root/resources/icons/shequ.png" "$pkg/usr/share/icons/hicolor/256x256/apps/shequ-workbench.png"
fi
if [ -f "$root/resources/icons/shequ.svg" ]; then
    install -D -m 0644 "$root/resources/icons/shequ.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/shequ-workbench.svg"
fi
{
    echo "社区网格治理工作台 (Shequ Workbench) $version"
    echo
    echo "Bundled third-party components keep their own licences; see /opt/shequ-workbench/_internal"
    echo "(Qt/PySide6: LGPL-3.0; fonts: resources/fonts/README.md and LICENSE-* files there)."
} > "$pkg/usr/share/doc/shequ-workbench/copyright"
chmod -R u+rwX,go+rX,go-w "$pkg"

size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" "$here/control.in" > "$pkg/DEBIAN/control"

mkdir -p "$out"
deb="$out/shequ-workbench_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz -z9 --build "$pkg" "$deb" >&2
echo "$deb"
