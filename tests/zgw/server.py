"""A small ZGW server on 127.0.0.1 for the tests: Catalogi, Selectielijst, Zaken, events.

It implements just enough of each API to accept valid requests and refuse
invalid ones as the standard does: every POST and PATCH body is validated
against the component schema of the spec copy in ``spec/`` (400 with
``invalidParams``), the JWT is checked (403), and a few Open Zaak rules are
enforced (unique resultaattype omschrijving, one initiator and one
zaakcoordinator per zaak, a resultaat before the eindstatus). It can be told
to fail: HTTP 500, a time-out after the work was done, a dropped connection,
a slow answer, or no listener at all (connection refused).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from klachtflow.zgw._jwt import decode_token
from klachtflow.zgw._selectielijst import ROWS

from .oas import CATALOGI_FOR, ZAKEN_FOR, errors

CLIENT_ID = "klachtflow-test"
SECRET = "geheim-voor-de-test"  # noqa: S105 - a test secret
CATALOGI = {
    "zaaktypen": "ZaakTypeCreate",
    "statustypen": "StatusType",
    "roltypen": "RolType",
    "resultaattypen": "ResultaatTypeCreate",
    "eigenschappen": "Eigenschap",
}
ZAKEN = {
    "zaken": "Zaak",
    "statussen": "Status",
    "rollen": "Rol",
    "resultaten": "Resultaat",
}
FILTERS = {
    "zaaktypen": ("catalogus", "identificatie"),
    "statustypen": ("zaaktype",),
    "roltypen": ("zaaktype",),
    "resultaattypen": ("zaaktype",),
    "eigenschappen": ("zaaktype",),
    "zaken": ("identificatie", "bronorganisatie"),
    "statussen": ("zaak",),
    "rollen": ("zaak",),
    "resultaten": ("zaak",),
}


def _uuid(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


class ZgwServer:
    """The server, its stored objects and its fault switches."""

    def __init__(self, *, api_version: str = "1.3") -> None:
        self.api_version = api_version
        self.objects: dict[str, dict[str, dict[str, Any]]] = {
            k: {} for k in [*CATALOGI, *ZAKEN, "events"]
        }
        self.requests: list[tuple[str, str, int]] = []
        self.faults: deque[str] = deque()
        self.hang = 3.0
        #: Seconds a 'slow' answer takes, and a delay before every answer.
        self.slow = 0.1
        self.delay = 0.0
        #: CloudEvents received again with a known source + id (deduplicated).
        self.redelivered = 0
        self.lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self.port = 0
        self.start()

    # ------------------------------------------------------------------ life

    def start(self) -> None:
        """Listen (again) on the same port."""
        handler = type("Handler", (_Handler,), {"zgw": self})
        self._httpd = _QuietServer(("127.0.0.1", self.port), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop listening: clients get 'connection refused'."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @contextmanager
    def down(self) -> Iterator[None]:
        """No listener inside the block."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    @property
    def root(self) -> str:
        """``http://127.0.0.1:<port>/``."""
        return f"http://127.0.0.1:{self.port}/"

    def api(self, name: str) -> str:
        """The root of one API: catalogi, zaken, selectielijst or notificaties."""
        version = "v2" if name == "notificaties" else "v1"
        return f"{self.root}{name}/api/{version}/"

    def fail_next(self, *modes: str) -> None:
        """Fail the next requests with these modes: 500, timeout, drop or slow."""
        self.faults.extend(modes)

    # ------------------------------------------------------------------ data

    def items(self, kind: str) -> list[dict[str, Any]]:
        """Every stored object of ``kind``."""
        return list(self.objects[kind].values())

    def duplicates(self) -> dict[str, int]:
        """Objects stored twice for one fact, per kind (should be all zero)."""
        keys = {
            "zaken": ("bronorganisatie", "identificatie"),
            "statussen": ("zaak", "statustype", "datumStatusGezet"),
            "rollen": ("zaak", "roltype", "roltoelichting"),
            "resultaten": ("zaak",),
            "events": ("source", "id"),
            "zaaktypen": ("catalogus", "identificatie", "beginGeldigheid"),
            "statustypen": ("zaaktype", "volgnummer"),
            "roltypen": ("zaaktype", "omschrijving"),
            "resultaattypen": ("zaaktype", "omschrijving"),
            "eigenschappen": ("zaaktype", "naam"),
        }
        out = {}
        for kind, fields in keys.items():
            seen = [tuple(str(o.get(f)) for f in fields) for o in self.items(kind)]
            out[kind] = len(seen) - len(set(seen))
        return out

    def selectielijst(self, path: str, query: dict[str, str]) -> Any:
        base = self.api("selectielijst")
        procestype = f"{base}procestypen/{_uuid('procestype-13')}"
        if path == "procestypen":
            return [
                {
                    "url": f"{base}procestypen/{_uuid('procestype-12')}",
                    "nummer": 12,
                    "jaar": 2020,
                },
                {"url": procestype, "nummer": 13, "jaar": 2020},
            ]
        if path == "resultaten":
            rows = [
                {
                    "url": f"{base}resultaten/{_uuid(row.klasse)}",
                    "procesType": procestype,
                    "volledigNummer": row.klasse,
                    "naam": row.naam,
                    "waardering": row.waardering,
                    "bewaartermijn": row.bewaartermijn,
                    "procestermijn": row.procestermijn,
                }
                for row in ROWS.values()
                if query.get("procesType") == procestype
            ]
            # Paginated, as the Selectielijst API does: two pages.
            page = int(query.get("page", "1"))
            half = len(rows) // 2
            return {
                "count": len(rows),
                "next": f"{base}resultaten?procesType={procestype}&page=2"
                if page == 1
                else None,
                "previous": None,
                "results": rows[:half] if page == 1 else rows[half:],
            }
        if path == "resultaattypeomschrijvingen":
            return [
                {
                    "url": f"{base}resultaattypeomschrijvingen/{_uuid(n)}",
                    "omschrijving": n,
                }
                for n in ("Afgebroken", "Afgehandeld", "Afgewezen", "Toegekend")
            ]
        return None

    # ------------------------------------------------------------------ rules

    def refuse(self, kind: str, body: dict[str, Any]) -> list[dict[str, str]]:
        """The invalidParams for a new ``kind`` object (empty when accepted)."""
        stem = (
            CATALOGI_FOR[self.api_version]
            if kind in CATALOGI
            else ZAKEN_FOR[self.api_version]
        )
        schema = {**CATALOGI, **ZAKEN}[kind]
        problems = [
            {
                "name": e.split(":", 1)[0],
                "code": "invalid",
                "reason": e.split(":", 1)[1].strip(),
            }
            for e in errors(stem, schema, body)
        ]
        if problems:
            return problems
        if kind == "resultaattypen" and any(
            o["zaaktype"] == body["zaaktype"]
            and o["omschrijving"] == body["omschrijving"]
            for o in self.items(kind)
        ):
            return [{"name": "omschrijving", "code": "unique", "reason": "bestaat al"}]
        if kind in (
            "statustypen",
            "roltypen",
            "resultaattypen",
            "eigenschappen",
        ) and not any(o["url"] == body["zaaktype"] for o in self.items("zaaktypen")):
            return [
                {"name": "zaaktype", "code": "does_not_exist", "reason": "onbekend"}
            ]
        if kind == "rollen":
            roltype = self._by_url("roltypen", body["roltype"])
            if roltype is None:
                return [
                    {"name": "roltype", "code": "does_not_exist", "reason": "onbekend"}
                ]
            generic = roltype["omschrijvingGeneriek"]
            if generic in ("initiator", "zaakcoordinator") and any(
                r["zaak"] == body["zaak"]
                and (self._by_url("roltypen", r["roltype"]) or {}).get(
                    "omschrijvingGeneriek"
                )
                == generic
                for r in self.items("rollen")
            ):
                return [
                    {"name": "roltype", "code": "max-occurences", "reason": generic}
                ]
        if kind == "statussen":
            statustype = self._by_url("statustypen", body["statustype"])
            if statustype is None:
                return [
                    {
                        "name": "statustype",
                        "code": "does_not_exist",
                        "reason": "onbekend",
                    }
                ]
            numbers = [
                s["volgnummer"]
                for s in self.items("statustypen")
                if s["zaaktype"] == statustype["zaaktype"]
            ]
            if statustype["volgnummer"] == max(numbers) and not any(
                r["zaak"] == body["zaak"] for r in self.items("resultaten")
            ):
                return [
                    {
                        "name": "nonFieldErrors",
                        "code": "resultaat-does-not-exist",
                        "reason": "eerst een resultaat",
                    }
                ]
        if kind == "zaken" and self._by_url("zaaktypen", body["zaaktype"]) is None:
            return [
                {"name": "zaaktype", "code": "does_not_exist", "reason": "onbekend"}
            ]
        return []

    def _by_url(self, kind: str, url: str) -> dict[str, Any] | None:
        return next((o for o in self.items(kind) if o["url"] == url), None)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (time-out, drop) is expected here, not an error."""


class _Handler(BaseHTTPRequestHandler):
    zgw: ZgwServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read ``requests`` instead."""

    def _send(self, status: int, body: Any = None) -> None:
        data = b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.zgw.requests.append((self.command, self.path, status))

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else None

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        server = self.zgw
        body = self._body()
        fault = server.faults.popleft() if server.faults else None
        if fault == "500":
            self._send(500, {"detail": "storing"})
            return
        if fault == "slow":
            time.sleep(server.slow)
        if server.delay:
            time.sleep(server.delay)
        claims = decode_token(
            (self.headers.get("Authorization") or "").removeprefix("Bearer "), SECRET
        )
        if claims is None or claims.get("client_id") != CLIENT_ID:
            self._send(403, {"detail": "geen geldige JWT"})
            return
        with server.lock:
            status, answer = self._route(body)
        if fault == "timeout":
            time.sleep(server.hang)  # the work is done; the answer comes too late
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            server.requests.append((self.command, self.path, 0))
            return
        self._send(status, answer)

    def _route(self, body: Any) -> tuple[int, Any]:
        server = self.zgw
        stored: dict[str, Any] | None
        problems: list[Any]
        split = urlsplit(self.path)
        parts = [p for p in split.path.split("/") if p]
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        if len(parts) < 4:
            return 404, {"detail": "onbekend pad"}
        api, rest = parts[0], parts[3:]
        if api == "selectielijst":
            found = server.selectielijst(rest[0], query)
            return (404, None) if found is None else (200, found)
        if api == "notificaties" and rest == ["events"] and self.command == "POST":
            problems = errors("notificaties-2.0.0-alpha13", "Event", body)
            if problems:
                return 400, {
                    "invalidParams": [
                        {"name": p, "code": "invalid", "reason": p} for p in problems
                    ]
                }
            key = f"{body['source']} {body['id']}"
            if key in server.objects["events"]:
                server.redelivered += 1  # a CloudEvents receiver deduplicates
            server.objects["events"][key] = body
            return 204, None
        kind = rest[0]
        if kind not in server.objects:
            return 404, {"detail": "onbekende resource"}
        base = server.api(api)
        if len(rest) == 1 and self.command == "GET":
            wanted = {k: v for k, v in query.items() if k in FILTERS.get(kind, ())}
            results = [
                o
                for o in server.items(kind)
                if all(str(o.get(k)) == v for k, v in wanted.items())
            ]
            return 200, {
                "count": len(results),
                "next": None,
                "previous": None,
                "results": results,
            }
        if len(rest) == 1 and self.command == "POST":
            if not isinstance(body, dict):
                return 400, {
                    "invalidParams": [
                        {"name": "<body>", "code": "parse_error", "reason": "geen JSON"}
                    ]
                }
            problems = server.refuse(kind, body)
            if problems:
                return 400, {"title": "Invalid input.", "invalidParams": problems}
            key = str(uuid.uuid4())
            stored = {**body, "url": f"{base}{kind}/{key}", "uuid": key}
            server.objects[kind][key] = stored
            return 201, stored
        if len(rest) == 2 and self.command == "PATCH" and kind == "zaken":
            stored = server.objects[kind].get(rest[1])
            if stored is None:
                return 404, {"detail": "bestaat niet"}
            problems = errors(ZAKEN_FOR[server.api_version], "PatchedZaak", body)
            if problems:
                return 400, {
                    "invalidParams": [
                        {"name": p, "code": "invalid", "reason": p} for p in problems
                    ]
                }
            stored.update(body)
            return 200, stored
        if len(rest) == 2 and self.command == "DELETE" and kind == "rollen":
            return (
                (204, None) if server.objects[kind].pop(rest[1], None) else (404, None)
            )
        if len(rest) == 2 and self.command == "GET":
            stored = server.objects[kind].get(rest[1])
            return (404, None) if stored is None else (200, stored)
        if len(rest) == 3 and rest[2] == "publish" and kind == "zaaktypen":
            stored = server.objects[kind].get(rest[1])
            if stored is None:
                return 404, None
            stored["concept"] = False
            return 200, stored
        return 405, {"detail": "niet ondersteund"}
