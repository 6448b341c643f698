"""People's mediation (人民调解): committee settings, intake, the case lifecycle, numbers, deadlines,
documents and the 调解台账 exchange (demo data: ``desktop.services.demo.mediation``). Qt-free; every
change is one audited transaction.

Importing the package is cheap: each name is loaded from its module when first used (PEP 562), so the
first window loads only the modules 工作台 reads (issue 16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.lazy import lazy_names

if TYPE_CHECKING:
    from desktop.services.mediation.cases import (
        CaseInput,
        create_case,
        remove_party,
        retire_case,
        save_party,
        update_case,
    )
    from desktop.services.mediation.committee import (
        CommitteeInfo,
        CommitteeInput,
        MediatorInfo,
        MediatorInput,
        get_committee,
        list_committees,
        list_mediators,
        save_committee,
        save_mediator,
    )
    from desktop.services.mediation.common import MediationRules, get_case, rules, save_rules
    from desktop.services.mediation.dictionary import (
        DisputeType,
        dispute_types,
        format_dispute_types,
        parse_dispute_types,
        save_dispute_types,
    )
    from desktop.services.mediation.lifecycle import (
        AgreementInput,
        FollowUpInput,
        InvestigationInput,
        SessionInput,
        TermInput,
        archive_case,
        close_case,
        record_failure,
        record_follow_up,
        record_performance,
        save_agreement,
        save_investigation,
        save_session,
        set_file_item,
        set_rights_notified,
        set_signatures,
    )
    from desktop.services.mediation.parties import PartyInput
    from desktop.services.mediation.queries import CaseFilter, CaseRow, case_list_json, list_cases

_MODULE_OF = {
    "CaseInput": "cases",
    "create_case": "cases",
    "remove_party": "cases",
    "retire_case": "cases",
    "save_party": "cases",
    "update_case": "cases",
    "CommitteeInfo": "committee",
    "CommitteeInput": "committee",
    "MediatorInfo": "committee",
    "MediatorInput": "committee",
    "get_committee": "committee",
    "list_committees": "committee",
    "list_mediators": "committee",
    "save_committee": "committee",
    "save_mediator": "committee",
    "MediationRules": "common",
    "get_case": "common",
    "rules": "common",
    "save_rules": "common",
    "DisputeType": "dictionary",
    "dispute_types": "dictionary",
    "format_dispute_types": "dictionary",
    "parse_dispute_types": "dictionary",
    "save_dispute_types": "dictionary",
    "AgreementInput": "lifecycle",
    "FollowUpInput": "lifecycle",
    "InvestigationInput": "lifecycle",
    "SessionInput": "lifecycle",
    "TermInput": "lifecycle",
    "archive_case": "lifecycle",
    "close_case": "lifecycle",
    "record_failure": "lifecycle",
    "record_follow_up": "lifecycle",
    "record_performance": "lifecycle",
    "save_agreement": "lifecycle",
    "save_investigation": "lifecycle",
    "save_session": "lifecycle",
    "set_file_item": "lifecycle",
    "set_rights_notified": "lifecycle",
    "set_signatures": "lifecycle",
    "PartyInput": "parties",
    "CaseFilter": "queries",
    "CaseRow": "queries",
    "case_list_json": "queries",
    "list_cases": "queries",
}


__getattr__ = lazy_names(__name__, _MODULE_OF, globals())


__all__ = [
    "AgreementInput",
    "CaseFilter",
    "CaseInput",
    "CaseRow",
    "CommitteeInfo",
    "CommitteeInput",
    "DisputeType",
    "FollowUpInput",
    "InvestigationInput",
    "MediationRules",
    "MediatorInfo",
    "MediatorInput",
    "PartyInput",
    "SessionInput",
    "TermInput",
    "archive_case",
    "case_list_json",
    "close_case",
    "create_case",
    "dispute_types",
    "format_dispute_types",
    "get_case",
    "get_committee",
    "list_cases",
    "list_committees",
    "list_mediators",
    "parse_dispute_types",
    "record_failure",
    "record_follow_up",
    "record_performance",
    "remove_party",
    "retire_case",
    "rules",
    "save_agreement",
    "save_committee",
    "save_dispute_types",
    "save_investigation",
    "save_mediator",
    "save_party",
    "save_rules",
    "save_session",
    "set_file_item",
    "set_rights_notified",
    "set_signatures",
    "update_case",
]
