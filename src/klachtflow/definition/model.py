"""The immutable intermediate representation of a procedure.

Everything here is a frozen attrs class built by :mod:`klachtflow.definition._build`
from YAML that policy staff write. Field names are English; the Dutch YAML key
each one comes from is named in its docstring (the full mapping is in
``docs/reference/glossary.md``).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Hashable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, TypeVar, cast

import attrs

from klachtflow.definition.notices import Assignment, Notice
from klachtflow.law import LAWS

_T = TypeVar("_T")

__all__ = [
    "GENERIC_ROLE_DESCRIPTIONS",
    "Action",
    "ArchiveNomination",
    "Calendar",
    "Consent",
    "DataCheck",
    "DataField",
    "Direction",
    "Duration",
    "Extension",
    "FieldType",
    "FurtherDelay",
    "LegalBasis",
    "Procedure",
    "Registration",
    "Result",
    "Role",
    "RoleKind",
    "SeparationKind",
    "SeparationRule",
    "State",
    "Term",
    "TermAnchor",
    "TermEffects",
    "TermKind",
    "TermTrigger",
    "TriggerKind",
    "Unit",
    "ZgwSettings",
]


def _frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


# --------------------------------------------------------------------------- legal basis

#: BWB ids of the laws klachtflow knows by name (lower case), so ``{wet: Awb}``
#: needs no ``bwb``; the catalogue itself is :data:`klachtflow.law.LAWS`.
KNOWN_LAWS: Mapping[str, str] = MappingProxyType(
    {name.lower(): law.bwb for law in LAWS for name in law.names if name != law.bwb}
)

BWB_PATTERN = re.compile(r"^BWBR\d{7}$")


@attrs.frozen
class LegalBasis:
    """A legal basis (YAML ``grondslag``): a statute article or a local rule.

    ``wet`` + ``artikel`` (+ ``lid``, ``onderdeel``) with a ``bwb`` id cite a
    statute; ``regeling`` cites a local rule (a klachtenregeling), which has no
    BWB id. ``url`` is derived from the BWB id as a Juriconnect link to
    wetten.overheid.nl unless given explicitly.
    """

    wet: str | None = None
    artikel: str | None = None
    lid: int | None = None
    onderdeel: str | None = None
    bwb: str | None = None
    regeling: str | None = None
    explicit_url: str | None = None
    toelichting: str | None = None

    @property
    def url(self) -> str | None:
        """A link to the article on wetten.overheid.nl (Juriconnect ``jci1.3``)."""
        if self.explicit_url:
            return self.explicit_url
        if not self.bwb:
            return None
        link = f"https://wetten.overheid.nl/jci1.3:c:{self.bwb}"
        if self.artikel:
            link += f"&artikel={self.artikel}"
            if self.lid is not None:
                link += f"&lid={self.lid}"
        return link

    def __str__(self) -> str:
        name = self.wet or self.regeling or "grondslag"
        parts = [name]
        if self.artikel:
            # Awb-style numbers ("9:11") read without "art"; others ("art 17") with it.
            bare = self.wet is not None and ":" in self.artikel
            parts.append(self.artikel if bare else f"art {self.artikel}")
        if self.lid is not None:
            parts.append(f"lid {self.lid}")
        if self.onderdeel:
            parts.append(f"sub {self.onderdeel}")
        text = " ".join(parts)
        return f"{text} ({self.bwb})" if self.bwb else text


# --------------------------------------------------------------------------- durations


class Unit(enum.Enum):
    """Units in which the law writes terms."""

    UREN = "uren"
    DAGEN = "dagen"
    WERKDAGEN = "werkdagen"
    WEKEN = "weken"
    MAANDEN = "maanden"
    JAREN = "jaren"


_UNIT_WORDS: Mapping[str, Unit] = MappingProxyType(
    {
        "uur": Unit.UREN,
        "uren": Unit.UREN,
        "dag": Unit.DAGEN,
        "dagen": Unit.DAGEN,
        "kalenderdag": Unit.DAGEN,
        "kalenderdagen": Unit.DAGEN,
        "werkdag": Unit.WERKDAGEN,
        "werkdagen": Unit.WERKDAGEN,
        "week": Unit.WEKEN,
        "weken": Unit.WEKEN,
        "maand": Unit.MAANDEN,
        "maanden": Unit.MAANDEN,
        "jaar": Unit.JAREN,
        "jaren": Unit.JAREN,
    }
)
_SINGULAR = MappingProxyType(
    {
        Unit.UREN: "uur",
        Unit.DAGEN: "dag",
        Unit.WERKDAGEN: "werkdag",
        Unit.WEKEN: "week",
        Unit.MAANDEN: "maand",
        Unit.JAREN: "jaar",
    }
)
_DURATION_RE = re.compile(r"^\s*(\d+)\s+([a-z]+)\s*$")
#: The form of a duration as policy staff write it, for the JSON Schema.
DURATION_PATTERN = (
    r"^\s*[0-9]+\s+(uur|uren|dag|dagen|kalenderdag|kalenderdagen|werkdag|werkdagen"
    r"|week|weken|maand|maanden|jaar|jaren)\s*$"
)


@attrs.frozen
class Duration:
    """A term length as written in law: ``Duration(6, Unit.WEKEN)`` is "6 weken"."""

    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse "6 weken", "5 werkdagen", "1 jaar"; raise ``ValueError`` otherwise."""
        match = _DURATION_RE.match(text.lower())
        unit = _UNIT_WORDS.get(match.group(2)) if match else None
        if match is None or unit is None:
            msg = f"{text!r} is geen geldige duur"
            raise ValueError(msg)
        return cls(int(match.group(1)), unit)

    @property
    def atw_excluded(self) -> bool:
        """Whether Atw art 4 sub a excludes a term of this length.

        "Deze wet geldt niet voor termijnen: a. omschreven in uren, in meer dan
        90 dagen, in meer dan twaalf weken, in meer dan drie maanden, of in een
        of meer jaren". Working-day terms are counted on a calendar that has no
        non-working days to roll past, so the Atw has nothing to add to them.
        """
        return (
            self.unit in (Unit.UREN, Unit.JAREN, Unit.WERKDAGEN)
            or (self.unit is Unit.DAGEN and self.amount > 90)
            or (self.unit is Unit.WEKEN and self.amount > 12)
            or (self.unit is Unit.MAANDEN and self.amount > 3)
        )

    def __str__(self) -> str:
        # Dutch counts years and hours in the singular: "10 jaar", "24 uur".
        singular = self.amount == 1 or self.unit in (Unit.JAREN, Unit.UREN)
        word = _SINGULAR[self.unit] if singular else self.unit.value
        return f"{self.amount} {word}"

    def __repr__(self) -> str:
        return f"Duration.parse({str(self)!r})"


