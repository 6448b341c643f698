#!/usr/bin/env python3
"""Build the installable packages of 社区网格治理工作台 (stdlib only).

    python installer/build.py exe      PyInstaller one-folder build -> dist/shequ/, then a smoke test of it
    python installer/build.py nsis     Windows installer from dist/shequ/ -> dist/ShequWorkbench-<ver>-setup.exe
    python installer/build.py deb      Debian/UOS/Kylin package from dist/shequ/ -> dist/shequ-workbench_<ver>_<arch>.deb
    python installer/build.py all      exe, then nsis (Windows) or deb (Linux)
    python installer/build.py smoke    only the self-test of an existing one-folder build (--dist)

Options:
    --dist DIR       the one-folder build to package (default dist/shequ); for nsis on Linux, the folder
                     copied from a Windows build
    --dummy          nsis only: compile against a dummy folder (checks the script; the result is not usable)
    --no-smoke       exe only: skip running the frozen program

PyInstaller runs in its own virtual environment, build/pyinstaller-venv (the app installed without its
test extras, plus PyInstaller and fontTools), so the bundle does not pick up pytest & co. from the dev .venv.
The build cannot cross-compile: build the Windows folder on Windows and the Linux one on Linux.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
DIST = ROOT / "dist"
BUILD = ROOT / "build"
BUILD_VENV = BUILD / "pyinstaller-venv"
PYINSTALLER_REQ = "pyinstaller>=6.6,<7"
# build-time only: shequ.spec subsets the rare-character fallback font with it (installer/subset_font.py)
BUILD_REQS = [PYINSTALLER_REQ, "fonttools>=4.47"]
IS_WINDOWS = os.name == "nt"
#: size goals: the one-folder app on Linux, and the .deb or the Windows setup
EXE_GOAL_MB = 180
PACKAGE_GOAL_MB = 60
#: libraries the .deb's Depends bring (installer/deb/control.in) that a build machine need not have
FROM_DEPENDS = ("libwayland-client.", "libwayland-cursor.", "libwayland-egl.")


def say(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def die(msg: str) -> int:
    print(f"[build] 错误：{msg}", file=sys.stderr, flush=True)
    return 1


def version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def run(cmd: list[str], **kw: object) -> None:
    say(" ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


# ------------------------------------------------------------------ exe (PyInstaller)


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if IS_WINDOWS else "bin/python")


def ensure_build_venv() -> Path:
    """The build venv holds exactly the runtime dependencies: whenever pyproject.toml (or the build tools)
    change it is made anew, because `pip install .` over an old venv never removes a dependency that was
    dropped (pandas, and with it NumPy, left the dependencies; an older venv would keep bundling them)."""
    py = _venv_python(BUILD_VENV)
    stamp = BUILD_VENV / ".shequ-build.sha256"
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + " ".join(BUILD_REQS).encode()
    ).hexdigest()
    if py.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return py
    say(f"创建打包用虚拟环境 {BUILD_VENV.relative_to(ROOT)}")
    run([sys.executable, "-m", "venv", "--clear", BUILD_VENV])
    # a regular (not editable) install: the analysis sees exactly the runtime dependencies
    run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", ".", *BUILD_REQS], cwd=ROOT)
    stamp.write_text(wanted + "\n")
    return py


def build_exe(smoke: bool) -> Path:
    py = ensure_build_venv()
    run(
        [
            py,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--distpath",
            DIST,
            "--workpath",
            BUILD / "pyinstaller",
            INSTALLER / "shequ.spec",
        ],
        cwd=ROOT,
    )
    folder = DIST / "shequ"
    say(f"已生成 {folder.relative_to(ROOT)}（{folder_size(folder) / 1e6:.1f} MB，目标 ≤ {EXE_GOAL_MB} MB）")
    missing = missing_libraries(folder)
    if missing:
        raise SystemExit(die("裁剪掉了仍被依赖的库：\n  " + "\n  ".join(missing)))
    if smoke:
        smoke_test(folder)
    return folder


def smoke_test(folder: Path) -> None:
    """Run the frozen program through what a user does first (installer/smoke.py); any failure stops the build."""
    # Windows: every step, the window too, runs shequ-cli.exe, the console twin of the windowed shequ.exe (same
    # program, same bundle), because only a console program hands its output back to this script
    cli = folder / ("shequ-cli.exe" if IS_WINDOWS else "shequ")
    sys.path.insert(0, str(INSTALLER))
    from smoke import run_smoke

    fonts = folder / "_internal" / "resources" / "fonts"
    failures = run_smoke([str(cli)], [str(cli)], fonts)
    if failures:
        raise SystemExit(die("冻结程序自检失败：\n  " + "\n  ".join(failures)))
    say("冻结程序自检通过。")


def folder_size(folder: Path) -> int:
    return sum(f.lstat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def missing_libraries(folder: Path) -> list[str]:
    """Linux: libraries a bundled ELF file needs that are neither bundled nor on this system (pruned too much)."""
    if IS_WINDOWS or not shutil.which("readelf"):
        return []
    names = {f.name for f in folder.rglob("*.so*") if f.exists()}  # a dangling symlink does not count
    system = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    names |= {line.split()[0] for line in system.splitlines()[1:] if line.strip()}
    problems = []
    for f in folder.rglob("*.so*"):
        if not f.is_file():
            continue
        out = subprocess.run(["readelf", "-d", str(f)], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if "(NEEDED)" in line:
                lib = line.rsplit("[", 1)[-1].rstrip("]")
                if lib not in names and not lib.startswith(FROM_DEPENDS):
                    problems.append(f"{f.relative_to(folder)} 需要 {lib}")
    return problems


# ------------------------------------------------------------------ nsis (Windows installer)


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "NSIS" / "makensis.exe").exists():
            return str(Path(base) / "NSIS" / "makensis.exe")
    return None


def _dummy_dist() -> Path:
    folder = BUILD / "nsis-dummy" / "shequ"
    (folder / "_internal" / "resources").mkdir(parents=True, exist_ok=True)
    for name in ("shequ.exe", "shequ-cli.exe"):
        (folder / name).write_bytes(b"MZ dummy, not a program\n")
    (folder / "_internal" / "resources" / "README.txt").write_text("dummy\n", encoding="utf-8")
    return folder


def build_nsis(dist: Path, dummy: bool) -> Path:
    makensis = find_makensis()
    if not makensis:
        raise SystemExit(
            die("找不到 makensis。Windows：安装 NSIS 3（nsis.sourceforge.io）；Debian：apt-get install nsis")
        )
    if dummy:
        dist = _dummy_dist()
    if not (dist / "shequ.exe").exists():
        raise SystemExit(die(f"{dist} 中没有 shequ.exe：先在 Windows 上运行 `py installer\\build.py exe`"))
    ver = version()
    out = DIST / (f"ShequWorkbench-{ver}-setup" + ("-DUMMY" if dummy else "") + ".exe")
    DIST.mkdir(exist_ok=True)
    run(
        [
            makensis,
            "-V2",
            "-INPUTCHARSET",
            "UTF8",
            f"-DVERSION={ver}",
            f"-DSRCDIR={dist.resolve()}",
            f"-DOUTFILE={out.resolve()}",
            INSTALLER / "shequ.nsi",
        ]
    )
    goal = "" if dummy else f"，目标 ≤ {PACKAGE_GOAL_MB} MB"
    say(f"已生成 {out.relative_to(ROOT)}（{out.stat().st_size / 1e6:.1f} MB{goal}）")
    return out


# ------------------------------------------------------------------ deb


def build_deb(dist: Path) -> Path:
    if not shutil.which("dpkg-deb"):
        raise SystemExit(die("需要 dpkg-deb（Debian/UOS/麒麟系统自带）。"))
    if not (dist / "shequ").exists():
        raise SystemExit(die(f"{dist} 中没有 shequ：先运行 `python3 installer/build.py exe`"))
    out = subprocess.run(
        [
            "bash",
            str(INSTALLER / "deb" / "build_deb.sh"),
            str(dist.resolve()),
            version(),
            str(DIST.resolve()),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deb = Path(out.splitlines()[-1])
    say(f"已生成 {deb}（{deb.stat().st_size / 1e6:.1f} MB，目标 ≤ {PACKAGE_GOAL_MB} MB）")
    say(f"程序文件夹 {dist}（{folder_size(dist) / 1e6:.1f} MB，目标 ≤ {EXE_GOAL_MB} MB）")
    return deb


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="构建社区网格治理工作台的安装包")
    ap.add_argument("target", choices=["exe", "nsis", "deb", "all", "smoke"])
    ap.add_argument("--dist", type=Path, default=DIST / "shequ")
    ap.add_argument("--dummy", action="store_true")
    ap.add_argument("--no-smoke", action="store_true")
    args = ap.parse_args(argv)
    try:
        if args.target == "smoke":
            smoke_test(args.dist)
        if args.target in ("exe", "all"):
            build_exe(smoke=not args.no_smoke)
        if args.target == "nsis" or (args.target == "all" and IS_WINDOWS):
            build_nsis(args.dist, args.dummy)
        if args.target == "deb" or (args.target == "all" and sys.platform == "linux"):
            build_deb(args.dist)
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or "").strip() if isinstance(exc.stderr, str) else ""
        return die(f"命令失败（退出码 {exc.returncode}）：{' '.join(map(str, exc.cmd))}\n{detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
