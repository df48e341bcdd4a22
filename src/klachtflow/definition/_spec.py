"""The structure of the procedure language, declared once.

This table is the single source for three things: the structural checks of
the loader (unknown keys, missing keys, wrong types, each with a Dutch message
and file:line:column), the published JSON Schema (``klachtflow schema``) and
the generated YAML reference in the docs. Semantic checks (references, the
graph, legal consistency) live in :mod:`klachtflow.definition.checks`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from difflib import get_close_matches
from typing import Any

import attrs

from klachtflow.definition.model import (
    BWB_PATTERN,
    DURATION_PATTERN,
    GENERIC_ROLE_DESCRIPTIONS,
    Duration,
)

__all__ = [
    "INVALID",
    "NAME_PATTERN",
    "SPEC",
    "Key",
    "Obj",
    "json_schema",
    "markdown_reference",
    "validate",
]

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
SLUG_PATTERN = r"^[a-z][a-z0-9_-]*$"
SCHEMA_VERSIONS = ("klachtflow/1",)


class _Invalid:
    """Marker for a value that failed its structural check (already reported)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

Report = Callable[[str, tuple[str | int, ...], str, str | None, bool], None]


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "ja/nee-waarde"
    if isinstance(value, int | float):
        return "getal"
    if isinstance(value, dt.date):
        return "datum"
    if isinstance(value, list):
        return "lijst"
    if isinstance(value, dict):
        return "blok met sleutels"
    if value is None:
        return "lege waarde"
    return "tekst"


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Type:
    """Base of the structural types; ``schema`` renders JSON Schema."""

    description = ""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def wrong(
        self,
        value: Any,
        path: tuple[str | int, ...],
        report: Report,
        expected: str,
        hint: str | None = None,
    ) -> Any:
        report(
            "KF-D008",
            path,
            f"verwacht {expected}, maar dit is een {_type_name(value)} ({_shown(value)}).",
            hint,
            False,
        )
        return INVALID


@attrs.frozen
class Text(Type):
    """Free text, optionally limited to a list of values or a pattern."""

    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    pattern_hint: str | None = None
    allow_int: bool = True

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and self.allow_int:
            value = str(value)
        if not isinstance(value, str):
            hint = (
                "Zet de waarde tussen aanhalingstekens, bijvoorbeeld '1.0'."
                if isinstance(value, int | float | dt.date)
                else None
            )
            return self.wrong(value, path, report, "tekst", hint)
        if self.enum is not None and value not in self.enum:
            close = get_close_matches(value, self.enum, n=1)
            choices = ", ".join(self.enum)
            report(
                "KF-D010",
                path,
                f"'{value}' is geen toegestane waarde; kies uit: {choices}.",
                f"Bedoelde u '{close[0]}'?" if close else None,
                False,
            )
            return INVALID
        if self.pattern is not None and not re.match(self.pattern, value):
            report(
                "KF-D010",
                path,
                f"'{value}' heeft niet de juiste vorm.",
                self.pattern_hint,
                False,
            )
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if self.enum is not None:
            out["enum"] = list(self.enum)
        elif self.allow_int and self.pattern is None:
            out["type"] = ["string", "integer"]
        if self.pattern is not None:
            out["pattern"] = self.pattern
        return out


def name_hint(value: str) -> str | None:
    """Suggest a valid name for an invalid one ("Klachten Coördinator" → ...)."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    candidate = "".join(c if c.isalnum() else "_" for c in folded.lower()).strip("_")
    while "__" in candidate:
        candidate = candidate.replace("__", "_")
    if candidate and candidate[0].isalpha() and candidate != value:
        return f"Gebruik bijvoorbeeld '{candidate}'."
    return (
        "Een naam begint met een kleine letter en bevat alleen kleine letters "
        "a-z, cijfers en _ (geen spaties, streepjes of accenten)."
    )


@attrs.frozen
class Name(Type):
    """An identifier: lower-case a-z, digits and underscores, starting with a letter."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, str):
            return self.wrong(value, path, report, "een naam")
        if not re.match(NAME_PATTERN, value):
            report(
                "KF-D009",
                path,
                f"'{value}' is geen geldige naam.",
                name_hint(value),
                False,
            )
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": NAME_PATTERN}


