"""What the user chose for one import: the file, its worksheet and (for importers with a column step)
which field each of the file's headers is imported as."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    sheet: str | None = None
    #: {the file's header → field key, "" = not imported}; empty when the importer has no column step
    mapping: Mapping[str, str] = field(default_factory=dict)
