"""The street's structure (1+1+N): the street, its communities, their grids and the grid staff (网格长,
专职/兼职网格员).

Modules: ``common`` (labels, dataclasses), ``communities`` (the street and its communities), ``grids``,
``staff``, and ``exchange`` (the grid list's spreadsheet import and export; import it as a module).
"""

from desktop.services.structure.common import (
    GRID_KIND_LABELS,
    GRID_ROLE_LABELS,
    HELPER_KINDS,
    CommunityInput,
    CommunityRow,
    GridDetail,
    GridInput,
    GridRow,
    StaffInput,
    StaffRow,
    StreetInfo,
    grid_kind_from_label,
)
from desktop.services.structure.communities import (
    get_street,
    list_communities,
    save_community,
    save_street,
)
from desktop.services.structure.grids import (
    get_grid,
    list_grids,
    restore_grid,
    retire_grid,
    save_grid,
)
from desktop.services.structure.staff import (
    retire_staff,
    save_staff,
)

__all__ = [
    "GRID_KIND_LABELS",
    "GRID_ROLE_LABELS",
    "HELPER_KINDS",
    "CommunityInput",
    "CommunityRow",
    "GridDetail",
    "GridInput",
    "GridRow",
    "StaffInput",
    "StaffRow",
    "StreetInfo",
    "get_grid",
    "get_street",
    "grid_kind_from_label",
    "list_communities",
    "list_grids",
    "restore_grid",
    "retire_grid",
    "retire_staff",
    "save_community",
    "save_grid",
    "save_staff",
    "save_street",
]
