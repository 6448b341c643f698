"""Everything Qt. The only layer that imports PySide6 (through ``desktop.ui.qt``) and qtawesome."""
