"""One small HTTP client for the ZGW APIs: JWT, JSON, lists, and errors that say what.

Built on httpx (the ``zgw`` extra). Every failure becomes a klachtflow error:
no answer, a time-out or HTTP 5xx is :class:`~klachtflow.exceptions.ZgwUnreachable`
(worth a retry); HTTP 4xx is :class:`~klachtflow.exceptions.ZgwRequestRefused`
with the ``invalidParams`` of the ZGW error body (a retry will not help).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from klachtflow.exceptions import MissingDependency, ZgwRequestRefused, ZgwUnreachable
from klachtflow.rules.clock import Clock, SystemClock
from klachtflow.zgw._jwt import zgw_token

try:
    import httpx
except ModuleNotFoundError as exc:  # pragma: no cover - the extra is installed in tests
    raise MissingDependency(extra="zgw", package="httpx") from exc

__all__ = ["Credentials", "ZgwClient"]

#: The Zaken API refuses writes of geo-capable resources without these headers.
CRS_HEADERS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
#: At most this many pages of a list are read (a guard against loops).
MAX_PAGES = 100


@attrs.frozen
class Credentials:
    """A ZGW client id and its shared secret (from the API's autorisaties)."""

    client_id: str
    secret: str = attrs.field(repr=False)


class ZgwClient:
    """Requests to one ZGW API root, authenticated with a fresh JWT each time."""

    def __init__(
        self,
        root: str,
        *,
        credentials: Credentials,
        clock: Clock | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.root = root.rstrip("/") + "/"
        self.credentials = credentials
        self.clock = clock or SystemClock()
        self._http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> ZgwClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        """An absolute URL: ``path`` under the root, or ``path`` itself if absolute."""
        if path.startswith(("http://", "https://")):
            return path
        return self.root + path.lstrip("/")

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        token = zgw_token(
            self.credentials.client_id,
            self.credentials.secret,
            issued_at=int(self.clock.now().timestamp()),
        )
        return {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            **CRS_HEADERS,
            **(extra or {}),
        }

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """Send one request; the decoded JSON answer (or None for an empty one)."""
        url = self.url(path)
        extra = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        try:
            response = self._http.request(
                method, url, json=body, params=params, headers=self._headers(extra)
            )
        except httpx.TimeoutException as error:
            raise ZgwUnreachable(url=url, reason="time-out") from error
        except httpx.TransportError as error:
            raise ZgwUnreachable(
                url=url, reason=f"geen verbinding ({type(error).__name__})"
            ) from error
        if response.status_code >= 500:
            raise ZgwUnreachable(url=url, reason=f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise _refused(url, response)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as error:
            raise ZgwUnreachable(url=url, reason="geen JSON in het antwoord") from error

    def get(self, path: str, **params: str) -> Any:
        """GET ``path`` with query ``params``."""
        return self.request("GET", path, params=params or None)

    def post(self, path: str, body: Any, *, idempotency_key: str | None = None) -> Any:
        """POST ``body`` to ``path``."""
        return self.request("POST", path, body=body, idempotency_key=idempotency_key)

    def patch(self, path: str, body: Any, *, idempotency_key: str | None = None) -> Any:
        """PATCH ``path`` with ``body``."""
        return self.request("PATCH", path, body=body, idempotency_key=idempotency_key)

    def items(self, path: str, **params: str) -> Iterator[dict[str, Any]]:
        """Every item of a list, plain or paginated (``results`` and ``next``)."""
        page: Any = self.get(path, **params)
        for _ in range(MAX_PAGES):
            if isinstance(page, list):
                yield from page
                return
            if not isinstance(page, dict):
                return
            yield from page.get("results") or []
            following = page.get("next")
            if not following:
                return
            page = self.request("GET", following)


def _refused(url: str, response: httpx.Response) -> ZgwRequestRefused:
    detail = ""
    problems: list[str] = []
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        detail = str(data.get("detail") or data.get("title") or "")
        for param in data.get("invalidParams") or []:
            if isinstance(param, dict):
                problems.append(
                    f"{param.get('name')}: {param.get('reason')} ({param.get('code')})"
                )
    return ZgwRequestRefused(
        url=url, status=response.status_code, errors=problems, detail=detail
    )
