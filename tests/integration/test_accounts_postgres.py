"""The accounts' service tests (login, lockout, roles, scope), run again on PostgreSQL: the ``ctx`` and
``street_ctx`` of tests/integration/conftest.py are PostgreSQL databases."""

from __future__ import annotations

import pytest

from tests.unit.test_account_scope import *  # noqa: F403
from tests.unit.test_accounts import *  # noqa: F403

pytestmark = pytest.mark.postgres
