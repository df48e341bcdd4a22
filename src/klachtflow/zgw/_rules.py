"""What Open Zaak refuses beyond the Catalogi API schemas, as checks over bodies.

The rules and the Open Zaak modules that hold them are listed in
``shared/reference/zgw/README.md``: publish needs two status types, a role
type and a result type, each result type a ``selectielijstklasse`` of the
zaaktype's procestype (``ProcesTypeValidator``); ``brondatumArchiefprocedure``
follows ``AFLEIDINGSWIJZE_VALIDATION_RULES`` and the procestermijn
(``ProcestermijnAfleidingswijzeValidator``, ``BrondatumArchiefprocedureValidator``);
``verlengingMogelijk`` needs a ``verlengingstermijn`` (``VerlengingsValidator``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from klachtflow.zgw import _selectielijst

__all__ = ["AFLEIDINGSWIJZE_RULES", "Finding", "check_bodies", "check_brondatum"]


class Finding(NamedTuple):
    """One refusal: its code, the YAML path it points at, message and hint."""

    code: str
    path: tuple[str | int, ...]
    message: str
    hint: str | None


_SUBFIELDS = (
    "procestermijn",
    "datumkenmerk",
    "einddatumBekend",
    "objecttype",
    "registratie",
)
_T, _F, _X = True, False, None
#: afleidingswijze → subfield → must be filled (True), empty (False) or free (None).
AFLEIDINGSWIJZE_RULES: Mapping[str, tuple[bool | None, ...]] = {
    "afgehandeld": (_F, _F, _F, _F, _F),
    "ander_datumkenmerk": (_F, _T, _X, _T, _T),
    "eigenschap": (_F, _T, _X, _F, _F),
    "gerelateerde_zaak": (_F, _F, _X, _F, _F),
    "hoofdzaak": (_F, _F, _X, _F, _F),
    "ingangsdatum_besluit": (_F, _F, _X, _F, _F),
    "vervaldatum_besluit": (_F, _F, _X, _F, _F),
    "termijn": (_T, _F, _F, _F, _F),
    "zaakobject": (_F, _T, _X, _T, _F),
}


def check_brondatum(brondatum: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(subfield, "required" | "must-be-empty") for each broken subfield rule."""
    rules = AFLEIDINGSWIJZE_RULES.get(str(brondatum.get("afleidingswijze")))
    if rules is None:
        yield "afleidingswijze", "required"
        return
    for name, rule in zip(_SUBFIELDS, rules, strict=True):
        filled = bool(brondatum.get(name))
        if rule is True and not filled:
            yield name, "required"
        elif rule is False and filled:
            yield name, "must-be-empty"


def _klasse(url: Any) -> str | None:
    """The class number in a placeholder ``…:resultaat:13.1``; None otherwise."""
    if isinstance(url, str) and ":resultaat:" in url:
        return url.rpartition(":")[2]
    return None


def _procestype(url: Any) -> int | None:
    if isinstance(url, str) and ":procestype:" in url:
        number = url.rpartition(":")[2]
        return int(number) if number.isdigit() else None
    return None