@attrs.frozen
class Integer(Type):
    """A whole number, optionally with a minimum."""

    minimum: int | None = None

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong(value, path, report, "een geheel getal")
        if self.minimum is not None and value < self.minimum:
            report(
                "KF-D010",
                path,
                f"{value} is te klein; de kleinste toegestane waarde is {self.minimum}.",
                None,
                False,
            )
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out


@attrs.frozen
class Boolean(Type):
    """``true`` or ``false`` (``ja``, ``nee``, ``yes``, ``no`` are refused, not guessed)."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, bool):
            hint = None
            if isinstance(value, str) and value.lower() in {
                "ja",
                "nee",
                "yes",
                "no",
                "on",
                "off",
                "waar",
                "onwaar",
            }:
                hint = "Schrijf true (ja) of false (nee)."
            return self.wrong(value, path, report, "true of false", hint)
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@attrs.frozen
class Date(Type):
    """A calendar date, written JJJJ-MM-DD."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        return self.wrong(
            value, path, report, "een datum", "Schrijf JJJJ-MM-DD, bijv. 2026-01-01."
        )

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


@attrs.frozen
class DurationType(Type):
    """A duration as the law writes it: "6 weken", "5 werkdagen", "1 jaar"."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, str):
            return self.wrong(
                value,
                path,
                report,
                "een duur zoals '6 weken'",
                "Schrijf het getal en de eenheid, bijv. '6 weken' of '5 werkdagen'.",
            )
        try:
            return Duration.parse(value)
        except ValueError:
            report(
                "KF-D010",
                path,
                f"'{value}' is geen geldige duur.",
                "Schrijf een getal en een eenheid: uur, dagen, werkdagen, weken, "
                "maanden of jaren (bijv. '6 weken').",
                False,
            )
            return INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": DURATION_PATTERN}


@attrs.frozen
class Scalar(Type):
    """A single value: text, number, true/false or a date."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if isinstance(value, str | int | float | bool | dt.date):
            return value
        return self.wrong(
            value, path, report, "één waarde (tekst, getal of true/false)"
        )

    def schema(self) -> dict[str, Any]:
        return {"type": ["string", "number", "boolean"]}


@attrs.frozen
class ListOf(Type):
    """A list; with ``single`` a lone value counts as a list of one."""

    item: Type
    single: bool = True
    min_items: int = 1

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, list):
            if self.single and value is not None:
                checked = self.item.check(value, path, report)
                return INVALID if checked is INVALID else [checked]
            return self.wrong(value, path, report, "een lijst")
        if len(value) < self.min_items:
            report(
                "KF-D008",
                path,
                f"de lijst moet ten minste {self.min_items} element(en) bevatten.",
                None,
                False,
            )
            return INVALID
        out = []
        for index, item in enumerate(value):
            checked = self.item.check(item, (*path, index), report)
            if checked is not INVALID:
                out.append(checked)
        return out

    def schema(self) -> dict[str, Any]:
        array: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            array["minItems"] = self.min_items
        if self.single:
            return {"anyOf": [self.item.schema(), array]}
        return array


@attrs.frozen
class MapOf(Type):
    """A block of named entries (``rollen``, ``statussen``, ...)."""

    value: Type
    min_items: int = 0

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, dict):
            if value is None and self.min_items == 0:
                return {}
            return self.wrong(value, path, report, "een blok met genoemde onderdelen")
        if len(value) < self.min_items:
            report(
                "KF-D007",
                path,
                "dit blok is leeg, maar moet ten minste één onderdeel bevatten.",
                None,
                False,
            )
        # Broken entries stay in the result as INVALID: their names are declared,
        # so references to them are not reported a second time as unknown.
        out = {}
        for key, item in value.items():
            Name().check(
                key, (*path, key), lambda c, p, m, h, _k: report(c, p, m, h, True)
            )
            out[key] = self.value.check(item, (*path, key), report)
        return out

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "object",
            "propertyNames": {"pattern": NAME_PATTERN},
            "additionalProperties": self.value.schema(),
        }
        if self.min_items:
            out["minProperties"] = self.min_items
        return out


