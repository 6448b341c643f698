"""Accounts vocabulary: the permissions, the roles a new database starts with, the password rules.

The rules follow GB/T 22239-2019 (信息安全技术 网络安全等级保护基本要求, 等保 2.0), level 3:
身份鉴别 (8.1.4.1: unique login names, complex passwords changed regularly, lock after failed attempts, idle
timeout) and 访问控制 / 三权分立 (8.1.4.2, 8.1.10.1: the system, security and audit administrators are
separate people — no single account may hold account management, security settings and the audit log).
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- permissions

RESIDENTS_READ = "residents.read"
RESIDENTS_WRITE = "residents.write"
RESIDENTS_UNMASK = "residents.unmask"
RESIDENTS_EXPORT = "residents.export"
GRIDS = "grids"
MEDIATION_READ = "mediation.read"
MEDIATION_WRITE = "mediation.write"
JUDICIAL = "judicial"
PARTY = "party"
EVENTS = "events"
VISITS = "visits"
REPORTS = "reports"
SETTINGS = "settings"
ACCOUNTS = "accounts"
AUDIT = "audit"

#: every permission with its Chinese label, in the order the role editor lists them
PERMISSIONS: dict[str, str] = {
    RESIDENTS_READ: "查看居民",
    RESIDENTS_WRITE: "编辑居民",
    RESIDENTS_UNMASK: "查看完整证件号/电话",
    RESIDENTS_EXPORT: "导出居民及完整信息",
    GRIDS: "网格与社区结构",
    MEDIATION_READ: "查看人民调解",
    MEDIATION_WRITE: "办理人民调解",
    JUDICIAL: "司法确认",
    PARTY: "党建",
    EVENTS: "网格事件",
    VISITS: "分色走访",
    REPORTS: "统计报表与导出",
    SETTINGS: "系统与安全设置",
    ACCOUNTS: "账号管理",
    AUDIT: "审计日志",
}

#: 三权分立: one role never holds all of these together
SEPARATED_POWERS = frozenset({ACCOUNTS, SETTINGS, AUDIT})


def permission_label(code: str) -> str:
    return PERMISSIONS.get(code, code)


# ---------------------------------------------------------------- roles

ADMIN_ROLE = "系统管理员"
#: the role whose accounts belong to one 人民调解委员会 (the committee is chosen with the account)
MEDIATOR_ROLE = "调解员"
AUDITOR_ROLE = "审计管理员"
#: what the command line accepts for the administrator besides its full name
ROLE_ALIASES = {"管理员": ADMIN_ROLE, "admin": ADMIN_ROLE}

#: scope kinds: where an account's residents, visits and events end
SCOPE_ALL = "all"
SCOPE_COMMUNITY = "community"
SCOPE_GRIDS = "grids"


@dataclass(frozen=True)
class RoleSpec:
    name: str
    permissions: tuple[str, ...]
    scope: str
    description: str


_RESIDENTS_ALL = (RESIDENTS_READ, RESIDENTS_WRITE, RESIDENTS_UNMASK, RESIDENTS_EXPORT)

DEFAULT_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(ADMIN_ROLE, (ACCOUNTS, SETTINGS, GRIDS), SCOPE_ALL, "账号与系统设置，不看居民信息"),
    RoleSpec(AUDITOR_ROLE, (AUDIT,), SCOPE_ALL, "只读审计日志"),
    RoleSpec(
        "街道管理员/统计员",
        (*_RESIDENTS_ALL, GRIDS, MEDIATION_READ, PARTY, EVENTS, VISITS, REPORTS),
        SCOPE_ALL,
        "全部社区，报表与导出",
    ),
    RoleSpec(
        "社区书记/主任",
        (*_RESIDENTS_ALL, MEDIATION_READ, MEDIATION_WRITE, JUDICIAL, PARTY, EVENTS, VISITS, REPORTS),
        SCOPE_COMMUNITY,
        "本社区的全部工作",
    ),
    RoleSpec(
        MEDIATOR_ROLE,
        (RESIDENTS_READ, MEDIATION_READ, MEDIATION_WRITE, JUDICIAL),
        SCOPE_ALL,
        "人民调解与司法确认；居民只读且证件号遮盖",
    ),
    RoleSpec(
        "网格员", (RESIDENTS_READ, RESIDENTS_WRITE, VISITS, EVENTS), SCOPE_GRIDS, "本网格的居民、走访、事件"
    ),
    RoleSpec("党务", (PARTY,), SCOPE_ALL, "党建工作"),
)


def role_name(text: str) -> str:
    """The role a user typed: an alias (管理员) resolved to the full name."""
    text = text.strip()
    return ROLE_ALIASES.get(text, text)


def separation_problem(permissions: set[str] | frozenset[str]) -> str | None:
    """Why a permission set breaks the three-power separation, or None."""
    if set(permissions) >= SEPARATED_POWERS:
        names = "、".join(permission_label(p) for p in sorted(SEPARATED_POWERS))
        return f"三权分立：同一角色不能同时拥有{names}（等保 2.0，GB/T 22239-2019）"
    return None


# ---------------------------------------------------------------- passwords

MIN_PASSWORD_LENGTH = 8
PASSWORD_RULE = f"密码至少 {MIN_PASSWORD_LENGTH} 位，并包含大写字母、小写字母、数字、符号中的至少三类"


def password_kinds(password: str) -> int:
    """How many of the four kinds (upper, lower, digit, symbol) a password uses."""
    upper = any(c.isupper() for c in password)
    lower = any(c.islower() for c in password)
    digit = any(c.isdigit() for c in password)
    symbol = any(not c.isalnum() and not c.isspace() for c in password)
    return sum((upper, lower, digit, symbol))


def password_problem(password: str, login: str = "") -> str | None:
    """What is wrong with a new password, or None when it meets the policy."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码太短：{PASSWORD_RULE}"
    if password_kinds(password) < 3:
        return f"密码太简单：{PASSWORD_RULE}"
    if login and login.lower() in password.lower():
        return "密码不能包含登录名"
    return None


