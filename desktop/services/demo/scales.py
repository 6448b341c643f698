"""The sizes of the demo street (``SCALES``) and what a run reports back (``DemoSummary``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from db.schema.structure import GridKind

Progress = Callable[[int, int, str], None]
Address = tuple[str, str | None, str | None, str | None]  # estate, building, unit, room

CHUNK = 10_000


@dataclass(frozen=True)
class Scale:
    communities: int
    grids: int
    estates: int
    households: int
    residents: int  # residents in the register (ACTIVE); moved/deceased/left come on top
    dedicated: int
    micro: int


SCALES = {
    "street": Scale(14, 187, 92, 61_256, 130_590, 18, 22),
    "small": Scale(1, 6, 4, 940, 2_000, 1, 1),
}
INACTIVE_SHARE = 0.012  # moved out / deceased / left, kept in the register with their status
FLOATING_SHARE = {GridKind.BASIC: 0.175, GridKind.DEDICATED: 0.35, GridKind.MICRO: 0.5}
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
HOUSEHOLD_SIZE_WEIGHTS = (33, 36, 19, 8, 3, 1)  # mean ≈ 2.15 persons, like the seed's 130,590 / 61,256
KIND_LABELS = {GridKind.BASIC: "基础网格", GridKind.DEDICATED: "专属网格", GridKind.MICRO: "微网格"}


@dataclass(frozen=True)
class DemoStep:
    label: str
    seconds: float
    rows: int


@dataclass
class DemoSummary:
    scale: str
    seed: int
    street: str
    communities: int = 0
    estates: int = 0
    grids: int = 0
    grids_by_kind: dict[str, int] = field(default_factory=dict)
    staff: int = 0
    households: int = 0
    residents: int = 0  # all resident rows
    active_residents: int = 0
    floating_residents: int = 0
    tagged_residents: int = 0
    tags: int = 0
    care_tiers: dict[str, int] = field(default_factory=dict)
    events: int = 0  # 网格事件 of the year
    visits: int = 0  # 分色走访 of the year
    replaced_rows: int = 0  # rows deleted first (force)
    backup_path: str | None = None  # the verified backup of the replaced data (force, SQLite)
    seconds: float = 0.0
    steps: list[DemoStep] = field(default_factory=list)

    @property
    def inactive_residents(self) -> int:
        return self.residents - self.active_residents

    def describe(self, with_time: bool = True) -> str:
        kinds = "、".join(f"{KIND_LABELS[GridKind(k)]} {n}" for k, n in self.grids_by_kind.items() if n)
        head = "已清空原有数据并生成演示数据" if self.replaced_rows else "已生成演示数据"
        line1 = (
            f"{head}：{self.street}，{self.communities} 个社区、{self.estates} 个小区、"
            f"{self.grids} 个网格（{kinds}），网格人员 {self.staff:,} 名。"
        )
        tiers = "、".join(
            f"{label} {self.care_tiers.get(k, 0):,}"
            for k, label in (("BLUE", "蓝"), ("ORANGE", "橙"), ("RED", "红"))
        )
        line2 = (
            f"{self.households:,} 户、在册居民 {self.active_residents:,} 人"
            f"（流动人口 {self.floating_residents:,} 人，另有迁出/死亡/离开 {self.inactive_residents:,} 人），"
            f"特殊人群 {self.tagged_residents:,} 人，分色管理 {tiers}"
            + (f"；网格事件 {self.events:,} 件" if self.events else "")
            + (f"、走访记录 {self.visits:,} 次" if self.visits else "")
        )
        tail = (
            f"；用时 {self.seconds:.1f} 秒（种子 {self.seed}）。" if with_time else f"（种子 {self.seed}）。"
        )
        return f"{line1}\n{line2}{tail}"
