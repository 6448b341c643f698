"""人民调解 area: case list, case workspace, document preview."""
