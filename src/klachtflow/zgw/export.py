"""A checked procedure as the request bodies of a ZGW Catalogi API zaaktype.

:func:`export_catalogus` maps a :class:`~klachtflow.Procedure` to the bodies
the Catalogi API (1.3.1 or 1.4.0) accepts for a ZaakType and its StatusTypen,
RolTypen, ResultaatTypen and Eigenschappen. URLs that only a server knows
(the zaaktype's own URL, the Selectielijst and Referentielijsten rows) are
URN placeholders (:data:`PLACEHOLDER_PREFIX`) that
:func:`klachtflow.zgw.publish.publish` replaces. Everything Open Zaak would
refuse is refused here first, as one list of Dutch issues with their
file:line:column (:class:`~klachtflow.exceptions.ZgwExportRefused`).

The mapping table is in ``docs/how-to/zaakgericht-werken.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from klachtflow.definition import Procedure
from klachtflow.definition.loader import locator
from klachtflow.definition.model import (
    Duration,
    FieldType,
    Result,
    State,
    Term,
    Unit,
    ZgwSettings,
)
from klachtflow.exceptions import DefinitionIssue, ZgwExportRefused, ZgwInvalidSetting
from klachtflow.zgw import _selectielijst
from klachtflow.zgw._rules import Finding, check_bodies

__all__ = [
    "API_VERSIONS",
    "DEFAULT_EINDSTATUS",
    "DEFAULT_SELECTIELIJST_JAAR",
    "PLACEHOLDER_PREFIX",
    "CatalogusExport",
    "export_catalogus",
    "iso_duration",
    "status_numbers",
]

#: The Catalogi API versions the export speaks.
API_VERSIONS = ("1.3", "1.4")
#: Every URL the server fills in starts with this in the printed export.
PLACEHOLDER_PREFIX = "urn:klachtflow:"
DEFAULT_EINDSTATUS = "Afgehandeld"
DEFAULT_SELECTIELIJST_JAAR = 2020
DEFAULT_DOORLOOPTIJD_TERMIJN = "afhandeling"
#: ZGW ``lengte`` of free text (tekst without a list of values).
FREE_TEXT_LENGTH = "1000"

Path = tuple[str | int, ...]


def zaaktype_placeholder(identificatie: str) -> str:
    """The placeholder of the zaaktype URL, replaced once the server made it."""
    return f"{PLACEHOLDER_PREFIX}zaaktype:{identificatie}"


def procestype_placeholder(jaar: int, nummer: int) -> str:
    """The placeholder of a Selectielijst PROCESTYPE URL."""
    return f"{PLACEHOLDER_PREFIX}selectielijst:{jaar}:procestype:{nummer}"


def resultaat_placeholder(jaar: int, klasse: str) -> str:
    """The placeholder of a Selectielijst RESULTAAT URL."""
    return f"{PLACEHOLDER_PREFIX}selectielijst:{jaar}:resultaat:{klasse}"


def omschrijving_placeholder(naam: str) -> str:
    """The placeholder of a Referentielijsten ResultaattypeOmschrijvingGeneriek URL."""
    return f"{PLACEHOLDER_PREFIX}referentielijsten:resultaattypeomschrijving:{naam}"


def iso_duration(duration: Duration) -> str | None:
    """ISO 8601 in calendar units (weeks as days); None for working days.

    The Catalogi API counts ``doorlooptijd`` "in kalenderdagen"; a term in
    working days has no fixed length in calendar days.
    """
    amount, unit = duration.amount, duration.unit
    return {
        Unit.UREN: f"PT{amount}H",
        Unit.DAGEN: f"P{amount}D",
        Unit.WEKEN: f"P{amount * 7}D",
        Unit.MAANDEN: f"P{amount}M",
        Unit.JAREN: f"P{amount}Y",
    }.get(unit)


@attrs.frozen
class CatalogusExport:
    """The request bodies of one zaaktype, in the order they are created."""

    api_version: str
    zaaktype: Mapping[str, Any]
    statustypen: tuple[Mapping[str, Any], ...]
    roltypen: tuple[Mapping[str, Any], ...]
    resultaattypen: tuple[Mapping[str, Any], ...]
    eigenschappen: tuple[Mapping[str, Any], ...]
    #: klachtflow name → body index, so the mirror finds each type again.
    states: Mapping[str, int]
    roles: Mapping[str, int]
    results: Mapping[str, int]

    def as_dict(self) -> dict[str, Any]:
        """The JSON object ``klachtflow zgw catalogus`` prints."""
        return {
            "zaaktype": dict(self.zaaktype),
            "statustypen": [dict(b) for b in self.statustypen],
            "roltypen": [dict(b) for b in self.roltypen],
            "resultaattypen": [dict(b) for b in self.resultaattypen],
            "eigenschappen": [dict(b) for b in self.eigenschappen],
        }


def _leaves(procedure: Procedure) -> list[State]:
    return [s for s in procedure.states.values() if not s.children]


def status_numbers(procedure: Procedure) -> dict[str, int]:
    """Each leaf status → its ``volgnummer``; every end status → the last one.

    ZGW knows one eindstatus (the highest volgnummer, Catalogi API
    ``isEindstatus``); klachtflow's end statuses all close the zaak there, and
    their difference is carried by the Resultaat.
    """
    numbers: dict[str, int] = {}
    for state in _leaves(procedure):
        if not state.is_final:
            numbers[state.name] = len(numbers) + 1
    last = len(numbers) + 1
    for state in _leaves(procedure):
        if state.is_final:
            numbers[state.name] = last
    return numbers


class _Exporter:
    def __init__(self, procedure: Procedure, catalogus: str, api_version: str) -> None:
        self.procedure = procedure
        self.catalogus = catalogus
        self.api_version = api_version
        self.findings: list[Finding] = []
        self.result_paths: list[Path] = []
        settings = procedure.zgw
        self.settings = settings
        self.identificatie = (
            settings.identificatie if settings else None
        ) or procedure.name
        self.zaaktype_url = zaaktype_placeholder(self.identificatie)
        self.jaar = (
            settings.selectielijst_jaar if settings else None
        ) or DEFAULT_SELECTIELIJST_JAAR

    def refuse(
        self, code: str, path: Path, message: str, hint: str | None = None
    ) -> None:
        self.findings.append(Finding(code, path, message, hint))

    def limit(self, path: Path, value: str, maximum: int, what: str) -> str:
        if len(value) > maximum:
            self.refuse(
                "KF-Z011",
                path,
                f"{what} '{value}' is {len(value)} tekens; ZGW staat er ten hoogste "
                f"{maximum} toe.",
                "Kies een kortere tekst (Catalogi API, maxLength).",
            )
        return value

    # ------------------------------------------------------------------ zaaktype

    def handling_term(self, settings: ZgwSettings) -> tuple[Term | None, Path]:
        terms = self.procedure.terms
        name = settings.doorlooptijd_termijn
        path: Path = ("zgw", "doorlooptijd_termijn")
        if name is None:
            name, path = DEFAULT_DOORLOOPTIJD_TERMIJN, ("zgw",)
        if name not in terms:
            known = ", ".join(terms) or "geen"
            self.refuse(
                "KF-Z012",
                path,
                f"de termijn '{name}' voor de ZGW doorlooptijd bestaat niet "
                f"(termijnen: {known}).",
                "Noem in zgw.doorlooptijd_termijn de termijn waarbinnen de zaak "
                "afgehandeld moet zijn.",
            )
            return None, path
        return terms[name], ("termijnen", name)

    def zaaktype(self) -> dict[str, Any]:
        procedure, settings = self.procedure, self.settings
        if settings is None:
            self.refuse(
                "KF-Z010",
                (),
                "de procedure heeft geen blok 'zgw'; een ZGW-zaaktype vraagt gegevens "
                "die de procedure zelf niet heeft.",
                "Voeg een blok zgw: toe met doel, aanleiding, onderwerp, "
                "handeling_initiator, handeling_behandelaar, verantwoordelijke, "
                "vertrouwelijkheidaanduiding, indicatie_intern_of_extern, "
                "publicatie_indicatie en referentieproces (zie docs/reference/yaml.md).",
            )
            return {}
        term, term_path = self.handling_term(settings)
        doorlooptijd = None
        extension = None
        suspendable = False
        if term is not None:
            doorlooptijd = iso_duration(term.duration)
            if doorlooptijd is None:
                self.refuse(
                    "KF-Z013",
                    (*term_path, "duur"),
                    f"de termijn '{term.name}' ({term.duration}) is in werkdagen; ZGW "
                    "telt de doorlooptijd in kalenderdagen.",
                    "Kies in zgw.doorlooptijd_termijn een termijn in dagen, weken, "
                    "maanden of jaren.",
                )
            extension = term.extension
            suspendable = term.suspendable or any(
                term.name in a.terms.suspend for a in procedure.actions.values()
            )
        body: dict[str, Any] = {
            "identificatie": self.limit(
                ("zgw", "identificatie") if settings.identificatie else ("naam",),
                self.identificatie,
                50,
                "identificatie",
            ),
            "omschrijving": self.limit(
                ("zgw", "omschrijving") if settings.omschrijving else ("titel",),
                settings.omschrijving or procedure.title,
                80,
                "omschrijving",
            ),
            "vertrouwelijkheidaanduiding": settings.vertrouwelijkheidaanduiding,
            "doel": settings.doel,
            "aanleiding": settings.aanleiding,
            "toelichting": procedure.description or "",
            "indicatieInternOfExtern": settings.indicatie_intern_of_extern,
            "handelingInitiator": self.limit(
                ("zgw", "handeling_initiator"),
                settings.handeling_initiator,
                20,
                "handeling_initiator",
            ),
            "onderwerp": self.limit(
                ("zgw", "onderwerp"), settings.onderwerp, 80, "onderwerp"
            ),
            "handelingBehandelaar": self.limit(
                ("zgw", "handeling_behandelaar"),
                settings.handeling_behandelaar,
                20,
                "handeling_behandelaar",
            ),
            "doorlooptijd": doorlooptijd or "P0D",
            "opschortingEnAanhoudingMogelijk": suspendable,
            "verlengingMogelijk": extension is not None,
            "verlengingstermijn": iso_duration(extension.maximum)
            if extension is not None
            else None,
            "trefwoorden": [],
            "publicatieIndicatie": settings.publicatie_indicatie,
            "publicatietekst": "",
            "verantwoordingsrelatie": [],
            "productenOfDiensten": [],
            "selectielijstProcestype": procestype_placeholder(
                self.jaar, _selectielijst.PROCESTYPE
            ),
            "referentieproces": {
                "naam": self.limit(
                    ("zgw", "referentieproces"),
                    settings.referentieproces,
                    80,
                    "referentieproces",
                )
            },
            "verantwoordelijke": self.limit(
                ("zgw", "verantwoordelijke"),
                settings.verantwoordelijke,
                50,
                "verantwoordelijke",
            ),
            "catalogus": self.catalogus,
            "besluittypen": [],
            "gerelateerdeZaaktypen": [],
            "beginGeldigheid": procedure.valid_from.isoformat(),
        }
        if procedure.valid_until is not None:
            body["eindeGeldigheid"] = procedure.valid_until.isoformat()
        body["deelzaaktypen"] = []
        if self.api_version == "1.3":
            body["versiedatum"] = procedure.valid_from.isoformat()
        return body

    # ------------------------------------------------------------------ parts

    def statustypen(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        numbers = status_numbers(self.procedure)
        bodies: list[dict[str, Any]] = []
        for state in _leaves(self.procedure):
            if state.is_final:
                continue
            bodies.append(self.status_body(state, numbers[state.name]))
        finals = [s for s in _leaves(self.procedure) if s.is_final]
        if finals:
            settings = self.settings
            omschrijving = (
                settings.eindstatus if settings else None
            ) or DEFAULT_EINDSTATUS
            bodies.append(
                {
                    "omschrijving": self.limit(
                        ("zgw", "eindstatus"), omschrijving, 80, "eindstatus"
                    ),
                    "omschrijvingGeneriek": "",
                    "statustekst": "",
                    "zaaktype": self.zaaktype_url,
                    "volgnummer": len(bodies) + 1,
                    "informeren": any(s.informs for s in finals),
                    "toelichting": "Eindstatus van: "
                    + ", ".join(s.title for s in finals),
                }
            )
        return bodies, {name: n - 1 for name, n in numbers.items()}

    def status_body(self, state: State, number: int) -> dict[str, Any]:
        path: Path = ("statussen", *_state_path(state))
        body: dict[str, Any] = {
            "omschrijving": self.limit(
                (*path, "titel"), state.title, 80, "De titel van een status"
            ),
            "omschrijvingGeneriek": "",
            "statustekst": self.limit(
                (*path, "statustekst"),
                state.status_text or "",
                1000,
                "De statustekst",
            ),
            "zaaktype": self.zaaktype_url,
            "volgnummer": number,
            "informeren": state.informs,
        }
        if state.description:
            body["toelichting"] = state.description[:1000]
        return body

    def roltypen(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        bodies: list[dict[str, Any]] = []
        index = {}
        for role in self.procedure.roles.values():
            index[role.name] = len(bodies)
            bodies.append(
                {
                    "zaaktype": self.zaaktype_url,
                    "omschrijving": self.limit(
                        ("rollen", role.name, "titel"),
                        role.title,
                        100,
                        "De titel van een rol",
                    ),
                    "omschrijvingGeneriek": role.generic,
                }
            )
        return bodies, index

    def resultaattypen(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        bodies: list[dict[str, Any]] = []
        index = {}
        for result in self.procedure.results.values():
            body = self.result_body(result)
            if body is not None:
                index[result.name] = len(bodies)
                bodies.append(body)
                self.result_paths.append(("resultaten", result.name))
        return bodies, index

    def result_body(self, result: Result) -> dict[str, Any]:
        path: Path = ("resultaten", result.name)
        body: dict[str, Any] = {
            "zaaktype": self.zaaktype_url,
            "omschrijving": self.limit(
                (*path, "titel"), result.title, 30, "De titel van een resultaat"
            ),
            "toelichting": result.description or "",
            "archiefnominatie": result.archive.value,
            "besluittypen": [],
        }
        klasse = result.selection_class
        if klasse is None:
            body["resultaattypeomschrijving"] = None
            body["selectielijstklasse"] = None
            return body
        row = _selectielijst.ROWS.get(klasse)
        if row is None:
            known = ", ".join(_selectielijst.ROWS)
            procestype = klasse.split(".")[0]
            if procestype.isdigit() and int(procestype) != _selectielijst.PROCESTYPE:
                self.refuse(
                    "KF-Z025",
                    (*path, "selectielijstklasse"),
                    f"selectielijstklasse '{klasse}' hoort bij procestype {procestype}, "
                    f"het zaaktype bij procestype {_selectielijst.PROCESTYPE} "
                    "(Geschillen behandelen); Open Zaak weigert dat (procestype-mismatch).",
                    f"Kies een klasse van procestype 13: {known}.",
                )
            else:
                self.refuse(
                    "KF-Z024",
                    (*path, "selectielijstklasse"),
                    f"selectielijstklasse '{klasse}' staat niet in de Selectielijst "
                    f"{self.jaar} onder procestype 13.",
                    f"Kies uit: {known}.",
                )
        retention = iso_duration(result.retention) if result.retention else None
        body.update(
            resultaattypeomschrijving=omschrijving_placeholder(
                row.naam if row else "Afgehandeld"
            ),
            selectielijstklasse=resultaat_placeholder(self.jaar, klasse),
            archiefactietermijn=retention or (row.bewaartermijn if row else None),
            brondatumArchiefprocedure=_brondatum(),
        )
        return body

    def eigenschappen(self) -> list[dict[str, Any]]:
        fields = self.procedure.fields
        settings = self.settings
        listed = settings.eigenschappen if settings else None
        if listed is None:
            names = [f.name for f in fields.values() if f.choices_from is not None]
        else:
            names = list(listed)
        bodies = []
        for i, name in enumerate(names):
            path: Path = ("zgw", "eigenschappen", i)
            field = fields.get(name)
            if field is None:
                self.refuse(
                    "KF-Z014",
                    path,
                    f"'{name}' is geen gegeven van de procedure.",
                    "Noem in zgw.eigenschappen alleen namen uit gegevens.",
                )
                continue
            if field.personal or field.is_confidential:
                self.refuse(
                    "KF-Z015",
                    path,
                    f"het gegeven '{name}' bevat persoonsgegevens of is vertrouwelijk; "
                    "een ZGW eigenschap is voor iedereen met leesrechten op de zaak.",
                    "Laat dit gegeven weg uit zgw.eigenschappen.",
                )
                continue
            choices: Sequence[str] = field.choices or (
                self.procedure.registration.values(field.choices_from)
                if field.choices_from
                else ()
            )
            formaat, lengte, values = _specification(field.type, tuple(choices))
            specificatie: dict[str, Any] = {
                "formaat": formaat,
                "lengte": lengte,
                "kardinaliteit": "1",
            }
            if values:
                specificatie["waardenverzameling"] = list(values)
            bodies.append(
                {
                    "naam": self.limit(
                        ("gegevens", name), name, 20, "De naam van een eigenschap"
                    ),
                    "definitie": self.limit(
                        ("gegevens", name, "titel"),
                        field.title,
                        255,
                        "De titel van een eigenschap",
                    ),
                    "specificatie": specificatie,
                    "toelichting": (field.description or "")[:1000],
                    "zaaktype": self.zaaktype_url,
                }
            )
        return bodies


def _state_path(state: State) -> Iterator[str]:
    parts = state.path.split(".")
    for i, part in enumerate(parts):
        if i:
            yield "statussen"
        yield part


def _brondatum() -> dict[str, Any]:
    """Open Zaak's derivation: procestermijn ``nihil`` forces ``afgehandeld``.

    Every other subfield must then be empty (AFLEIDINGSWIJZE_VALIDATION_RULES).
    """
    return {
        "afleidingswijze": "afgehandeld",
        "datumkenmerk": "",
        "einddatumBekend": False,
        "objecttype": "",
        "registratie": "",
        "procestermijn": None,
    }


def _specification(
    kind: FieldType, choices: tuple[str, ...]
) -> tuple[str, str, tuple[str, ...]]:
    """ZGW (formaat, lengte, waardenverzameling) of a klachtflow data type."""
    if kind is FieldType.JA_NEE:
        return "tekst", "3", ("ja", "nee")
    if kind is FieldType.KEUZE:
        return "tekst", str(max((len(c) for c in choices), default=1)), choices
    if kind is FieldType.DATUM:
        return "datum", "8", ()
    if kind is FieldType.DATUM_TIJD:
        return "datum_tijd", "14", ()
    if kind is FieldType.GETAL:
        return "getal", "18", ()
    return "tekst", FREE_TEXT_LENGTH, ()


def export_catalogus(
    procedure: Procedure, *, catalogus: str, api_version: str = "1.3"
) -> CatalogusExport:
    """The Catalogi API request bodies for ``procedure`` as a zaaktype in ``catalogus``.

    Raises :class:`~klachtflow.exceptions.ZgwExportRefused` with every
    refusal Open Zaak would make, each positioned in the procedure file.
    """
    if api_version not in API_VERSIONS:
        raise ZgwInvalidSetting(
            setting="api_version", value=api_version, expected=" of ".join(API_VERSIONS)
        )
    exporter = _Exporter(procedure, catalogus, api_version)
    zaaktype = exporter.zaaktype()
    statustypen, states = exporter.statustypen()
    roltypen, roles = exporter.roltypen()
    resultaattypen, results = exporter.resultaattypen()
    eigenschappen = exporter.eigenschappen()
    findings = list(exporter.findings)
    findings += check_bodies(
        zaaktype=zaaktype,
        statustypen=statustypen,
        roltypen=roltypen,
        resultaattypen=resultaattypen,
        result_paths=exporter.result_paths,
        term_path=("termijnen",),
    )
    if findings:
        raise ZgwExportRefused(_issues(procedure, findings))
    return CatalogusExport(
        api_version=api_version,
        zaaktype=zaaktype,
        statustypen=tuple(statustypen),
        roltypen=tuple(roltypen),
        resultaattypen=tuple(resultaattypen),
        eigenschappen=tuple(eigenschappen),
        states=states,
        roles=roles,
        results=results,
    )


def _issues(procedure: Procedure, findings: Sequence[Finding]) -> list[DefinitionIssue]:
    locate: Callable[[Path], tuple[int, int]] = locator(procedure)
    issues = []
    for finding in findings:
        line, column = locate(finding.path)
        issues.append(
            DefinitionIssue(
                code=finding.code,
                message=finding.message,
                source=procedure.source,
                line=line,
                column=column,
                path=".".join(str(p) for p in finding.path),
                hint=finding.hint,
            )
        )
    return issues
