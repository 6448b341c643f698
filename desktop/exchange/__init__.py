"""Excel/CSV import and export, validators and column maps (Qt-free)."""