# --------------------------------------------------------------------------- roles


class RoleKind(enum.Enum):
    """``soort`` of a role: a party to the case, or a role in the organisation."""

    PARTIJ = "partij"
    ORGANISATIE = "organisatie"


#: ZGW RolType ``omschrijvingGeneriek`` values (Catalogi API 1.3) with their meaning.
GENERIC_ROLE_DESCRIPTIONS: Mapping[str, str] = MappingProxyType(
    {
        "adviseur": "Adviseert over de behandeling of het besluit.",
        "behandelaar": "Behandelt de zaak inhoudelijk.",
        "belanghebbende": "Heeft een belang bij de uitkomst van de zaak.",
        "beslisser": "Neemt het besluit in de zaak.",
        "initiator": "Heeft de zaak geïnitieerd (de klager).",
        "klantcontacter": "Heeft het eerste contact met de klant.",
        "zaakcoordinator": "Coördineert de behandeling van de zaak.",
        "mede_initiator": "Initieert de zaak mede (bijvoorbeeld een gemachtigde).",
    }
)


@attrs.frozen
class Role:
    """A role (YAML ``rollen.<naam>``): who may act, or who is party to a case."""

    name: str
    kind: RoleKind
    generic: str
    title: str
    description: str | None = None
    basis: tuple[LegalBasis, ...] = ()

    @property
    def is_party(self) -> bool:
        """True for case parties (klager, gemachtigde, beklaagde)."""
        return self.kind is RoleKind.PARTIJ


