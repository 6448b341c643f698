"""Issue 15, point 11: a 协议编号 in a mediation ledger that another case's agreement already has is refused
for that case, by row, naming the number — not blamed on "其他用户", and the other cases still import."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import NotFoundError
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.mediation import exchange

from .test_mediation_exchange import _case, _party, _write
from .test_mediation_helpers import D, setup_committee

AGREEMENT = "新华人调协字〔2025〕第7号"


def _agreed(no: str, agreement_no: str) -> list[object]:
    return _case(no, form="书面", made_on=D(2025, 5, 8), result="调解成功", agreement_no=agreement_no)


def test_an_agreement_number_clash_names_the_number_and_the_row(
    street_ctx: ServiceContext, tmp_path: Path
) -> None:
    setup_committee(street_ctx)
    first = _write(
        tmp_path / "上半年.xlsx",
        [_agreed("(2025)新华社区人调字第1号", AGREEMENT)],
        [_party("(2025)新华社区人调字第1号", "张三"), _party("(2025)新华社区人调字第1号", "李四")],
    )
    assert exchange.import_cases(street_ctx, first).created == 1
    second = _write(
        tmp_path / "下半年.xlsx",
        [
            _agreed("(2025)新华社区人调字第2号", AGREEMENT),  # row 2: the first file's agreement number
            _agreed("(2025)新华社区人调字第3号", "新华人调协字〔2025〕第9号"),  # row 3: fine
            _agreed("(2025)新华社区人调字第4号", "新华人调协字〔2025〕第9号"),  # row 4: row 3's number
        ],
        [_party(f"(2025)新华社区人调字第{n}号", name) for n in (2, 3, 4) for name in (f"甲{n}", f"乙{n}")],
    )
    report = exchange.import_cases(street_ctx, second)
    assert report.created == 1 and report.exit_status == 2
    clashes = {i.row: i for i in report.issues if i.code == "agreement_no_taken"}
    assert set(clashes) == {2, 4}
    assert clashes[2].field == "协议编号" and AGREEMENT in clashes[2].reason
    assert "第001号" in clashes[2].reason and "第003号" in clashes[4].reason  # the case whose agreement it is
    assert all("其他用户" not in i.reason for i in report.issues)
    assert med.get_case(street_ctx, "（2025）新华社区人调字第003号").agreement is not None
    for no in ("（2025）新华社区人调字第002号", "（2025）新华社区人调字第004号"):
        with pytest.raises(NotFoundError):
            med.get_case(street_ctx, no)