@attrs.frozen
class Key:
    """One key of an object, with the Dutch description used in schema and docs."""

    name: str
    type: Type
    description: str
    required: bool = False


_REGISTRY: dict[str, Obj] = {}


@attrs.frozen
class Obj(Type):
    """A block with fixed keys; unknown keys are refused with a suggestion."""

    name: str
    title: str
    keys: tuple[Key, ...]
    one_of: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        _REGISTRY[self.name] = self

    @property
    def key_map(self) -> Mapping[str, Key]:
        return {k.name: k for k in self.keys}

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, dict):
            return self.wrong(value, path, report, f"een blok ({self.title})")
        out, broken = self.check_keys(value, path, report)
        return INVALID if broken else out

    def check_keys(
        self, value: dict[str, Any], path: tuple[str | int, ...], report: Report
    ) -> tuple[dict[str, Any], bool]:
        """The valid part of ``value`` and whether a required part is missing or broken."""
        keys = self.key_map
        out: dict[str, Any] = {}
        broken = False
        for key, item in value.items():
            spec = keys.get(key)
            if spec is None:
                close = get_close_matches(key, list(keys), n=1, cutoff=0.6)
                allowed = ", ".join(keys)
                report(
                    "KF-D006",
                    (*path, key),
                    f"onbekende sleutel '{key}' in {self.title}.",
                    f"Bedoelde u '{close[0]}'?"
                    if close
                    else f"Toegestaan zijn: {allowed}.",
                    True,
                )
                continue
            checked = spec.type.check(item, (*path, key), report)
            if checked is INVALID:
                broken = broken or spec.required
                continue
            out[key] = checked
        for spec in self.keys:
            if spec.required and spec.name not in value:
                report(
                    "KF-D007",
                    path,
                    f"de verplichte sleutel '{spec.name}' ontbreekt in {self.title}.",
                    f"Voeg toe: {spec.name}: ... ({spec.description})",
                    True,
                )
                broken = True
        if self.one_of:
            present = [k for k in self.one_of if k in value]
            if len(present) != 1:
                options = ", ".join(self.one_of)
                report(
                    "KF-D015",
                    path,
                    f"{self.title} moet precies één van deze sleutels hebben: {options}"
                    + (f" (nu: {', '.join(present)})." if present else " (nu: geen)."),
                    None,
                    True,
                )
                broken = True
            elif present[0] not in out:  # the one key is there but broken
                broken = True
        return out, broken

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.name}"}

    def definition(self) -> dict[str, Any]:
        """The ``$defs`` entry of this object."""
        out: dict[str, Any] = {
            "title": self.title,
            "type": "object",
            "additionalProperties": False,
            "properties": {
                k.name: {**k.type.schema(), "description": k.description}
                for k in self.keys
            },
        }
        required = [k.name for k in self.keys if k.required]
        if required:
            out["required"] = required
        if self.one_of:
            out["oneOf"] = [{"required": [k]} for k in self.one_of]
        return out


@attrs.frozen
class Ref(Type):
    """A reference to an object declared elsewhere (allows recursion)."""

    name: str

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        return _REGISTRY[self.name].check(value, path, report)

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.name}"}


# --------------------------------------------------------------------------- the language

