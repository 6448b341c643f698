"""The frozen program's self-test, run by ``installer/build.py exe`` (and ``build.py smoke``); stdlib only.

Every step runs the program as a user would, through its command-line sub-commands, in a throwaway
SHEQU_HOME, and checks what came out:

 1. ``--version``;
 2. ``demo`` (migrations + demo data), ``export grids`` (CSV, read back for the grid codes), ``backup``;
 3. ``import residents`` of a small roster .xlsx (written here, with the rare character 䶮 in a name) and of a
    GBK-encoded .csv (as Excel on a Chinese Windows saves it), then ``export residents`` finds both;
 4. ``print agreement`` of a case whose parties are 王䶮 and 𠮷丽萍 (a demo case with a written agreement,
    exported with ``export mediation-cases``, renamed, imported back as a new case): every font of the PDF is
    embedded and one is the rare-character fallback 花園明朝A (HanaMinA), which after subsetting still carries
    䶮 (U+4DAE) and 𠮷 (U+20BB7);
 5. ``report monthly`` → the 月报 PDF and workbook;
 6. a PostgreSQL URL with no server: a Chinese message, a non-zero exit, no traceback;
 7. the window on an offscreen 1366×768 screen (``--smoke`` quits once the 工作台 shows its figures).

``python installer/smoke.py python -m desktop.app`` runs the same steps against the source tree.
"""

from __future__ import annotations

import csv
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

MONTH = "2026-11"
DEMO_PASSWORD = "Demo@2026"  # the demo accounts' password (README: 演示账号)
RARE_NAME = "张䶮"  # 䶮 U+4DAE, CJK Ext-A: not in GBK, not in WenQuanYi Micro Hei
RESIDENT_HEADER = [
    "姓名",
    "性别",
    "民族",
    "公民身份号码",
    "出生日期",
    "联系电话",
    "户籍/流动",
    "社区",
    "所属网格",
]


def id_number(prefix17: str) -> str:
    """A 公民身份号码 with its GB 11643-1999 check character (ISO 7064 MOD 11-2)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(prefix17, weights, strict=True))
    return prefix17 + "10X98765432"[total % 11]


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    """A one-sheet .xlsx with inline strings (what any spreadsheet program reads)."""

    def col(i: int) -> str:
        return chr(ord("A") + i)

    sheet_rows = "".join(
        f'<row r="{r + 1}">'
        + "".join(
            f'<c r="{col(c)}{r + 1}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(rows)
    )
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
        '<sheet name="居民" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        f'xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{sheet_rows}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(BaseFont name, embedded?) of each font in a PDF (ReportLab writes font dictionaries uncompressed)."""
    data = path.read_bytes()
    # FontDescriptor objects carry /FontName and, when embedded, /FontFile2 (TrueType)
    found = []
    for obj in re.finditer(rb"\bobj\b(.*?)\bendobj\b", data, re.S):
        m = re.search(rb"/FontName\s*/([^\s/>\]]+)", obj.group(1))
        if m:
            found.append((m.group(1).decode("latin-1"), b"/FontFile" in obj.group(1)))
    return found


def ttf_has(path: Path, codepoints: list[int]) -> list[int]:
    """The codepoints of ``codepoints`` the TrueType font's format 12 (or 4) cmap lacks."""
    data = path.read_bytes()
    num = struct.unpack(">H", data[4:6])[0]
    cmap_off = next(
        struct.unpack(">I", data[12 + 16 * i + 8 : 12 + 16 * i + 12])[0]
        for i in range(num)
        if data[12 + 16 * i : 12 + 16 * i + 4] == b"cmap"
    )
    n_sub = struct.unpack(">H", data[cmap_off + 2 : cmap_off + 4])[0]
    have: set[int] = set()
    for i in range(n_sub):
        off = cmap_off + struct.unpack(">I", data[cmap_off + 4 + 8 * i + 4 : cmap_off + 4 + 8 * i + 8])[0]
        if struct.unpack(">H", data[off : off + 2])[0] == 12:
            groups = struct.unpack(">I", data[off + 12 : off + 16])[0]
            for g in range(groups):
                start, end, _ = struct.unpack(">III", data[off + 16 + 12 * g : off + 28 + 12 * g])
                have.update(cp for cp in codepoints if start <= cp <= end)
    return [cp for cp in codepoints if cp not in have]


