"""The one import flow: every importer of the UI is an :class:`~desktop.ui.importing.importer.Importer`
(check a file, then commit it) shown by :class:`~desktop.ui.dialogs.import_wizard.ImportWizard`."""
