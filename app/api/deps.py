"""Request dependencies: the process-wide Deps and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.adapters.keys import KeyStore
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
    principal = keys.authenticate(credentials.credentials)
    request.state.principal = principal
    return principal


DepsDep = Annotated[Deps, Depends(get_deps)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