def check_bodies(
    *,
    zaaktype: Mapping[str, Any],
    statustypen: Sequence[Mapping[str, Any]],
    roltypen: Sequence[Mapping[str, Any]],
    resultaattypen: Sequence[Mapping[str, Any]],
    result_paths: Sequence[tuple[str | int, ...]],
    term_path: tuple[str | int, ...] = ("termijnen",),
) -> list[Finding]:
    """Every refusal Open Zaak would make for these bodies."""
    found: list[Finding] = []
    if len(statustypen) < 2:
        found.append(
            Finding(
                "KF-Z020",
                ("statussen",),
                f"een zaaktype heeft ten minste twee statustypen nodig (nu: {len(statustypen)}).",
                "Geef de procedure ten minste één status die geen eindstatus is, "
                "en een eindstatus.",
            )
        )
    if not roltypen:
        found.append(
            Finding(
                "KF-Z021",
                ("rollen",),
                "een zaaktype heeft ten minste één roltype nodig.",
                "Declareer de rollen onder rollen:.",
            )
        )
    if not resultaattypen:
        found.append(
            Finding(
                "KF-Z022",
                ("resultaten",),
                "een zaaktype heeft ten minste één resultaattype nodig.",
                "Declareer de resultaten onder resultaten:, elk met selectielijstklasse.",
            )
        )
    procestype = _procestype(zaaktype.get("selectielijstProcestype"))
    seen: dict[str, int] = {}
    for body, path in zip(resultaattypen, result_paths, strict=True):
        omschrijving = str(body.get("omschrijving"))
        if omschrijving in seen:
            found.append(
                Finding(
                    "KF-Z028",
                    (*path, "titel"),
                    f"twee resultaten heten '{omschrijving}'; Open Zaak eist een unieke "
                    "omschrijving per zaaktype.",
                    "Geef elk resultaat een eigen titel.",
                )
            )
        seen[omschrijving] = 1
        if not body.get("selectielijstklasse"):
            found.append(
                Finding(
                    "KF-Z023",
                    path,
                    "dit resultaat heeft geen selectielijstklasse; Open Zaak publiceert "
                    "een zaaktype alleen als elk resultaattype er een heeft.",
                    'Voeg toe: selectielijstklasse: "13.1" (of een andere klasse van '
                    "procestype 13, Selectielijst gemeenten 2020).",
                )
            )
            continue
        klasse = _klasse(body.get("selectielijstklasse"))
        row = _selectielijst.ROWS.get(klasse or "")
        if (
            klasse is not None
            and procestype is not None
            and row is not None
            and row.procestype != procestype
        ):
            found.append(
                Finding(
                    "KF-Z025",
                    (*path, "selectielijstklasse"),
                    f"selectielijstklasse {klasse} hoort niet bij procestype "
                    f"{procestype} van het zaaktype (procestype-mismatch).",
                    "Kies een klasse van het procestype van het zaaktype.",
                )
            )
        brondatum = body.get("brondatumArchiefprocedure")
        if not brondatum:
            if body.get("archiefnominatie") != "blijvend_bewaren":
                found.append(
                    Finding(
                        "KF-Z026",
                        path,
                        "brondatumArchiefprocedure ontbreekt; die is verplicht tenzij de "
                        "archiefnominatie blijvend_bewaren is.",
                        None,
                    )
                )
            continue
        for subfield, problem in check_brondatum(brondatum):
            wording = (
                "moet ingevuld zijn" if problem == "required" else "moet leeg zijn"
            )
            found.append(
                Finding(
                    "KF-Z026",
                    path,
                    f"brondatumArchiefprocedure.{subfield} {wording} bij afleidingswijze "
                    f"'{brondatum.get('afleidingswijze')}' ({problem}).",
                    "Volg de afleidingsregels van Open Zaak (AFLEIDINGSWIJZE_VALIDATION_RULES).",
                )
            )
        if (
            row is not None
            and row.procestermijn == "nihil"
            and brondatum.get("afleidingswijze") != "afgehandeld"
        ):
            found.append(
                Finding(
                    "KF-Z029",
                    (*path, "selectielijstklasse"),
                    f"bij procestermijn 'nihil' (klasse {row.klasse}) moet de "
                    "afleidingswijze 'afgehandeld' zijn.",
                    None,
                )
            )
    if zaaktype.get("verlengingMogelijk") and not zaaktype.get("verlengingstermijn"):
        found.append(
            Finding(
                "KF-Z027",
                term_path,
                "verlengingMogelijk is waar, maar er is geen verlengingstermijn "
                "(verlenging-mismatch).",
                "Geef de termijn een verlenging met maximaal: ...",
            )
        )
    return found
