"""Excel/CSV import and export: reading, writing, cell cleaning and column maps (Qt-free; identity rules are in desktop.domain)."""
