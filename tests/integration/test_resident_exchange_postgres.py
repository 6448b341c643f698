"""The resident import/export tests, run again on PostgreSQL (the ``ctx`` of tests/integration/conftest.py):
ids reserved from the sequences, bulk inserts, the audit chain and the one-transaction rule must hold there too."""

from __future__ import annotations

import pytest

from tests.unit.test_audit_blocks import (  # noqa: F401
    imported,
    test_every_imported_row_is_rebuilt_from_the_blocks_field_by_field,
    test_the_history_of_one_resident_shows_each_change,
)
from tests.unit.test_resident_exchange import (  # noqa: F401
    no_backup,
    people,
    test_a_confirmed_mapping_is_used_and_remembered,
    test_a_dry_run_does_not_remember_a_mapping,
    test_cancel_at_any_stage_commits_nothing,
    test_dry_run_counts_but_writes_nothing,
    test_every_created_or_updated_resident_is_audited_masked_plus_one_batch_record,
    test_export_filters_by_community_and_grid,
    test_export_is_masked_by_default_and_keeps_ids_as_text,
    test_full_export_imports_back_unchanged_and_into_a_fresh_database_identically,
    test_full_export_needs_a_reason_which_is_audited,
    test_one_import_is_one_commit_and_a_failure_commits_nothing,
)
from tests.unit.test_resident_import_rules import *  # noqa: F403

pytestmark = pytest.mark.postgres