GRONDSLAG = Obj(
    "grondslag",
    "grondslag",
    (
        Key(
            "wet",
            Text(),
            "Afkorting of naam van de wet, bijv. Awb, Atw, Wkkgz, Jeugdwet.",
        ),
        Key("artikel", Text(), 'Artikelnummer zoals in de wet, bijv. "9:11" of 17.'),
        Key("lid", Integer(minimum=1), "Lid van het artikel."),
        Key("onderdeel", Text(), "Onderdeel van het lid, bijv. c."),
        Key(
            "bwb",
            Text(
                pattern=BWB_PATTERN.pattern,
                pattern_hint="Een BWB-id ziet eruit als BWBR0005537.",
            ),
            "BWB-id van de wet op wetten.overheid.nl; voor bekende wetten afgeleid.",
        ),
        Key(
            "regeling",
            Text(),
            "Naam van een lokale regeling (klachtenregeling) in plaats van een wet.",
        ),
        Key(
            "url",
            Text(pattern=r"^https?://", pattern_hint="Een link begint met https://."),
            "Link naar de tekst; voor wetten met een BWB-id wordt die afgeleid.",
        ),
        Key("toelichting", Text(), "Uitleg bij de keuze of interpretatie."),
    ),
    one_of=("wet", "regeling"),
)
_GRONDSLAG = Key(
    "grondslag",
    ListOf(Ref("grondslag")),
    "Juridische grondslag: één verwijzing of een lijst.",
)

ROL = Obj(
    "rol",
    "rol",
    (
        Key(
            "soort",
            Text(enum=("partij", "organisatie")),
            "partij (klager, gemachtigde, beklaagde) of organisatie (medewerker, orgaan).",
            required=True,
        ),
        Key(
            "omschrijving_generiek",
            Text(enum=tuple(GENERIC_ROLE_DESCRIPTIONS)),
            "ZGW RolType omschrijvingGeneriek.",
            required=True,
        ),
        Key("titel", Text(), "Naam van de rol zoals medewerkers die kennen."),
        Key("omschrijving", Text(), "Wat deze rol doet."),
        _GRONDSLAG,
    ),
)

STATUS = Obj(
    "status",
    "status",
    (
        Key("titel", Text(), "Naam van de status zoals medewerkers die kennen."),
        Key("omschrijving", Text(), "Wat deze status betekent."),
        Key(
            "begin", Boolean(), "true voor de beginstatus (op elk niveau precies één)."
        ),
        Key("eind", Boolean(), "true voor een eindstatus: de zaak is afgehandeld."),
        Key(
            "kenmerken",
            ListOf(Text(enum=("informeel", "formeel", "extern"))),
            "informeel, formeel en/of extern (voor rapportages).",
        ),
        Key(
            "informeren",
            Boolean(),
            "true als de klager bericht krijgt bij deze status (ZGW informeren).",
        ),
        Key(
            "statustekst",
            Text(),
            "Tekst voor de klager bij deze status (ZGW statustekst).",
        ),
        Key("statussen", MapOf(Ref("status")), "Onderliggende statussen."),
        _GRONDSLAG,
    ),
)

CONTROLE = Obj(
    "controle",
    "controle",
    (
        Key("veld", Name(), "Het gegeven dat gecontroleerd wordt.", required=True),
        Key("is", Scalar(), "Het gegeven moet precies deze waarde hebben."),
        Key(
            "in",
            ListOf(Scalar(), single=False),
            "Het gegeven moet een van deze waarden hebben.",
        ),
        Key(
            "aanwezig", Boolean(), "true: het gegeven moet ingevuld zijn; false: leeg."
        ),
    ),
    one_of=("is", "in", "aanwezig"),
)

SCHEIDING = Obj(
    "scheiding",
    "functiescheiding",
    (
        Key(
            "niet_partij",
            ListOf(Name()),
            "De uitvoerder mag in deze zaak geen partij met deze rol zijn (bijv. beklaagde, Awb 9:7).",
        ),
        Key(
            "niet_uitvoerder_van",
            ListOf(Name()),
            "De uitvoerder mag niet degene zijn die deze actie(s) in deze zaak uitvoerde.",
        ),
        Key(
            "tenzij",
            ListOf(Ref("controle"), single=False),
            "Uitzondering: de regel geldt niet als deze controles slagen.",
        ),
        Key("melding", Text(), "Eigen melding bij overtreding."),
        _GRONDSLAG,
    ),
    one_of=("niet_partij", "niet_uitvoerder_van"),
)

