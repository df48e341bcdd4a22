"""The ZGW JSON Web Token: HS256 over a client id, signed with the shared secret.

The ZGW APIs (VNG "Autorisaties", as Open Zaak implements it) authenticate a
client with a JWT in ``Authorization: Bearer``: header ``{"alg": "HS256",
"typ": "JWT"}``, claims ``iss`` and ``client_id`` (the client id), ``iat``
(seconds since the epoch) and ``user_id`` / ``user_representation`` for the
audit trail. HS256 is HMAC-SHA256 (RFC 7518 section 3.2) over
``base64url(header) + "." + base64url(claims)`` (RFC 7519).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

__all__ = ["decode_token", "zgw_token"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")


def zgw_token(
    client_id: str,
    secret: str,
    *,
    issued_at: int,
    user_id: str = "klachtflow",
    user_representation: str = "klachtflow",
) -> str:
    """A signed ZGW JWT for ``client_id``, issued at ``issued_at`` (epoch seconds)."""
    header = _b64(_json({"alg": "HS256", "typ": "JWT"}))
    claims = _b64(
        _json(
            {
                "iss": client_id,
                "client_id": client_id,
                "iat": issued_at,
                "user_id": user_id,
                "user_representation": user_representation,
            }
        )
    )
    signing_input = f"{header}.{claims}".encode("ascii")
    signature = hmac.new(secret.encode("utf-8"), signing_input, hashlib.sha256)
    return f"{header}.{claims}.{_b64(signature.digest())}"


def decode_token(token: str, secret: str) -> dict[str, Any] | None:
    """The claims of ``token`` when its HS256 signature matches ``secret``, else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header_b64, claims_b64, signature_b64 = parts
    try:
        header = json.loads(_unb64(header_b64))
        claims = json.loads(_unb64(claims_b64))
        signature = _unb64(signature_b64)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        return None
    expected = hmac.new(
        secret.encode("utf-8"),
        f"{header_b64}.{claims_b64}".encode("ascii"),
        hashlib.sha256,
    ).digest()
    if not hmac.compare_digest(expected, signature) or not isinstance(claims, dict):
        return None
    return claims
