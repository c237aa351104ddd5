"""Request dependencies: the process-wide Deps and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.adapters.keys import KeyStore
from app.api.client_address import client_address
from app.api.ratelimit import FailedAuths, TokenBuckets
from app.core.auth import key_id_prefix
from app.core.errors import Unauthorized
from app.core.types import Principal
from app.wiring import Deps

_bearer = HTTPBearer(auto_error=False, description="API key from `sme keys create`")


def get_deps(request: Request) -> Deps:
    return request.app.state.deps


def get_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing bearer API key (Authorization: Bearer <key>)")
    keys: KeyStore = request.app.state.keys
    principal = _authenticate(request, keys, credentials.credentials)
    key_id = key_id_of(credentials.credentials)
    request.state.principal = principal
    request.state.key_id = key_id
    limiter: TokenBuckets | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is not None:
        limiter.take(key_id)
    return principal


def _authenticate(request: Request, keys: KeyStore, key: str) -> Principal:
    """Check the key. A key verified before costs nothing and passes; a key to hash is refused (429,
    nothing hashed) while its (client address, key id) pair backs off from recent failures. A key
    without an id is malformed: refused at no cost, so it is not counted."""
    known = keys.verified(key)
    if known is not None:
        return known
    guard: FailedAuths | None = getattr(request.app.state, "failed_auths", None)
    key_id = key_id_prefix(key)
    if guard is None or key_id is None:
        return keys.authenticate(key)
    client = client_address(request.scope, getattr(request.app.state, "trusted_proxies", ()))
    guard.check(client, key_id)
    try:
        principal = keys.authenticate(key)
    except Unauthorized:
        guard.failed(client, key_id)
        raise
    guard.succeeded(client, key_id)
    return principal


def key_id_of(key: str) -> str:
    """The public id part of an authenticated key `sme_<id>_<secret>` (never the secret)."""
    return key.strip().split("_")[1]


DepsDep = Annotated[Deps, Depends(get_deps)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