INSTEMMING = Obj(
    "instemming",
    "instemming",
    (
        Key(
            "van",
            ListOf(Name()),
            "De partijen die moeten instemmen (bijv. klager, beklaagde).",
            required=True,
        ),
        Key(
            "schriftelijk", Boolean(), "true als de instemming schriftelijk moet zijn."
        ),
        _GRONDSLAG,
    ),
)

_TERM_NAMES = ListOf(Name())
TERMIJNEFFECTEN = Obj(
    "termijneffecten",
    "termijneffecten",
    (
        Key("start", _TERM_NAMES, "Termijnen die deze actie start."),
        Key("stop", _TERM_NAMES, "Termijnen die deze actie stopt."),
        Key("opschorten", _TERM_NAMES, "Termijnen die deze actie opschort."),
        Key("hervatten", _TERM_NAMES, "Opgeschorte termijnen die deze actie hervat."),
        Key("verlengen", _TERM_NAMES, "Termijnen die deze actie verlengt (verdaging)."),
        Key(
            "uitstellen",
            _TERM_NAMES,
            "Termijnen die deze actie verder uitstelt, met instemming.",
        ),
    ),
)

ACTIE = Obj(
    "actie",
    "actie",
    (
        Key("titel", Text(), "Naam van de actie zoals medewerkers die kennen."),
        Key("omschrijving", Text(), "Wat deze actie doet."),
        Key(
            "van",
            ListOf(Text(allow_int=False)),
            "Status(sen) waaruit de actie kan; een bovenliggende status geldt voor al "
            'haar onderliggende statussen; "*" betekent elke status die geen eindstatus is.',
            required=True,
        ),
        Key(
            "naar",
            Text(allow_int=False),
            "De status na de actie; weglaten als de status gelijk blijft.",
        ),
        Key(
            "wie",
            ListOf(Name()),
            "De rollen die deze actie mogen uitvoeren.",
            required=True,
        ),
        Key(
            "voorwaarden",
            ListOf(Name()),
            "Namen van voorwaarden die de applicatie in Python registreert.",
        ),
        Key(
            "controles",
            ListOf(Ref("controle"), single=False),
            "Controles op de gegevens van de zaak.",
        ),
        Key(
            "vereist",
            ListOf(Name()),
            "Gegevens die bij deze actie ingevuld moeten zijn.",
        ),
        Key(
            "scheiding",
            ListOf(Ref("scheiding"), single=False),
            "Functiescheiding: wie deze actie níet mag uitvoeren.",
        ),
        Key(
            "instemming",
            Ref("instemming"),
            "Instemming die nodig is (bijv. voor bemiddeling).",
        ),
        Key("termijnen", Ref("termijneffecten"), "Wat de actie met termijnen doet."),
        Key("resultaat", Name(), "Het resultaat dat de actie vastlegt."),
        Key(
            "resultaat_veld",
            Name(),
            "Het gegeven (een keuze uit resultaten) waarvan het resultaat wordt overgenomen.",
        ),
        Key(
            "informeren",
            Boolean(),
            "true als de klager over deze actie bericht krijgt.",
        ),
        _GRONDSLAG,
    ),
)

TRIGGER = Obj(
    "termijnmoment",
    "termijnmoment",
    (
        Key("actie", Name(), "Bij het uitvoeren van deze actie."),
        Key(
            "binnenkomst", Text(allow_int=False), "Bij het binnenkomen van deze status."
        ),
        Key("vertrek", Text(allow_int=False), "Bij het verlaten van deze status."),
        Key(
            "termijn_verstreken",
            Name(),
            "Wanneer deze andere termijn afloopt (gekoppelde termijn).",
        ),
    ),
    one_of=("actie", "binnenkomst", "vertrek", "termijn_verstreken"),
)