def login_problem(login: str) -> str | None:
    login = login.strip()
    if not login:
        return "请填写登录名"
    if len(login) > 40:
        return "登录名最多 40 个字符"
    if any(c.isspace() for c in login):
        return "登录名不能包含空格"
    return None


# ---------------------------------------------------------------- what a write needs

#: the permission a change to a table needs (checked when the change is audited, inside its transaction)
_WRITE_BY_ENTITY: dict[str, str] = {
    **dict.fromkeys(("resident", "household", "resident_tag", "resident_event"), RESIDENTS_WRITE),
    **dict.fromkeys(
        ("mediation_case", "case_party", "agreement", "mediation_committee", "mediator", "mediation_session"),
        MEDIATION_WRITE,
    ),
    **dict.fromkeys(
        ("court_referral", "judicial_confirmation", "judicial_material", "holiday_calendar"), JUDICIAL
    ),
    **dict.fromkeys(
        (
            "party_member",
            "party_org",
            "party_post",
            "party_meeting",
            "party_check_in",
            "dues",
            "recruitment",
            "recruitment_step",
        ),
        PARTY,
    ),
    **dict.fromkeys(("grid_event", "event_attachment"), EVENTS),
    "visit": VISITS,
    **dict.fromkeys(("report", "report_narrative"), REPORTS),
    **dict.fromkeys(("street", "community", "grid", "grid_staff"), GRIDS),
    **dict.fromkeys(("account", "role"), ACCOUNTS),
}

#: the settings (and dictionaries, by kind) an area owns — edited on its own page, part of its daily work — and the permission that
#: changes them. Every other setting (event time limits and departments, who may whistle, attachment limits,
#: visit frequencies, care tiers, ranking weights, the login policy) shapes the whole street's work and
#: is edited in 设置: it needs 系统与安全设置. 系统与安全设置 may change every setting.
SETTING_OWNERS: dict[str, str] = {
    "mediation.rules": MEDIATION_WRITE,
    "judicial.courts": JUDICIAL,
    "party.dues_tracking_start": PARTY,
    "party.meeting_frequency": PARTY,
    "import.residents.mappings": RESIDENTS_WRITE,  # the importer's remembered columns
    "DISPUTE_TYPE": MEDIATION_WRITE,  # the 纠纷类型 dictionary (the event dictionaries are 设置's)
}
#: what a person does to their own account, or only reads and prints (checked where it is read)
_NOT_WRITES = frozenset(
    {"login", "login_failed", "lock", "unlock", "unlock_screen", "change_password", "print", "export"}
)


def write_permission(action: str, entity: str, entity_id: object = None) -> str | None:
    """The permission an audited change needs; None when the entry point checks it (or nothing does).
    A setting (``entity_id`` its key) needs its area's permission or 系统与安全设置 (see SETTING_OWNERS)."""
    if entity in ("setting", "dictionary_entry"):
        return SETTING_OWNERS.get(str(entity_id), SETTINGS)
    if action == "reveal" and entity == "resident":
        return RESIDENTS_UNMASK
    if action in _NOT_WRITES or action == "reveal":
        return None
    return _WRITE_BY_ENTITY.get(entity)
