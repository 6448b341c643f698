#!/usr/bin/env bash
# Install, run and remove the .deb in a throwaway root; checks that user data survives removal.
#
#   bash installer/test_deb.sh [dist/shequ-workbench_<ver>_<arch>.deb]
#
# No container is needed (none can be pulled on an offline build machine): dpkg --root installs the package
# into an empty dpkg database in a temporary folder (as root, or under fakeroot as a normal user), with
# --force-depends because that root has none of the Depends; the host's libraries stand in for them when the
# program runs. Steps, each fatal:
#   1. dpkg -i into the root; the files are where the package says (/opt/shequ-workbench, /usr/bin/shequ)
#   2. `shequ --version` through /usr/bin/shequ, as a normal user (nobody) with a fresh HOME
#   3. the desktop entry: Exec names /usr/bin/shequ, which resolves to the program inside the root;
#      desktop-file-validate when it is installed
#   4. as that user, `shequ demo` writes its database into the user's home (the app's data lives there), and
#      the desktop entry's command opens the window on it (offscreen, `--smoke` quits once it is ready)
#   5. dpkg -r, then -P: no file of the package is left, the user's database is still there and readable
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deb=${1:-$(ls -t "$here"/../dist/shequ-workbench_*.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "没有找到 .deb（先运行 python3 installer/build.py exe && python3 installer/build.py deb）" >&2; exit 1; }

say() { echo "[test_deb] $*"; }
fail() { echo "[test_deb] 失败：$*" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"

dpkg_root() {
    if [ "$(id -u)" = 0 ]; then
        dpkg --root="$root" --log="$root/var/log/dpkg.log" "$@"
    else
        fakeroot dpkg --force-not-root --root="$root" --log="$root/var/log/dpkg.log" "$@"
    fi
}

say "1. 安装 $(basename "$deb")"
# the root has none of the Depends: dpkg lists each one it overrides; only a failure is shown
log="$work/dpkg-install.log"
dpkg_root --force-depends -i "$deb" >"$log" 2>&1 || { cat "$log" >&2; fail "dpkg -i 失败"; }
status=$(dpkg_root -s shequ-workbench | sed -n 's/^Status: //p')
[ "$status" = "install ok installed" ] || fail "安装后的状态是“$status”"
[ -x "$root/opt/shequ-workbench/shequ" ] || fail "/opt/shequ-workbench/shequ 不存在"
[ -L "$root/usr/bin/shequ" ] || fail "/usr/bin/shequ 不是符号链接"
exe="$root/usr/bin/$(readlink "$root/usr/bin/shequ")"
[ -x "$exe" ] || fail "/usr/bin/shequ 指向的 $(readlink "$root/usr/bin/shequ") 在包里不存在"

# a normal user with a home of its own
user=nobody
home="$work/home"
mkdir -p "$home"
chmod 0755 "$work"
as_user() {
    if [ "$(id -u)" = 0 ]; then
        chown -R "$user" "$home"
        setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups \
            env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"
    else
        env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"
    fi
}

say "2. 以普通用户运行 shequ --version"
chmod -R o+rX "$root/opt" "$root/usr"
out=$(as_user "$root/usr/bin/shequ" --version) || fail "shequ --version 退出码非零"
echo "    $out"
grep -q "社区网格治理工作台" <<<"$out" || fail "版本输出不对：$out"

say "3. 桌面文件"
desktop="$root/usr/share/applications/shequ-workbench.desktop"
[ -f "$desktop" ] || fail "没有 /usr/share/applications/shequ-workbench.desktop"
exec_line=$(grep '^Exec=' "$desktop" | head -1)
[ "$exec_line" = "Exec=/usr/bin/shequ" ] || fail "Exec 不是 /usr/bin/shequ：$exec_line"
grep -q '^Name\[zh_CN\]=社区网格治理工作台' "$desktop" || fail "没有中文名称"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop" || fail "desktop-file-validate 报错"
fi

say "4. 普通用户生成演示数据（数据写在用户主目录）"
as_user "$root/usr/bin/shequ" demo >/dev/null || fail "shequ demo 失败"
data=$(find "$home" -name '*.sqlite3' -size +10k | head -1)
[ -n "$data" ] || fail "用户主目录中没有数据库"
echo "    ${data#"$work"/}"

say "4b. 按桌面文件的 Exec 打开主窗口（offscreen，工作台显示数字后退出）"
# the demo made accounts (README: 演示账号): the window signs in as one; a login that waited would time out
out=$(as_user timeout 120 "$root${exec_line#Exec=}" --user street --password-stdin --smoke <<<"Demo@2026") \
    || fail "按 Exec 启动失败"
grep -q '^ready ' <<<"$out" || fail "主窗口没有就绪：$out"
echo "    $out"

say "5. 卸载（remove，再 purge）"
dpkg_root -r shequ-workbench >/dev/null
# the package has no conffiles, so after remove nothing is left to purge; purge only when dpkg still lists it
if dpkg_root -s shequ-workbench >/dev/null 2>&1; then dpkg_root -P shequ-workbench >/dev/null; fi
dpkg_root -s shequ-workbench >/dev/null 2>&1 && fail "卸载后 dpkg 仍记录 shequ-workbench"
[ ! -e "$root/opt/shequ-workbench" ] || fail "卸载后 /opt/shequ-workbench 仍在"
[ ! -e "$root/usr/bin/shequ" ] && [ ! -L "$root/usr/bin/shequ" ] || fail "卸载后 /usr/bin/shequ 仍在"
[ ! -e "$desktop" ] || fail "卸载后桌面文件仍在"
left=$(find "$root" -path "$root/var" -prune -o -type f -print | head -5)
[ -z "$left" ] || fail "卸载后仍有文件：$left"
[ -f "$data" ] || fail "卸载删除了用户数据 $data"
python3 - "$data" <<'EOF' || fail "卸载后用户数据库无法读取"
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
n = con.execute("select count(*) from sqlite_master").fetchone()[0]
assert n > 0, "empty database"
EOF
say "通过：安装、普通用户运行、桌面文件、卸载均正常，用户数据保留。"
