"""resident search indexes: the 居民 list's searches and 姓名 sort grow with the matches, not the register

* ``ix_resident_initials_order`` (name_initials, status, community_id, grid_id, household_id) replaces
  ``ix_resident_name_initials``: a 拼音首字母 search reads its matches and their list order from the index alone;
* ``ix_resident_region_order`` (id_region, status, community_id, grid_id, household_id) replaces
  ``ix_resident_id_region`` for a search by the start of an ID number, the same way;
* ``ix_resident_name_sort`` (status, name_initials, name): the list sorted by 姓名 is an index walk, no sort.

Measured on 522,360 residents (tests/bench/bench_search_scale.py, ids + first page, before → after): a
search "zy" (21,504 matches, past the old 8,000-match cut-over to a full scan) 137 → 19 ms, the list
sorted by 姓名 569 → 150 ms (a temporary B-tree sort of every row before).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 20:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ORDER = ["status", "community_id", "grid_id", "household_id"]


def upgrade() -> None:
    op.drop_index("ix_resident_name_initials", table_name="resident")
    op.drop_index("ix_resident_id_region", table_name="resident")
    op.create_index("ix_resident_initials_order", "resident", ["name_initials", *_ORDER])
    op.create_index("ix_resident_region_order", "resident", ["id_region", *_ORDER])
    op.create_index("ix_resident_name_sort", "resident", ["status", "name_initials", "name"])


def downgrade() -> None:
    op.drop_index("ix_resident_name_sort", table_name="resident")
    op.drop_index("ix_resident_region_order", table_name="resident")
    op.drop_index("ix_resident_initials_order", table_name="resident")
    op.create_index("ix_resident_id_region", "resident", ["id_region"])
    op.create_index("ix_resident_name_initials", "resident", ["name_initials"])