# --------------------------------------------------------------------------- states


@attrs.frozen
class State:
    """A status (YAML ``statussen.<naam>``), possibly with nested sub-statuses.

    ``path`` is the dotted path from the top (``formele_klacht.horen``);
    ``name`` is unique within the procedure, so YAML may refer to either.
    """

    name: str
    path: str
    title: str
    parent: str | None = None
    children: tuple[str, ...] = ()
    is_initial: bool = False
    is_final: bool = False
    tags: frozenset[str] = frozenset()
    informs: bool = False
    status_text: str | None = None
    description: str | None = None
    basis: tuple[LegalBasis, ...] = ()

    @property
    def is_compound(self) -> bool:
        """True when the state has sub-states."""
        return bool(self.children)


# --------------------------------------------------------------------------- actions


@attrs.frozen
class DataCheck:
    """A declarative data check (YAML ``controles[]``).

    ``op`` is ``is``, ``in`` or ``aanwezig`` (a value), ``voor`` or ``na`` (a
    date, or the date in another field, shifted by ``margin``), or
    ``gelijk_aan_veld`` / ``anders_dan_veld`` (another field's value).
    """

    field: str
    op: str
    value: Any
    margin: Duration | None = None

    @property
    def other_field(self) -> str | None:
        """The other field this check compares with, if it names one."""
        if self.op in ("gelijk_aan_veld", "anders_dan_veld"):
            return str(self.value)
        if self.op in ("voor", "na") and isinstance(self.value, str):
            return self.value
        return None

    def __str__(self) -> str:
        if self.op == "aanwezig":
            return f"{self.field} {'is' if self.value else 'is niet'} ingevuld"
        if self.op == "in":
            return f"{self.field} in {list(self.value)}"
        if self.op in ("voor", "na"):
            shift = (
                f" {'min' if self.op == 'voor' else 'plus'} {self.margin}"
                if self.margin
                else ""
            )
            return f"{self.field} {self.op} {self.value}{shift}"
        if self.op == "gelijk_aan_veld":
            return f"{self.field} gelijk aan {self.value}"
        if self.op == "anders_dan_veld":
            return f"{self.field} anders dan {self.value}"
        return f"{self.field} is {self.value!r}"


class SeparationKind(enum.Enum):
    """Kinds of separation of duties (YAML ``scheiding[]``)."""

    #: The actor may not be a party with this role on the case (Awb 9:7).
    NIET_PARTIJ = "niet_partij"
    #: The actor may not be the person who performed another action on the case.
    NIET_UITVOERDER_VAN = "niet_uitvoerder_van"


@attrs.frozen
class SeparationRule:
    """A separation-of-duties rule on an action, with its exceptions (``tenzij``)."""

    kind: SeparationKind
    targets: tuple[str, ...]
    unless: tuple[DataCheck, ...] = ()
    message: str | None = None
    basis: tuple[LegalBasis, ...] = ()


@attrs.frozen
class Consent:
    """Consent an action needs (YAML ``instemming``): of which parties, and in writing?"""

    parties: tuple[str, ...]
    written: bool = False
    basis: tuple[LegalBasis, ...] = ()


@attrs.frozen
class TermEffects:
    """What an action does to terms (YAML ``acties.<naam>.termijnen``)."""

    start: tuple[str, ...] = ()
    stop: tuple[str, ...] = ()
    suspend: tuple[str, ...] = ()
    resume: tuple[str, ...] = ()
    extend: tuple[str, ...] = ()
    delay: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        yield from attrs.asdict(self, recurse=False).items()