class Smoke:
    def __init__(self, cli: list[str], gui: list[str], home: Path) -> None:
        self.cli, self.gui, self.home = cli, gui, home
        self.db = home / "smoke.sqlite3"
        self.env = {
            **os.environ,
            "SHEQU_HOME": str(home),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONIOENCODING": "utf-8",
        }
        self.env.pop("SHEQU_DB", None)
        self.failures: list[str] = []

    def run(
        self, *args: str, db: str | None = None, ok: bool = True, gui: bool = False, user: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """One command; ``user``: signed in as that demo account (README: 演示账号), the password on stdin."""
        sign_in = ["--user", user, "--password-stdin"] if user else []
        cmd = (
            [*(self.gui if gui else self.cli), "--db", db or str(self.db), *sign_in, *args]
            if args[:1] != ("--version",)
            else [*self.cli, *args]
        )
        print("[smoke] " + " ".join(cmd), flush=True)
        proc = subprocess.run(
            cmd,
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=600,
            input=DEMO_PASSWORD + "\n" if user else None,
        )
        out = (proc.stdout + proc.stderr).strip()
        if out:
            print("  " + out.replace("\n", "\n  ")[:600], flush=True)
        if ok and proc.returncode != 0:
            raise AssertionError(f"{' '.join(args)} 退出码 {proc.returncode}")
        return proc

    def step(self, name: str, fn: Callable[[], None]) -> None:
        try:
            fn()
            print(f"[smoke] ✓ {name}", flush=True)
        except Exception as exc:  # every step runs; all failures are reported together
            self.failures.append(f"{name}：{exc}")
            print(f"[smoke] ✗ {name}：{exc}", flush=True)

    # -------------------------------------------------------------- the steps
    def version(self) -> None:
        out = self.run("--version").stdout
        assert "社区网格治理工作台" in out, f"版本输出不对：{out!r}"

    def demo(self) -> None:
        self.run("demo")
        self.run("export", "grids", "--out", str(self.home / "grids.csv"), user="admin")
        with open(self.home / "grids.csv", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows, "导出的网格为空"
        self.grid = rows[0]
        self.run("backup", user="admin")

    def import_residents(self) -> None:
        community, grid = self.grid["社区"], self.grid["网格编号"]
        xlsx, gbk = self.home / "roster.xlsx", self.home / "roster-gbk.csv"
        write_xlsx(
            xlsx,
            [
                RESIDENT_HEADER,
                [RARE_NAME, "男", "汉族", id_number("37010219850307001"), "1985-03-07", "13905310001", "户籍",
                 community, grid],
            ],
        )  # fmt: skip
        with open(gbk, "w", encoding="gbk", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(RESIDENT_HEADER)
            w.writerow(["刘淑珍", "女", "回族", id_number("37010219620918002"), "1962-09-18", "13905310002", "流动",
                        community, grid])  # fmt: skip
        for f in (xlsx, gbk):
            self.run("import", "residents", str(f), user="street")
        out = self.home / "residents.csv"
        self.run("export", "residents", "--out", str(out), user="street")
        text = out.read_text(encoding="utf-8-sig")
        for name in (RARE_NAME, "刘淑珍"):
            assert name in text, f"导入后导出的居民中没有 {name}"

    def agreement(self, fonts_dir: Path | None) -> None:
        """A case whose parties have rare names: the demo ledger exported, one case with a written agreement
        renamed to a new case number and its parties to 王䶮 and 𠮷丽萍, imported back, its 协议书 printed."""
        cases = json.loads(self.run("mediation", "list", "--json", user="secretary").stdout)
        case = next((c for c in cases if c.get("agreement_no") and c.get("agreement_form") == "书面"), None)
        assert case, "演示数据中没有书面调解协议"
        parties = case["parties"].split("、")
        new_no = re.sub(r"第\d+号", "第999号", case["case_no"])
        ledger, edited = self.home / "ledger.xlsx", self.home / "ledger-rare.xlsx"
        self.run(
            "export", "mediation-cases", "--out", str(ledger), "--full", "--reason", "安装包自检", user="secretary"
        )
        swaps = {case["case_no"]: new_no, parties[0]: "王䶮", parties[1]: "𠮷丽萍"}
        with zipfile.ZipFile(ledger) as src, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename.endswith(".xml"):
                    text = data.decode("utf-8")
                    for old, new in swaps.items():
                        text = text.replace(f">{escape(old)}<", f">{escape(new)}<")
                    data = text.encode("utf-8")
                dst.writestr(info, data)
        out = self.run("import", "mediation-cases", str(edited), user="secretary").stdout
        assert "新建 1 件" in out, "改名后的案件没有作为新案件导入"
        pdf = self.home / "agreement.pdf"
        self.run("print", "agreement", new_no, "--out", str(pdf), user="secretary")
        assert pdf.read_bytes()[:5] == b"%PDF-", "协议书不是 PDF"
        fonts = pdf_fonts(pdf)
        print(f"  PDF 字体：{', '.join(n for n, _ in fonts)}")
        assert fonts and all(emb for _, emb in fonts), f"协议书的字体没有全部嵌入：{fonts}"
        assert any("HanaMinA" in n for n, _ in fonts), "生僻字没有用后备字体（花园明朝A）嵌入"
        if fonts_dir is not None:
            lacking = ttf_has(fonts_dir / "HanaMinA.ttf", [0x4DAE, 0x20BB7])
            assert not lacking, f"随包的生僻字字体缺少 {[hex(c) for c in lacking]}"

    def monthly(self) -> None:
        pdf, xlsx = self.home / "monthly.pdf", self.home / "monthly.xlsx"
        self.run("report", "monthly", "--month", MONTH, "--out", str(pdf), "--xlsx", str(xlsx), user="street")
        assert pdf.read_bytes()[:5] == b"%PDF-", "月报不是 PDF"
        with zipfile.ZipFile(xlsx) as z:
            assert "xl/workbook.xml" in z.namelist(), "月报工作簿不是 .xlsx"

    def postgres(self) -> None:
        proc = self.run("mediation", "list", db="postgresql+psycopg://shequ@127.0.0.1:9/shequ", ok=False)
        err = proc.stdout + proc.stderr
        assert proc.returncode != 0, "连接不到服务器却返回 0"
        assert "Traceback" not in err, "出现了 Python 回溯"
        assert re.search(r"[\u4e00-\u9fff]", err) and "PostgreSQL" in err, f"没有中文说明：{err!r}"

    def window(self) -> None:
        conf = self.home / "screen.json"
        conf.write_text(
            json.dumps({"screens": [{"name": "smoke", "x": 0, "y": 0, "width": 1366, "height": 768,
                                     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}),
            encoding="utf-8",
        )  # fmt: skip
        self.env["QT_QPA_PLATFORM"] = f"offscreen:configfile={conf}"
        try:
            proc = self.run("--smoke", gui=True, user="street")
        finally:
            self.env["QT_QPA_PLATFORM"] = "offscreen"
        assert re.search(r"ready \d", proc.stdout), "窗口没有就绪"


def run_smoke(cli: list[str], gui: list[str], fonts_dir: Path | None) -> list[str]:
    """All steps; returns the failures (empty when everything passed)."""
    with tempfile.TemporaryDirectory(prefix="shequ-smoke-") as tmp:
        s = Smoke(cli, gui, Path(tmp))
        s.step("版本", s.version)
        s.step("演示数据、导出网格、备份", s.demo)
        if s.failures:  # the rest needs the demo database
            return s.failures
        s.step("导入居民（xlsx 与 GBK 编码 CSV）", s.import_residents)
        s.step("打印调解协议书（字体嵌入、生僻字字体）", lambda: s.agreement(fonts_dir))
        s.step("月报 PDF 与工作簿", s.monthly)
        s.step("PostgreSQL 连接失败时的提示", s.postgres)
        s.step("主窗口（1366×768）", s.window)
        return s.failures


if __name__ == "__main__":
    failed = run_smoke(sys.argv[1:], sys.argv[1:], None)
    print("\n".join(failed) or "自检通过")
    sys.exit(1 if failed else 0)
