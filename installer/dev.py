#!/usr/bin/env python3
"""社区网格治理工作台：开发环境一键准备（只用标准库，Windows 与 Linux 通用）。

    python3 installer/dev.py app  [-- 程序参数…]     运行程序（默认使用内置 SQLite 数据库）
    python3 installer/dev.py test [pytest 参数…]     运行全部测试
    python3 installer/dev.py test-dates [--dates 日期,…] [pytest 参数…]
                                                     把系统时钟拨到每个日期各运行一遍测试（Linux，faketime）

Windows 上把 ``python3`` 换成 ``py``，路径写成 ``installer\\dev.py``。

每次运行都会：
1. （Linux）检查 Qt 需要的系统库和中文字体；缺少时，root 用户自动 apt-get 安装，否则打印安装命令；
2. 在 ``.venv`` 中创建/复用虚拟环境；
3. 仅当 pyproject.toml 自上次安装后有变化时执行 ``pip install -e ".[test]"``（哈希记在 .venv 中）；
4. ``app`` 运行 ``.venv`` 中的 ``shequ``；``test`` 运行 ``python -m pytest`` 并返回其退出码；
   ``test-dates`` 在 ``faketime`` 下对每个日期运行一遍同样的测试，最后打印“日期 → 通过/失败、用时”表，
   有任何日期失败时退出码为 1。

环境变量：SHEQU_SKIP_SYSTEM_CHECK=1 跳过第 1 步；SHEQU_TEST_WORKERS=N|auto 指定并行测试进程数（0 = 不并行；默认整套测试用 auto）。
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
STAMP = VENV / ".shequ-install.sha256"
INSTALL_TARGET = ".[test]"
IS_WINDOWS = os.name == "nt"

# soname -> Debian package. Enough for Qt offscreen (tests, headless CLI) with the PySide6 wheels.
QT_LIBS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
# additionally needed by the xcb platform plugin, i.e. for a real window
XCB_LIBS = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
CJK_FONT_PACKAGE = "fonts-wqy-microhei"
# the free TrueType faces the documents use for 宋体 (also the 仿宋 stand-in) and 楷体 (desktop/documents/fonts.py);
# without them every role falls back to WenQuanYi Micro Hei, so they are optional
DOCUMENT_FONT_PACKAGES = {
    "/usr/share/fonts/truetype/arphic/uming.ttc": "fonts-arphic-uming",
    "/usr/share/fonts/truetype/arphic/ukai.ttc": "fonts-arphic-ukai",
}
TEST_OPTIONAL_PACKAGES = {"pdftoppm": "poppler-utils"}  # PDF-to-image checks in tests; skipped without it
FAKETIME_PACKAGE = "faketime"  # test-dates: the `faketime` command (libfaketime)

# pytest-xdist workers for a whole-suite run (measured, see _test_workers); SHEQU_TEST_WORKERS overrides.
DEFAULT_TEST_WORKERS = "auto"


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def fail(msg: str, code: int = 1) -> int:
    print(f"[dev] 错误：{msg}", file=sys.stderr, flush=True)
    return code


def _fix_console() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]


# ------------------------------------------------------------------ system packages (Linux)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _ldconfig_sonames() -> set[str] | None:
    exe = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p)), None
    )
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "-p"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {line.split()[0] for line in out.splitlines()[1:] if line.strip()}


def _has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    except OSError:
        return False
    return bool(out.strip())


def missing_system_packages(command: str) -> tuple[list[str], list[str]]:
    """(required, optional) Debian packages that are missing for ``command``."""
    sonames = _ldconfig_sonames()
    libs = dict(QT_LIBS)
    if command == "app":
        libs.update(XCB_LIBS)
    required: list[str] = []
    if sonames is not None:
        required += [pkg for so, pkg in libs.items() if so not in sonames]
    if not _has_cjk_font():
        if not shutil.which("fc-list"):
            required.append("fontconfig")
        required.append(CJK_FONT_PACKAGE)
    if command == "test-dates" and not shutil.which("faketime"):
        required.append(FAKETIME_PACKAGE)
    optional: list[str] = []
    if command in ("app", "test"):
        optional += [pkg for path, pkg in DOCUMENT_FONT_PACKAGES.items() if not os.path.exists(path)]
    if command in ("test", "test-dates"):
        optional += [pkg for exe, pkg in TEST_OPTIONAL_PACKAGES.items() if not shutil.which(exe)]
    return required, optional


def _apt(args: list[str], log: Path) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with open(log, "a", encoding="utf-8", errors="replace") as fh:
        try:
            code = subprocess.run(
                ["apt-get", *args], env=env, stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT
            ).returncode
        except OSError as exc:
            fh.write(f"{exc}\n")
            code = 1
    return code == 0


def apt_install(packages: list[str]) -> bool:
    """apt-get update + install; True on success. The output goes to a log, shown only on failure."""
    say("正在安装系统软件包（apt-get）：" + " ".join(packages))
    log = Path(tempfile.gettempdir()) / "shequ-dev-apt.log"
    log.write_text("", encoding="utf-8")
    if not _apt(["-q", "update"], log):
        say("apt-get update 失败，尝试使用现有软件包列表。")
    if _apt(
        ["-q", "-y", "-o", "DPkg::Lock::Timeout=300", "--no-install-recommends", "install", *packages], log
    ):
        return True
    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
    print("\n".join(tail), file=sys.stderr)
    say(f"apt-get 失败，完整输出：{log}")
    return False


def ensure_system_packages(command: str) -> int:
    if sys.platform != "linux" or os.environ.get("SHEQU_SKIP_SYSTEM_CHECK") == "1":
        return 0
    required, optional = missing_system_packages(command)
    if not required and not optional:
        return 0
    has_apt = shutil.which("apt-get") is not None
    if has_apt and _is_root():
        if not apt_install(required + optional) and required and optional:
            apt_install(required)  # the optional ones may be what failed
        required, optional = missing_system_packages(command)
        if required:
            return fail("系统软件包安装失败，仍缺少：" + " ".join(required), 3)
        if optional:
            say("可选软件包未能安装（相关测试会跳过）：" + " ".join(optional))
        return 0
    if not has_apt:
        say(
            "缺少 Qt 所需的系统库或中文字体（Debian 包名："
            + " ".join(required + optional)
            + "），请用本系统的包管理器安装。"
        )
        return 0  # not Debian-like: names differ; let Qt itself say what is missing
    cmd = "sudo apt-get install --no-install-recommends " + " ".join(required + optional)
    if set(required) & set(QT_LIBS.values()):
        return fail("缺少 Qt 运行所需的系统库，请先运行：\n    " + cmd, 3)
    if FAKETIME_PACKAGE in required:
        return fail("test-dates 用 faketime（libfaketime）拨动系统时钟，请先运行：\n    " + cmd, 3)
    say("建议安装（中文字体、窗口支持或 PDF 测试工具）：" + cmd)
    return 0


# ------------------------------------------------------------------ virtual environment


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if IS_WINDOWS else "bin/python")


def venv_script(name: str) -> Path:
    return VENV / (f"Scripts/{name}.exe" if IS_WINDOWS else f"bin/{name}")


def _venv_works() -> bool:
    py = venv_python()
    if not py.exists():
        return False
    try:
        r = subprocess.run(
            [str(py), "-c", "import sys, pip; print(sys.version_info >= (3, 11))"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0 and r.stdout.strip() == "True"


def _create_venv() -> bool:
    return subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)]).returncode == 0


def ensure_venv() -> int:
    if _venv_works():
        return 0
    say(f"正在创建虚拟环境 {VENV.name}（Python {sys.version.split()[0]}）…")
    if _create_venv() and _venv_works():
        return 0
    # Debian's own python3 has no ensurepip until python3-venv is installed
    venv_pkg = "python3-venv"
    if sys.platform == "linux" and shutil.which("apt-get"):
        if _is_root():
            if apt_install([venv_pkg]) and _create_venv() and _venv_works():
                return 0
        else:
            return fail(
                f"无法创建虚拟环境，请先运行：\n    sudo apt-get install {venv_pkg}\n然后重新执行本命令。"
            )
    return fail(f"无法创建虚拟环境 {VENV}（python -m venv 失败）。")


def _install_hash() -> str:
    """Hash of what ``pip install -e`` depends on: [build-system], [project] and [tool.setuptools].

    Edits to other tool sections (ruff, pytest, import-linter…) do not trigger a reinstall.
    """
    import tomllib  # Python >= 3.11; imported here so older Pythons still reach the version message

    raw = (ROOT / "pyproject.toml").read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        relevant = {k: data.get(k) for k in ("build-system", "project")}
        relevant["setuptools"] = data.get("tool", {}).get("setuptools")
        payload = json.dumps(relevant, sort_keys=True, default=str).encode()
    except (ValueError, UnicodeDecodeError):
        payload = raw
    return hashlib.sha256(payload + f"|{INSTALL_TARGET}|{sys.platform}".encode()).hexdigest()


def _run_logged(cmd: list[str], log: Path) -> int:
    """Run pip with its output going to ``log``; on failure show the end of it (minus harmless noise)."""
    with open(log, "w", encoding="utf-8", errors="replace") as fh:
        code = subprocess.run(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT).returncode
    if code != 0:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        lines = [ln for ln in lines if not (ln.startswith("WARNING: Location ") and "is ignored" in ln)]
        print("\n".join(lines[-40:]), file=sys.stderr)
        say(f"完整输出：{log}")
    return code


def ensure_installed() -> int:
    wanted = _install_hash()
    done = STAMP.read_text(encoding="ascii").strip() if STAMP.exists() else ""
    if done == wanted and venv_script("shequ").exists():
        return 0
    first = not done
    say("正在安装项目及依赖" + ("（首次约需几分钟）" if first else "（pyproject.toml 已变化）") + "…")
    cmd = [
        str(venv_python()),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
        "-e",
        INSTALL_TARGET,
    ]
    if _run_logged(cmd, VENV / "pip-install.log") != 0:
        return fail("pip install 失败（见上方输出）。检查网络或软件源后重试。")
    STAMP.write_text(wanted + "\n", encoding="ascii")
    say("依赖已安装。")
    return 0


# ------------------------------------------------------------------ commands


def _passthrough(args: list[str]) -> list[str]:
    return args[1:] if args[:1] == ["--"] else args


def _test_workers(args: list[str]) -> str:
    """How many pytest-xdist workers: "auto" for a whole-suite run, none when the run is narrowed or debugged.

    Measured on the 2-core machine (470 tests): serial 50-98 s, `-n auto` (2 workers) 31-62 s; the suite
    waits on SQLite fsyncs and a PostgreSQL server much of the time, so 2 workers pay off despite ~6 s
    more CPU for starting them. A single file or test starts faster without workers.
    """
    raw = os.environ.get("SHEQU_TEST_WORKERS")
    if raw is not None:
        return raw if raw == "auto" or (raw.isdigit() and raw != "0") else ""
    for a in args:
        if a in ("-n", "--numprocesses", "--pdb", "--trace", "-s", "--capture=no", "-p") or a.startswith(
            ("-n", "--numprocesses", "--pdb")
        ):
            return ""  # the user chose, or xdist would get in the way
        if not a.startswith("-") and ("::" in a or (ROOT / a.split("::")[0]).exists()):
            return ""  # specific files or tests
    return DEFAULT_TEST_WORKERS


CLI_COMMANDS = ("demo", "import", "export", "backup", "db-password")  # see `shequ --help`


def run_app(args: list[str]) -> int:
    exe = venv_script("shequ")
    headless = not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    )
    gui = not (set(args) & {"--help", "-h", "--version", *CLI_COMMANDS})
    if sys.platform == "linux" and headless and gui:
        say("提示：没有图形界面（DISPLAY 未设置）；无界面运行可设置 QT_QPA_PLATFORM=offscreen。")
    if IS_WINDOWS:  # os.exec* on Windows detaches from the console; wait instead
        return subprocess.run([str(exe), *args]).returncode
    sys.stdout.flush()
    os.execv(str(exe), [str(exe), *args])
    return 0  # not reached


def _test_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def _pytest_command(args: list[str]) -> list[str]:
    cmd = [str(venv_python()), "-m", "pytest"]
    workers = _test_workers(args)
    if workers:
        cmd += ["-n", workers]
    return cmd + args


def run_tests(args: list[str]) -> int:
    cmd = _pytest_command(args)
    say("运行测试：" + " ".join(["python", *cmd[1:]]))
    code = subprocess.run(cmd, cwd=ROOT, env=_test_env()).returncode
    if code == 5:
        say("没有运行任何测试（pytest 退出码 5）。")
    return code


# ------------------------------------------------------------------ the suite at other dates (issue 10)

# The dates the suite must pass at: a Thursday in December, the first working day of a year, around 春节,
# the Monday after 国庆, 29 February.
TEST_DATES = ("2026-12-03", "2027-01-04", "2027-02-10", "2027-10-04", "2028-02-29")
FAKETIME_SHIM = ROOT / "installer" / "faketime"  # sitecustomize.py: a time.sleep that works under faketime
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# pytest's last line, "==== 2 failed, 48 passed in 41.69s ====" (without the "=" under -q)
_SUMMARY = re.compile(
    r"^=*\s*((?:no tests ran|\d+ (?:passed|failed|errors?|skipped)\b).* in [\d.]+s.*?)\s*=*$"
)


def parse_dates(raw: str) -> list[str]:
    """Comma-separated dates (or date-times) -> faketime start times; a bare date starts at 12:00:00."""
    stamps = []
    for item in (x.strip() for x in raw.split(",")):
        if not item:
            continue
        try:
            when = dt.datetime.fromisoformat(item if len(item) > 10 else item + " 12:00")
        except ValueError:
            raise ValueError(f"“{item}”不是日期（应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM:SS）") from None
        stamps.append(when.strftime("%Y-%m-%d %H:%M:%S"))
    if not stamps:
        raise ValueError("--dates 中没有日期")
    return stamps


def split_dates_args(args: list[str]) -> tuple[list[str], list[str]]:
    """(faketime start times, pytest arguments) from ``[--dates D1,D2] [pytest args…]``."""
    raw, rest = ",".join(TEST_DATES), []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--dates" and i + 1 < len(args):
            raw, i = args[i + 1], i + 2
            continue
        if a.startswith("--dates="):
            raw = a.split("=", 1)[1]
        else:
            rest.append(a)
        i += 1
    return parse_dates(raw), _passthrough(rest)


def faketime_env(base: dict[str, str]) -> dict[str, str]:
    """The environment of a run under ``faketime -f @DATE``: the clock moves on from DATE, monotonic time is real
    (a frozen or faked monotonic clock hangs every timed wait), and the sleep shim is on PYTHONPATH."""
    env = dict(base)
    env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(FAKETIME_SHIM), base.get("PYTHONPATH", "")) if p)
    return env


def _run_streaming(cmd: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ``cmd``, passing its output through; (exit code, pytest's last summary line)."""
    summary = ""
    with subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            m = _SUMMARY.match(_ANSI.sub("", line).strip())
            if m:
                summary = m.group(1)
        sys.stdout.flush()
    return proc.returncode, summary