@attrs.frozen
class Action:
    """An action (YAML ``acties.<naam>``): a transition that someone performs.

    ``target`` is ``None`` for an action that records something without
    changing the status (an internal transition, e.g. *verdagen*).
    ``after_expiry`` (YAML ``pas_na_verstrijken``) names terms that must not be
    running unexpired; ``before_expiry`` (``alleen_voor_verstrijken``) terms of
    which one must still run unexpired. ``role_checks`` (YAML
    ``wie_alleen_als``) lets a role of ``roles`` act only when its data checks
    pass: routing by the function of the person complained about.
    """

    name: str
    title: str
    sources: tuple[str, ...]
    target: str | None
    roles: frozenset[str]
    conditions: tuple[str, ...] = ()
    checks: tuple[DataCheck, ...] = ()
    required: tuple[str, ...] = ()
    separation: tuple[SeparationRule, ...] = ()
    consent: Consent | None = None
    terms: TermEffects = TermEffects()
    result: str | None = None
    result_field: str | None = None
    informs: bool = False
    description: str | None = None
    basis: tuple[LegalBasis, ...] = ()
    after_expiry: tuple[str, ...] = ()
    before_expiry: tuple[str, ...] = ()
    role_checks: tuple[tuple[str, tuple[DataCheck, ...]], ...] = ()
    #: YAML ``wijs_toe``: whom this action makes the handler in a role.
    assigns: Assignment | None = None
    #: YAML ``wie_toegewezen``: roles of ``roles`` only the assigned person may act in.
    assigned_only: tuple[str, ...] = ()
    #: YAML ``brief``: the letter this action sends.
    notice: Notice | None = None


# --------------------------------------------------------------------------- terms


class TermKind(enum.Enum):
    """``soort`` of a term: fatal (statutory) or a target (service norm)."""

    FATAAL = "fataal"
    STREEF = "streef"


class TermAnchor(enum.Enum):
    """Where a chained term (an extension) starts: 🔶 law.md §3.3 item 5."""

    #: From the Atw-extended end of the first term: the probable legal reading.
    GEKOPPELD = "gekoppeld"
    #: From the raw end: the earliest date, safe for internal norms.
    CONSERVATIEF = "conservatief"


class Direction(enum.Enum):
    """Counting direction; backward terms are never extended (Atw art 1 lid 2)."""

    VOORUIT = "vooruit"
    TERUG = "terug"


class TriggerKind(enum.Enum):
    """What starts or stops a term (YAML ``termijnen.<naam>.start[]``)."""

    ACTIE = "actie"
    BINNENKOMST = "binnenkomst"
    VERTREK = "vertrek"
    TERMIJN_VERSTREKEN = "termijn_verstreken"


@attrs.frozen
class TermTrigger:
    """An action, entering or leaving a state, or the expiry of another term."""

    kind: TriggerKind
    name: str

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.name}"


@attrs.frozen
class FurtherDelay:
    """Further delay beyond the maximum extension, only with consent (Awb 9:11 lid 3)."""

    action: str
    consent_of: tuple[str, ...]
    written: bool = True
    basis: tuple[LegalBasis, ...] = ()


@attrs.frozen
class Extension:
    """How a term may be extended (YAML ``verlenging``).

    ``actions`` (YAML ``actie``, one name or a list) are the actions that may
    extend the term: a regulation may let the handler and the coordinator each
    postpone it. ``maximum`` holds for all their extensions together (Awb 9:11
    lid 2 "ten hoogste vier weken"; Wkkgz art 17 lid 2). ``after_expiry``
    (YAML ``ook_na_verstrijken``) allows an extension after the term has
    passed, a local choice only where the law is silent.
    """

    maximum: Duration
    actions: tuple[str, ...] = attrs.field(converter=tuple)
    notify: tuple[str, ...] = ()
    further: FurtherDelay | None = None
    basis: tuple[LegalBasis, ...] = ()
    after_expiry: bool = False

    @property
    def action(self) -> str:
        """The first action that extends the term (there is at least one)."""
        return self.actions[0]


@attrs.frozen(cache_hash=True)
class Term:
    """A term (YAML ``termijnen.<naam>``): a clock on the case.

    ``atw`` says whether the Algemene termijnenwet applies; when the YAML does
    not say, it is derived from the duration (Atw art 4) and the direction
    (art 1 lid 2), and ``atw_stated`` is ``False``. ``runs_on`` (YAML
    ``loopt_door_na_einde``) keeps the clock running when the case enters an
    end state; by default the engine stops it there. ``warning_to`` (YAML
    ``waarschuwing_aan``) names the roles the ``warning`` is addressed to.
    """

    name: str
    title: str
    duration: Duration
    start: tuple[TermTrigger, ...]
    stop: tuple[TermTrigger, ...] = ()
    calendar: str = "atw"
    kind: TermKind = TermKind.FATAAL
    extension: Extension | None = None
    suspendable: bool = False
    warning: Duration | None = None
    atw: bool = True
    atw_stated: bool = False
    direction: Direction = Direction.VOORUIT
    anchor: TermAnchor = TermAnchor.GEKOPPELD
    from_field: str | None = None
    description: str | None = None
    basis: tuple[LegalBasis, ...] = ()
    runs_on: bool = False
    warning_to: tuple[str, ...] = ()


