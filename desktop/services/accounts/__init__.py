"""Accounts, roles and signing in (issue 13): passwords hashed with scrypt, lockout, the three-power
separation, the audit viewer. ``services.access`` holds the permission check every area calls."""

from desktop.services.accounts.admin import (
    AccountInput,
    AccountRow,
    create_account,
    list_accounts,
    reset_password,
    set_disabled,
    set_role,
)
from desktop.services.accounts.login import (
    LoginResult,
    change_password,
    reload_signed_in,
    sign_in,
    verify_again,
)
from desktop.services.accounts.policy import AccountPolicy, load_policy, save_policy
from desktop.services.accounts.roles import RoleRow, list_roles, save_role_permissions

__all__ = [
    "AccountInput",
    "AccountPolicy",
    "AccountRow",
    "LoginResult",
    "RoleRow",
    "change_password",
    "create_account",
    "list_accounts",
    "list_roles",
    "load_policy",
    "reload_signed_in",
    "reset_password",
    "save_policy",
    "save_role_permissions",
    "set_disabled",
    "set_role",
    "sign_in",
    "verify_again",
]
