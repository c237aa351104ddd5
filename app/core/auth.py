"""API keys: random secrets shown once, stored only as salted hashes, mapped to a principal."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from app.core.errors import InputError, Unauthorized
from app.core.types import Principal

ROLES = ("rm", "admin", "service")
_KEY = re.compile(r"^sme_([0-9a-f]{12})_([A-Za-z0-9_-]{32,64})$")
_KEY_ID = re.compile(r"^\s*sme_([0-9a-f]{12})_")
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class KeyRecord:
    id: str
    tenant: str
    role: str
    salt: str
    digest: str
    created_at: str
    revoked: bool = False


def validate_tenant(tenant: str) -> str:
    if not _TENANT.match(tenant):
        raise InputError(f"invalid tenant {tenant!r}: letters, digits, '.', '_', '-' (max 64)")
    return tenant


def _digest(secret: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), bytes.fromhex(salt), 100_000).hex()


def new_key(tenant: str, role: str, created_at: str) -> tuple[str, KeyRecord]:
    """The plaintext key (to print once) and the record to store."""
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}")
    validate_tenant(tenant)
    key_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_hex(16)
    return f"sme_{key_id}_{secret}", KeyRecord(key_id, tenant, role, salt, _digest(secret, salt), created_at)


def key_id_prefix(key: str) -> str | None:
    """The public id of a presented key, valid or not (never any of its secret); None when the key
    does not even start like one."""
    match = _KEY_ID.match(key)
    return match.group(1) if match else None


def authenticate(key: str, records: dict[str, KeyRecord]) -> Principal:
    match = _KEY.match(key.strip())
    if not match:
        raise Unauthorized("malformed API key")
    record = records.get(match.group(1))
    if record is None or record.revoked or not hmac.compare_digest(record.digest, _digest(match.group(2), record.salt)):
        raise Unauthorized("invalid or revoked API key")
    return Principal(tenant=record.tenant, role=record.role)