# --------------------------------------------------------------------------- results, data


class ArchiveNomination(enum.Enum):
    """ZGW ``archiefnominatie``."""

    VERNIETIGEN = "vernietigen"
    BLIJVEND_BEWAREN = "blijvend_bewaren"


@attrs.frozen
class Result:
    """A result (YAML ``resultaten.<naam>``) with its retention (Selectielijst)."""

    name: str
    title: str
    archive: ArchiveNomination
    retention: Duration | None = None
    selection_class: str | None = None
    description: str | None = None
    basis: tuple[LegalBasis, ...] = ()


class FieldType(enum.Enum):
    """Types of case data (YAML ``gegevens.<naam>.type``); ZGW ``formaat`` plus two."""

    TEKST = "tekst"
    GETAL = "getal"
    DATUM = "datum"
    DATUM_TIJD = "datum_tijd"
    JA_NEE = "ja_nee"
    KEUZE = "keuze"


@attrs.frozen
class DataField:
    """A case data field (YAML ``gegevens.<naam>``).

    ``visible_to`` is ``None`` for ordinary fields and the set of roles that may
    see the field when it is confidential (YAML ``vertrouwelijk.zichtbaar_voor``).
    ``personal`` marks personal data (AVG), which storage keeps apart.
    """

    name: str
    type: FieldType
    title: str
    choices: tuple[str, ...] | None = None
    choices_from: str | None = None
    visible_to: frozenset[str] | None = None
    personal: bool = False
    description: str | None = None

    @property
    def is_confidential(self) -> bool:
        """True when only some roles may see this field."""
        return self.visible_to is not None


@attrs.frozen
class Registration:
    """Report dimensions (YAML ``registratie``): Awb 9:12a registration."""

    categories: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()

    def values(self, list_name: str) -> tuple[str, ...]:
        """The values of one of the YAML lists by its Dutch name."""
        return {
            "categorieen": self.categories,
            "kanalen": self.channels,
            "domeinen": self.domains,
            "aanbieders": self.providers,
        }[list_name]


@attrs.frozen
class Calendar:
    """An organisation calendar (YAML ``kalenders.<naam>``) for local working-day rules.

    Its days off are weekends, the public holidays of Atw art 3 lid 1 and the
    organisation's own closing days; Goede Vrijdag (``good_friday``, YAML
    ``goede_vrijdag``) and the royal-decree days of Atw art 3 lid 3
    (``designated_days``, YAML ``gelijkgestelde_dagen``) only when the
    regulation says so. Statutory terms keep using the pure Atw calendar.
    """

    name: str
    closing_days: tuple[dt.date, ...] = ()
    title: str | None = None
    description: str | None = None
    good_friday: bool = False
    designated_days: bool = False


@attrs.frozen
class ZgwSettings:
    """What a ZGW catalogue needs that the procedure itself does not say (YAML ``zgw``).

    Every field is a required ZaakType field of the Catalogi API, in its
    Dutch ZGW name; the optional ones have the documented defaults of
    ``docs/how-to/zaakgericht-werken.md``. Fields of
    :mod:`klachtflow.zgw` read them; nothing else does.
    """

    doel: str
    aanleiding: str
    onderwerp: str
    handeling_initiator: str
    handeling_behandelaar: str
    verantwoordelijke: str
    vertrouwelijkheidaanduiding: str
    indicatie_intern_of_extern: str
    publicatie_indicatie: bool
    referentieproces: str
    identificatie: str | None = None
    omschrijving: str | None = None
    doorlooptijd_termijn: str | None = None
    eindstatus: str | None = None
    eigenschappen: tuple[str, ...] | None = None
    selectielijst_jaar: int | None = None


