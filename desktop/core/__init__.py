"""Qt-free foundations shared by every layer: errors, paths, logging, small helpers."""
