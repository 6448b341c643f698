"""``installer/dev.py test-dates``: the suite at other dates under faketime (issue 10 §1)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shequ_dev", ROOT / "installer" / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dates_and_pytest_arguments_are_split() -> None:
    dev = _dev()
    stamps, rest = dev.split_dates_args(["--dates", "2027-01-04, 2028-02-29 23:59:30", "-q", "tests/unit"])
    assert stamps == ["2027-01-04 12:00:00", "2028-02-29 23:59:30"]
    assert rest == ["-q", "tests/unit"]
    stamps, rest = dev.split_dates_args(["-k", "backup"])
    assert [s[:10] for s in stamps] == ["2026-12-03", "2027-01-04", "2027-02-10", "2027-10-04", "2028-02-29"]
    assert rest == ["-k", "backup"]
    with pytest.raises(ValueError, match="2027-02-30"):
        dev.split_dates_args(["--dates=2027-02-30"])


def test_the_table_says_which_date_failed() -> None:
    table = _dev().format_date_table(
        [("2027-01-04 12:00:00", 0, 31.0, "470 passed in 30.1s"), ("2028-02-29 12:00:00", 1, 33.5, "")]
    )
    lines = table.splitlines()
    assert "2027-01-04" in lines[2] and "通过" in lines[2] and "470 passed" in lines[2]
    assert "2028-02-29" in lines[3] and "失败" in lines[3] and "退出码 1" in lines[3]
    assert lines[-1] == "1/2 个日期通过。"


_PROBE = (
    "import time; t = time.monotonic(); time.sleep(0.05); print(time.sleep.__name__, time.localtime()[:3])"
)


def _python(env_extra: dict[str, str], *prefix: str) -> subprocess.CompletedProcess[str]:
    # a real clock, also when this suite itself runs under test-dates
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
    env.update(env_extra)
    return subprocess.run(
        [*prefix, sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_sleep_shim_is_inert_on_a_real_clock() -> None:
    env = _dev().faketime_env({"PYTHONPATH": "elsewhere"})
    assert env["PYTHONPATH"].split(os.pathsep)[1] == "elsewhere"
    proc = _python({"PYTHONPATH": env["PYTHONPATH"]})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("sleep ")  # the built-in, untouched


@pytest.mark.skipif(
    not shutil.which("faketime"), reason="faketime is not installed (apt-get install faketime)"
)
def test_under_faketime_the_clock_moves_and_sleep_works() -> None:
    dev = _dev()
    env = dev.faketime_env({})
    proc = _python(
        {k: env[k] for k in ("PYTHONPATH", "FAKETIME_DONT_FAKE_MONOTONIC")},
        "faketime",
        "-f",
        "@2028-02-29 12:00:00",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "_select_sleep (2028, 2, 29)"