VERDER_UITSTEL = Obj(
    "verder_uitstel",
    "verder uitstel",
    (
        Key("actie", Name(), "De actie die verder uitstel vastlegt.", required=True),
        Key(
            "instemming_van",
            ListOf(Name()),
            "Wie moet instemmen (Awb 9:11 lid 3: de klager).",
            required=True,
        ),
        Key(
            "schriftelijk",
            Boolean(),
            "true (standaard) als de instemming schriftelijk moet zijn.",
        ),
        _GRONDSLAG,
    ),
)

VERLENGING = Obj(
    "verlenging",
    "verlenging",
    (
        Key(
            "maximaal",
            DurationType(),
            "De langste verlenging, bijv. '4 weken'.",
            required=True,
        ),
        Key(
            "actie",
            Name(),
            "De actie waarmee de termijn wordt verlengd.",
            required=True,
        ),
        Key(
            "melden_aan", ListOf(Name()), "Wie van de verlenging bericht moet krijgen."
        ),
        Key(
            "verder_uitstel",
            Ref("verder_uitstel"),
            "Uitstel voorbij het maximum, alleen met instemming.",
        ),
        _GRONDSLAG,
    ),
)

TERMIJN = Obj(
    "termijn",
    "termijn",
    (
        Key("titel", Text(), "Naam van de termijn zoals medewerkers die kennen."),
        Key("omschrijving", Text(), "Waar deze termijn voor is."),
        Key(
            "duur",
            DurationType(),
            "Duur zoals in de wet: '6 weken', '5 werkdagen', '1 jaar'.",
            required=True,
        ),
        Key("start", ListOf(Ref("termijnmoment")), "Wanneer de termijn begint."),
        Key("stop", ListOf(Ref("termijnmoment")), "Wanneer de termijn stopt."),
        Key(
            "vanaf_veld",
            Name(),
            "Gegeven (datum) waarvan de termijn rekent, bijv. de datum van ontvangst.",
        ),
        Key("kalender", Name(), "atw (standaard) of de naam van een eigen kalender."),
        Key(
            "soort",
            Text(enum=("fataal", "streef")),
            "fataal (wettelijk) of streef (servicenorm).",
        ),
        Key("verlenging", Ref("verlenging"), "Hoe de termijn verlengd kan worden."),
        Key("opschortbaar", Boolean(), "true als de termijn opgeschort kan worden."),
        Key(
            "waarschuwing",
            DurationType(),
            "Hoe lang vooraf gewaarschuwd wordt, bijv. '5 werkdagen'.",
        ),
        Key(
            "atw",
            Boolean(),
            "Of de Algemene termijnenwet geldt; weglaten = afgeleid uit de duur (Atw art 4).",
        ),
        Key(
            "richting",
            Text(enum=("vooruit", "terug")),
            "vooruit (standaard) of terug (terugrekenen, Atw art 1 lid 2).",
        ),
        Key(
            "anker",
            Text(enum=("gekoppeld", "conservatief")),
            "Waar een verlenging begint: gekoppeld (standaard) of conservatief.",
        ),
        _GRONDSLAG,
    ),
)

RESULTAAT = Obj(
    "resultaat",
    "resultaat",
    (
        Key("titel", Text(), "Naam van het resultaat."),
        Key("omschrijving", Text(), "Wat dit resultaat betekent."),
        Key(
            "archiefnominatie",
            Text(enum=("vernietigen", "blijvend_bewaren")),
            "ZGW archiefnominatie.",
            required=True,
        ),
        Key(
            "bewaartermijn",
            DurationType(),
            "Hoe lang het dossier bewaard wordt, bijv. '5 jaar'.",
        ),
        Key(
            "selectielijstklasse",
            Text(),
            "Resultaat in de Selectielijst, bijv. '13.1'.",
        ),
        _GRONDSLAG,
    ),
)