def run_test_dates(args: list[str]) -> int:
    if sys.platform != "linux":
        return fail("test-dates 只支持 Linux（用 libfaketime 拨动时钟）。")
    faketime = shutil.which("faketime")
    if not faketime:
        return fail(
            f"找不到 faketime 命令，请先安装 Debian 软件包 {FAKETIME_PACKAGE}：sudo apt-get install faketime"
        )
    try:
        stamps, pytest_args = split_dates_args(args)
    except ValueError as exc:
        return fail(str(exc), 2)
    cmd = _pytest_command(pytest_args)
    if os.isatty(1) and not any(a.startswith("--color") for a in pytest_args):
        cmd.append("--color=yes")  # output passes through a pipe
    rows: list[tuple[str, int, float, str]] = []
    for stamp in stamps:
        say(f"系统时钟 → {stamp}：" + " ".join(["faketime", "-f", f"@{stamp}", "python", *cmd[1:]]))
        start = time.monotonic()
        code, summary = _run_streaming([faketime, "-f", f"@{stamp}", *cmd], faketime_env(_test_env()))
        rows.append((stamp, code, time.monotonic() - start, summary))
    print(format_date_table(rows))
    return 1 if any(code != 0 for _, code, _, _ in rows) else 0


def format_date_table(rows: list[tuple[str, int, float, str]]) -> str:
    lines = ["", "日期                 结果    用时      pytest"]
    for stamp, code, seconds, summary in rows:
        verdict = "通过" if code == 0 else ("无测试" if code == 5 else "失败")
        lines.append(f"{stamp:<20} {verdict:<6}{seconds:7.1f} 秒  {summary or f'退出码 {code}'}")
    failed = sum(1 for _, code, _, _ in rows if code != 0)
    lines.append(
        f"{len(rows) - failed}/{len(rows)} 个日期通过。" if failed else f"全部 {len(rows)} 个日期通过。"
    )
    return "\n".join(lines)


