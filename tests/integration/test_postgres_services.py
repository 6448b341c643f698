"""The unit tests of the structure services and the audit trail, run again on PostgreSQL.

Importing the test functions (and the ``other_ctx`` fixture) into this module makes pytest collect
them here, where ``tests/integration/conftest.py`` gives them a PostgreSQL ``ctx``: the same
assertions must hold on both backends.
"""

from __future__ import annotations

import pytest

from tests.unit.test_audit import *  # noqa: F403
from tests.unit.test_structure_services import *  # noqa: F403

pytestmark = pytest.mark.postgres
