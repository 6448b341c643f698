"""社区网格治理工作台 (Shequ Workbench)."""

__version__ = "0.1.0"