# --------------------------------------------------------------------------- procedure


@attrs.frozen
class Procedure:
    """A validated, immutable complaint procedure.

    Build one with :func:`klachtflow.load_procedure` or
    :func:`klachtflow.loads_procedure`, never directly. ``digest`` is the
    SHA-256 of the procedure's canonical content, so comments and layout do
    not change it but any change of meaning does.
    """

    schema: str
    name: str
    title: str
    version: str
    valid_from: dt.date
    regime: str
    initial: str
    roles: Mapping[str, Role] = attrs.field(converter=_frozen_map)
    states: Mapping[str, State] = attrs.field(converter=_frozen_map)
    actions: Mapping[str, Action] = attrs.field(converter=_frozen_map)
    terms: Mapping[str, Term] = attrs.field(converter=_frozen_map)
    results: Mapping[str, Result] = attrs.field(converter=_frozen_map)
    fields: Mapping[str, DataField] = attrs.field(converter=_frozen_map)
    calendars: Mapping[str, Calendar] = attrs.field(converter=_frozen_map)
    registration: Registration
    digest: str
    source: str = "<tekst>"
    text: str = attrs.field(default="", repr=False, eq=False)
    description: str | None = None
    valid_until: dt.date | None = None
    basis: tuple[LegalBasis, ...] = ()
    #: The organisation roles that may migrate running cases to this version
    #: (``migratie: {wie: [...]}``); empty: nobody may.
    migrators: frozenset[str] = frozenset()
    zgw: ZgwSettings | None = None
    #: Every state a case is formal in: tagged ``formeel``, or nested in one
    #: (computed once; storage reads it on every save).
    formal_states: frozenset[str] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    #: Values computed from the procedure alone, once each (see :meth:`derived`).
    _derived: dict[Hashable, Any] = attrs.field(
        init=False, factory=dict, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        tagged = {name for name, s in self.states.items() if "formeel" in s.tags}
        object.__setattr__(
            self,
            "formal_states",
            frozenset(
                ref
                for name, s in self.states.items()
                if tagged.intersection((name, *s.path.split(".")))
                for ref in (name, s.path)
            ),
        )

    def derived(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``, made once per procedure under ``key``.

        For what the checks and the audit read of the procedure alone (which
        actions cite an article, which roles are parties) on every case: a
        procedure is immutable, so the value never goes stale. ``key`` names
        what ``compute`` computes (with its arguments); one key, one meaning.
        """
        try:
            return cast("_T", self._derived[key])
        except KeyError:
            value = self._derived[key] = compute()
            return value

    def state(self, ref: str) -> State:
        """The state by name or dotted path; ``KeyError`` when unknown."""
        if ref in self.states:
            return self.states[ref]
        for state in self.states.values():
            if state.path == ref:
                return state
        raise KeyError(ref)

    @property
    def final_states(self) -> tuple[str, ...]:
        """Names of the end states, in declaration order."""
        return tuple(s.name for s in self.states.values() if s.is_final)

    @property
    def condition_names(self) -> frozenset[str]:
        """Every named condition the host must register for this procedure."""
        return frozenset(c for a in self.actions.values() for c in a.conditions)

    def descendants(self, name: str) -> tuple[str, ...]:
        """The state itself and every state nested in it, depth first."""
        state = self.states[name]
        found = [name]
        for child in state.children:
            found.extend(self.descendants(child))
        return tuple(found)

    def entry_leaf(self, name: str) -> str:
        """The leaf state a case lands in when it enters ``name``."""
        state = self.states[name]
        while state.children:
            state = self.states[
                next(c for c in state.children if self.states[c].is_initial)
            ]
        return state.name

    def actions_from(self, state: str) -> tuple[Action, ...]:
        """The actions whose source covers ``state`` (itself or an ancestor)."""
        lineage = set()
        current: str | None = state
        while current is not None:
            lineage.add(current)
            current = self.states[current].parent
        return tuple(
            a for a in self.actions.values() if lineage.intersection(a.sources)
        )
