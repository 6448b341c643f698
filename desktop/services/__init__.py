"""Use cases, one module per area. Qt-free; they return plain dataclasses, never ORM objects."""
