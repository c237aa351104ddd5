"""Request dependencies: the process-wide Deps and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.adapters.keys import KeyStore
from app.api.ratelimit import FailedAuths, TokenBuckets
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
    """Check the key. A key verified before costs nothing and passes whatever its address did; a key
    to hash is refused (429, nothing hashed) when its client address has failed too often lately."""
    known = keys.verified(key)
    if known is not None:
        return known
    guard: FailedAuths | None = getattr(request.app.state, "failed_auths", None)
    client = request.client.host if request.client else "unknown"
    if guard is not None:
        guard.check(client)
    try:
        return keys.authenticate(key)
    except Unauthorized:
        if guard is not None:
            guard.failed(client)
        raise


def key_id_of(key: str) -> str:
    """The public id part of an authenticated key `sme_<id>_<secret>` (never the secret)."""
    return key.strip().split("_")[1]


DepsDep = Annotated[Deps, Depends(get_deps)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