USAGE = """用法：
  python3 installer/dev.py app  [-- 程序参数…]   运行社区网格治理工作台（例：app -- --db 测试.sqlite3）
  python3 installer/dev.py test [pytest 参数…]   运行测试（例：test -k backup -x）
  python3 installer/dev.py test-dates [--dates 2027-01-04,2028-02-29] [pytest 参数…]
                                                 在每个日期（默认 {dates}）各运行一遍测试
Windows：py installer\\dev.py app / py installer\\dev.py test""".replace("{dates}", "、".join(TEST_DATES))


def main(argv: list[str]) -> int:
    _fix_console()
    if not argv or argv[0] in ("-h", "--help", "help") or argv[0] not in ("app", "test", "test-dates"):
        print(USAGE)
        return 0 if argv and argv[0] in ("-h", "--help", "help") else 2
    if sys.version_info < MIN_PYTHON:
        return fail(
            f"需要 Python 3.11 或更高版本，当前是 {sys.version.split()[0]}。"
            + ("Windows 上可用：py -3.11 installer\\dev.py …" if IS_WINDOWS else "")
        )
    command, rest = argv[0], _passthrough(argv[1:])
    for step in (lambda: ensure_system_packages(command), ensure_venv, ensure_installed):
        code = step()
        if code:
            return code
    if command == "test-dates":
        return run_test_dates(argv[1:])
    return run_app(rest) if command == "app" else run_tests(rest)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("\n[dev] 已中断。", file=sys.stderr)
        sys.exit(130)
