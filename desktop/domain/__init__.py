"""The shared vocabulary: records (dataclasses), labels, identity, text and date rules.

Qt-free, ReportLab-free and free of I/O (no database, no files, no spreadsheets): services, documents
and exchange all speak it, so it sits on the floor under them (``desktop.core`` is below it).
"""
