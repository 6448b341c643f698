"""Data layer (Qt-free): engine and sessions, typed ORM schema, Alembic migrations, backups."""
