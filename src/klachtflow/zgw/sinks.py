"""The two outbox sinks: a Zaken API (the zaak, its statuses, roles, result) and CloudEvents.

:class:`ZakenSink` mirrors each case to a Zaken API as a Zaak of the zaaktype
:func:`klachtflow.zgw.publish.publish` created: the Zaak on start (with
``bronorganisatie`` and ``verantwoordelijkeOrganisatie`` set to the RSIN the
host configures), a Status for every change of status, a Rol per party and
per handling role (at most one initiator and one zaakcoordinator, as Open Zaak
enforces), the Resultaat before the eindstatus, and ``verlenging`` /
``opschorting`` when the handling term is extended or suspended. It looks
every object up before it creates it, so a repeated delivery creates nothing.

:class:`CloudEventsSink` posts one CloudEvent per outbox row in the NL GOV
profile: ``source`` an ``urn:nld:oin:<OIN>:systeem:klachtflow`` URN, a
reverse-DNS ``type`` in the plural domain ``nl.overheid.zaken``, ``time`` the
moment klachtflow stored the event (its log time), and no personal data in
context attributes or data. The same row always gives the same ``id``.

Personal data (person ids as ``afwijkendeNaamBetrokkene``) leaves only with
``personal_data=True``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from klachtflow.definition import Procedure
from klachtflow.definition.model import RoleKind
from klachtflow.engine import Case, Event
from klachtflow.exceptions import ZgwInvalidSetting, ZgwRequestRefused
from klachtflow.rules.identifiers import is_oin, is_rsin
from klachtflow.zgw._http import ZgwClient
from klachtflow.zgw.export import export_catalogus, iso_duration, status_numbers
from klachtflow.zgw.outbox import Delivery

__all__ = ["CloudEventsSink", "ZakenSink", "cloud_event"]

#: Roles a zaak has at most once (Open Zaak RolOccurenceValidator).
SINGLE = ("initiator", "zaakcoordinator")


def _at(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


class _Types:
    """The URLs of one procedure's zaaktype and its parts, read from the Catalogi API."""

    def __init__(
        self, catalogi: ZgwClient, procedure: Procedure, catalogus: str
    ) -> None:
        exported = export_catalogus(procedure, catalogus=catalogus)
        identificatie = str(exported.zaaktype["identificatie"])
        begin = exported.zaaktype["beginGeldigheid"]
        zaaktype = next(
            (
                z
                for z in catalogi.items(
                    "zaaktypen",
                    catalogus=catalogus,
                    identificatie=identificatie,
                    status="alles",
                )
                if z.get("beginGeldigheid") == begin
            ),
            None,
        )
        if zaaktype is None:
            raise ZgwRequestRefused(
                url=catalogi.url("zaaktypen"),
                status=404,
                errors=[f"zaaktype {identificatie} staat niet in de catalogus"],
                detail="publiceer het eerst met 'klachtflow zgw publiceer'",
            )
        self.zaaktype = str(zaaktype["url"])

        def by(kind: str, key: str) -> dict[str, str]:
            return {
                str(item.get(key)): str(item["url"])
                for item in catalogi.items(kind, zaaktype=self.zaaktype, status="alles")
            }

        numbers = by("statustypen", "volgnummer")
        self.statustypen = {
            state: numbers[str(n)]
            for state, n in status_numbers(procedure).items()
            if str(n) in numbers
        }
        roles = by("roltypen", "omschrijving")
        self.roltypen = {
            name: roles[role.title]
            for name, role in procedure.roles.items()
            if role.title in roles
        }
        results = by("resultaattypen", "omschrijving")
        self.resultaattypen = {
            name: results[result.title]
            for name, result in procedure.results.items()
            if result.title in results
        }


