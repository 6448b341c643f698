"""导入居民: the one import flow (:class:`ImportWizard`) with the residents' importer, whose 核对列 step
lets the user map the file's headers; the choices confirmed by importing are remembered."""

from __future__ import annotations

from desktop.services.context import ServiceContext
from desktop.ui.dialogs.import_wizard import ImportWizard
from desktop.ui.importing.resident_importer import ResidentImporter
from desktop.ui.qt import QtWidgets


class ResidentImportWizard(ImportWizard):
    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        importer = ResidentImporter()
        super().__init__(ctx, importer, parent)
        importer.setParent(self)