VERTROUWELIJK = Obj(
    "vertrouwelijk",
    "vertrouwelijkheid",
    (
        Key(
            "zichtbaar_voor",
            ListOf(Name()),
            "Alleen deze rollen mogen het gegeven zien.",
            required=True,
        ),
    ),
)

GEGEVEN = Obj(
    "gegeven",
    "gegeven",
    (
        Key(
            "type",
            Text(enum=("tekst", "getal", "datum", "datum_tijd", "ja_nee", "keuze")),
            "Soort gegeven.",
            required=True,
        ),
        Key("titel", Text(), "Naam van het gegeven op formulieren."),
        Key("omschrijving", Text(), "Wat er ingevuld wordt."),
        Key("waarden", ListOf(Text(), single=False), "De keuzes, bij type keuze."),
        Key(
            "waarden_uit",
            Text(enum=("categorieen", "kanalen", "domeinen", "aanbieders")),
            "Keuzes uit een lijst van registratie, bij type keuze.",
        ),
        Key("vertrouwelijk", Ref("vertrouwelijk"), "Maakt het gegeven vertrouwelijk."),
        Key(
            "persoonsgegeven",
            Boolean(),
            "true als het gegeven persoonsgegevens bevat (AVG).",
        ),
    ),
)

_LABELS = ListOf(Text(), single=False, min_items=0)
REGISTRATIE = Obj(
    "registratie",
    "registratie",
    (
        Key(
            "categorieen", _LABELS, "Categorieën van klachten (Awb 9:12a, rapportages)."
        ),
        Key(
            "kanalen",
            _LABELS,
            "Kanalen: mondeling, telefoon, e-mail, brief, website, balie.",
        ),
        Key("domeinen", _LABELS, "Domeinen: Wmo, Jeugdwet, Participatiewet, ..."),
        Key("aanbieders", _LABELS, "Gecontracteerde aanbieders, voor rapportages."),
    ),
)

KALENDER = Obj(
    "kalender",
    "kalender",
    (
        Key("titel", Text(), "Naam van de kalender."),
        Key("omschrijving", Text(), "Waarvoor de kalender dient."),
        Key(
            "sluitingsdagen",
            ListOf(Date(), single=False, min_items=0),
            "Eigen sluitingsdagen bovenop de Atw-feestdagen (alleen voor lokale werkdagtermijnen).",
        ),
    ),
)

SPEC = Obj(
    "procedure",
    "procedure",
    (
        Key(
            "schema",
            Text(
                pattern=r"^klachtflow/[0-9]+$",
                pattern_hint="Schrijf: schema: klachtflow/1",
            ),
            "Versie van de procedure-taal: klachtflow/1.",
            required=True,
        ),
        Key(
            "naam",
            Text(
                pattern=SLUG_PATTERN,
                pattern_hint="Kleine letters, cijfers, - en _, bijv. gemeente-awb.",
            ),
            "Korte, vaste naam van de procedure, bijv. gemeente-awb.",
            required=True,
        ),
        Key("titel", Text(), "Titel van de procedure.", required=True),
        Key(
            "versie", Text(), 'Versie van deze procedure, bijv. "1.0.0".', required=True
        ),
        Key(
            "geldig_vanaf",
            Date(),
            "Datum vanaf wanneer deze versie geldt.",
            required=True,
        ),
        Key("geldig_tot", Date(), "Datum tot wanneer deze versie geldt (optioneel)."),
        Key(
            "regime",
            Text(enum=("awb9", "bezwaar", "wkkgz", "jeugdwet", "wmo", "eigen")),
            "Het wettelijke regime: awb9, bezwaar, wkkgz, jeugdwet, wmo of eigen.",
            required=True,
        ),
        Key("omschrijving", Text(), "Toelichting op de procedure."),
        _GRONDSLAG,
        Key(
            "rollen",
            MapOf(Ref("rol"), min_items=1),
            "Rollen in de organisatie en partijen in de zaak.",
            required=True,
        ),
        Key(
            "statussen",
            MapOf(Ref("status"), min_items=1),
            "De statussen van een zaak.",
            required=True,
        ),
        Key(
            "acties",
            MapOf(Ref("actie"), min_items=1),
            "De acties die een zaak verder brengen.",
            required=True,
        ),
        Key("termijnen", MapOf(Ref("termijn")), "De termijnen die op een zaak lopen."),
        Key(
            "resultaten",
            MapOf(Ref("resultaat")),
            "De mogelijke resultaten met bewaartermijn.",
        ),
        Key("gegevens", MapOf(Ref("gegeven")), "De gegevens die bij een zaak horen."),
        Key(
            "registratie",
            Ref("registratie"),
            "Registratie voor rapportages (Awb 9:12a).",
        ),
        Key(
            "kalenders",
            MapOf(Ref("kalender")),
            "Eigen kalenders voor lokale werkdagtermijnen.",
        ),
    ),
)