class ZakenSink:
    """Mirror cases to a Zaken API; see the module docstring."""

    name = "zaken"

    def __init__(
        self,
        *,
        zaken: ZgwClient,
        catalogi: ZgwClient,
        catalogus: str,
        bronorganisatie: str,
        personal_data: bool = False,
    ) -> None:
        if not is_rsin(bronorganisatie):
            raise ZgwInvalidSetting(
                setting="bronorganisatie (RSIN)",
                value=bronorganisatie,
                expected="negen cijfers die de elfproef doorstaan",
            )
        self.zaken = zaken
        self.catalogi = catalogi
        self.catalogus = catalogus
        self.bronorganisatie = bronorganisatie
        self.personal_data = personal_data
        self._types: dict[str, _Types] = {}

    def close(self) -> None:
        """Close both clients."""
        self.zaken.close()
        self.catalogi.close()

    def _types_for(self, procedure: Procedure) -> _Types:
        if procedure.digest not in self._types:
            self._types[procedure.digest] = _Types(
                self.catalogi, procedure, self.catalogus
            )
        return self._types[procedure.digest]

    # ------------------------------------------------------------------ deliver

    def deliver(self, delivery: Delivery) -> None:
        """Bring the Zaak in line with this row's event (idempotently)."""
        case, procedure = delivery.case, delivery.procedure
        types = self._types_for(procedure)
        zaak = self._zaak(delivery, types)
        event = delivery.event
        if event is None:  # an erasure: remove the names this sink sent
            self._erase(zaak)
            return
        if delivery.row.kind == "start":
            self._status(zaak, event, types, delivery.key)
            self._parties(zaak, case, procedure, types, delivery.key)
            self._handler(zaak, event, procedure, types, delivery.key)
            return
        self._handler(zaak, event, procedure, types, delivery.key)
        self._terms(zaak, event, procedure, delivery.key)
        before = (event.from_state or "").rpartition(".")[2]
        after = event.to_state.rpartition(".")[2]
        if before == after:
            return
        if procedure.states[after].is_final:
            self._result(zaak, case, event, types, delivery.key)
        self._status(zaak, event, types, delivery.key)

    def _zaak(self, delivery: Delivery, types: _Types) -> str:
        case = delivery.case
        existing = next(
            self.zaken.items(
                "zaken", identificatie=case.id, bronorganisatie=self.bronorganisatie
            ),
            None,
        )
        if existing is not None:
            return str(existing["url"])
        first = case.history[0]
        settings = delivery.procedure.zgw
        body: dict[str, Any] = {
            "identificatie": case.id,
            "bronorganisatie": self.bronorganisatie,
            "verantwoordelijkeOrganisatie": self.bronorganisatie,
            "zaaktype": types.zaaktype,
            "omschrijving": delivery.procedure.title[:80],
            "registratiedatum": first.legal_date.isoformat(),
            "startdatum": first.legal_date.isoformat(),
        }
        if settings is not None:
            body["vertrouwelijkheidaanduiding"] = settings.vertrouwelijkheidaanduiding
        created = self.zaken.post("zaken", body, idempotency_key=f"{delivery.key}:zaak")
        return str(created["url"])

    def _status(self, zaak: str, event: Event, types: _Types, key: str) -> None:
        state = event.to_state.rpartition(".")[2]
        statustype = types.statustypen.get(state)
        if statustype is None:
            raise ZgwRequestRefused(
                url=self.catalogi.url("statustypen"),
                status=404,
                errors=[f"geen statustype voor status {state}"],
            )
        at = event.at.astimezone(dt.UTC)
        for status in self.zaken.items("statussen", zaak=zaak):
            if (
                status.get("statustype") == statustype
                and _at(status.get("datumStatusGezet")) == at
            ):
                return
        self.zaken.post(
            "statussen",
            {
                "zaak": zaak,
                "statustype": statustype,
                "datumStatusGezet": at.isoformat(),
                "statustoelichting": event.action,
            },
            idempotency_key=f"{key}:status",
        )

    def _rollen(self, zaak: str) -> list[dict[str, Any]]:
        return list(self.zaken.items("rollen", zaak=zaak))

    def _rol(  # noqa: PLR0917 - the parts of one Rol
        self,
        zaak: str,
        roltype: str,
        generic: str,
        toelichting: str,
        betrokkene_type: str,
        name: str | None,
        key: str,
    ) -> None:
        naam = name if self.personal_data and name else ""
        for rol in self._rollen(zaak):
            if rol.get("roltype") != roltype:
                continue
            if generic in SINGLE or rol.get("afwijkendeNaamBetrokkene", "") == naam:
                return
        body: dict[str, Any] = {
            "zaak": zaak,
            "roltype": roltype,
            "betrokkeneType": betrokkene_type,
            "roltoelichting": toelichting[:1000],
        }
        if naam:
            body["afwijkendeNaamBetrokkene"] = naam[:625]
        self.zaken.post("rollen", body, idempotency_key=f"{key}:rol:{roltype}:{naam}")

    def _parties(
        self, zaak: str, case: Case, procedure: Procedure, types: _Types, key: str
    ) -> None:
        for role_name, persons in case.parties.items():
            role = procedure.roles.get(role_name)
            roltype = types.roltypen.get(role_name)
            if role is None or roltype is None:
                continue
            for person in persons if self.personal_data else persons[:1]:
                self._rol(
                    zaak,
                    roltype,
                    role.generic,
                    role.title,
                    "natuurlijk_persoon",
                    person,
                    key,
                )

    def _handler(
        self, zaak: str, event: Event, procedure: Procedure, types: _Types, key: str
    ) -> None:
        role = procedure.roles.get(event.role or "")
        roltype = types.roltypen.get(event.role or "")
        if role is None or roltype is None or role.kind is not RoleKind.ORGANISATIE:
            return
        self._rol(
            zaak, roltype, role.generic, role.title, "medewerker", event.actor, key
        )

    def _terms(self, zaak: str, event: Event, procedure: Procedure, key: str) -> None:
        settings = procedure.zgw
        handling = (
            settings.doorlooptijd_termijn if settings else None
        ) or "afhandeling"
        change = event.terms.get(handling, "")
        action = procedure.actions.get(event.action)
        reden = (action.title if action else event.action)[:200]
        body: dict[str, Any] | None = None
        term = procedure.terms.get(handling)
        if change.startswith("verlengd") and term is not None and term.extension:
            duur = iso_duration(term.extension.maximum)
            if duur is not None:
                body = {"verlenging": {"reden": reden, "duur": duur}}
        elif change.startswith("opgeschort"):
            body = {"opschorting": {"indicatie": True, "reden": reden}}
        elif change.startswith("hervat"):
            body = {"opschorting": {"indicatie": False, "reden": reden}}
        if body is not None:
            self.zaken.patch(zaak, body, idempotency_key=f"{key}:zaak")

    def _result(
        self, zaak: str, case: Case, event: Event, types: _Types, key: str
    ) -> None:
        result = next(
            (
                e.result
                for e in reversed(case.history)
                if e.seq <= event.seq and e.result
            ),
            None,
        )
        resultaattype = types.resultaattypen.get(result or "")
        if resultaattype is None:
            raise ZgwRequestRefused(
                url=self.zaken.url("resultaten"),
                status=400,
                errors=[
                    f"de zaak gaat naar een eindstatus zonder resultaat ({result or 'geen'})"
                ],
            )
        if any(True for _ in self.zaken.items("resultaten", zaak=zaak)):
            return
        self.zaken.post(
            "resultaten",
            {"zaak": zaak, "resultaattype": resultaattype},
            idempotency_key=f"{key}:resultaat",
        )

    def _erase(self, zaak: str) -> None:
        if not self.personal_data:
            return
        for rol in self._rollen(zaak):
            if rol.get("afwijkendeNaamBetrokkene"):
                self.zaken.request("DELETE", str(rol["url"]))