def validate(data: dict[str, Any], report: Report) -> dict[str, Any]:
    """Check ``data`` against the language; return its valid part, normalised.

    Problems are reported; parts that fail are left out, so later checks see
    only well-typed data and report no follow-up noise for them.
    """
    out, _ = SPEC.check_keys(data, (), report)
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the procedure language."""
    defs = {name: obj.definition() for name, obj in sorted(_REGISTRY.items())}
    root = defs.pop("procedure")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://klachtflow.nl/schema/procedure-1.json",
        "title": "klachtflow procedure (schema klachtflow/1)",
        "description": "Een klachtprocedure in de taal van klachtflow. "
        "Zie docs/reference/yaml.md.",
        **{k: v for k, v in root.items() if k != "title"},
        "$defs": defs,
    }


def _type_label(t: Type) -> str:
    if isinstance(t, Ref | Obj):
        return f"[{t.name}](#{t.name})"
    if isinstance(t, ListOf):
        inner = _type_label(t.item)
        return f"{inner} of lijst daarvan" if t.single else f"lijst van {inner}"
    if isinstance(t, MapOf):
        return f"blok: naam → {_type_label(t.value)}"
    if isinstance(t, Text) and t.enum:
        return " \\| ".join(f"`{v}`" for v in t.enum)
    return {
        Text: "tekst",
        Name: "naam",
        Integer: "geheel getal",
        Boolean: "`true` \\| `false`",
        Date: "datum (JJJJ-MM-DD)",
        DurationType: "duur (bijv. `6 weken`)",
        Scalar: "waarde",
    }[type(t)]


def markdown_reference() -> str:
    """The YAML reference page (``docs/reference/yaml.md``), generated from the spec."""
    lines = [
        "<!-- Gegenereerd uit src/klachtflow/definition/_spec.py; niet met de hand wijzigen.",
        "     Bijwerken: klachtflow schema --format markdown > docs/reference/yaml.md -->",
        "",
        "# Referentie: de proceduretaal (schema klachtflow/1)",
        "",
        "Voor: beleidsmedewerkers en ontwikkelaars. Elke sleutel van een procedurebestand,",
        "met type en betekenis. Een *naam* bestaat uit kleine letters a-z, cijfers en `_`",
        "en begint met een letter. Verplichte sleutels zijn **vet**.",
        "",
    ]
    order = ["procedure", *sorted(n for n in _REGISTRY if n != "procedure")]
    for name in order:
        obj = _REGISTRY[name]
        lines += [f"## {obj.title} {{#{name}}}", ""]
        if obj.one_of:
            keys = ", ".join(f"`{k}`" for k in obj.one_of)
            lines += [f"Precies één van: {keys}.", ""]
        lines += ["| sleutel | type | betekenis |", "| --- | --- | --- |"]
        for key in obj.keys:
            label = f"**`{key.name}`**" if key.required else f"`{key.name}`"
            lines.append(f"| {label} | {_type_label(key.type)} | {key.description} |")
        lines.append("")
    return "\n".join(lines)