# --------------------------------------------------------------------------- CloudEvents

#: Event types per outbox kind (reverse DNS, plural domain, past tense).
TYPES = {
    "start": "nl.overheid.zaken.zaak-geopend",
    "status": "nl.overheid.zaken.zaakstatus-gewijzigd",
    "final": "nl.overheid.zaken.zaak-afgesloten",
    "fire": "nl.overheid.zaken.zaak-bijgewerkt",
    "erase": "nl.overheid.zaken.persoonsgegevens-verwijderd",
}
DOMAIN = "nl.overheid.zaken"


def cloud_event(delivery: Delivery, *, source: str) -> dict[str, Any]:
    """The CloudEvent (NL GOV profile, Notificaties 2.0 ``Event``) for one row."""
    case, procedure, event = delivery.case, delivery.procedure, delivery.event
    data: dict[str, Any] = {
        "zaak": case.id,
        "procedure": procedure.name,
        "procedureVersie": procedure.version,
    }
    if event is None:
        kind = "erase"
        time = delivery.row.created_at
    else:
        time = event.at
        before = (event.from_state or "").rpartition(".")[2]
        after = event.to_state.rpartition(".")[2]
        kind = delivery.row.kind
        if kind == "fire" and before != after:
            kind = "final" if procedure.states[after].is_final else "status"
        data.update(
            actie=event.action,
            status=after,
            vorigeStatus=before or None,
            resultaat=event.result,
            datum=event.legal_date.isoformat(),
        )
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{source}/{delivery.key}")),
        "source": source,
        "domain": DOMAIN,
        "type": TYPES[kind],
        "time": time.astimezone(dt.UTC).isoformat(),
        "subject": case.id,
        "datacontenttype": "application/json",
        "data": data,
    }


class CloudEventsSink:
    """POST each row as a CloudEvent to a webhook or a Notificaties 2.0 ``/events``."""

    name = "cloudevents"

    def __init__(self, *, client: ZgwClient, oin: str, path: str = "events") -> None:
        if not is_oin(oin):
            raise ZgwInvalidSetting(
                setting="OIN", value=oin, expected="twintig cijfers"
            )
        self.client = client
        self.path = path
        self.source = f"urn:nld:oin:{oin}:systeem:klachtflow"

    def close(self) -> None:
        """Close the client."""
        self.client.close()

    def deliver(self, delivery: Delivery) -> None:
        """Send the event; the same row always has the same id."""
        self.client.post(
            self.path,
            cloud_event(delivery, source=self.source),
            idempotency_key=delivery.key,
        )
