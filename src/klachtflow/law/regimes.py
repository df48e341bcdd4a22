"""The four regimes as data: Awb hoofdstuk 9, bezwaar, Wkkgz, Jeugdwet 4.2.1.

Each obligation cites its article as verified in ``shared/reference/law.md``
(version 2026-01-01); readings where the text is silent carry
``interpretation=True`` (🔶 there) and say so in their fix text.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

import attrs

from klachtflow.law.model import (
    ALL_LAYERS,
    CHECK_AUDIT,
    CHECK_ONLY,
    Bound,
    Citation,
    Committee,
    Consent,
    Content,
    Extension,
    ExtensionNotice,
    FurtherDelay,
    Ground,
    GroundList,
    Hearing,
    HearingReport,
    Layer,
    Letter,
    NotApplicable,
    Obligation,
    Ombudsman,
    Progress,
    Registration,
    RoleLimit,
    Separation,
    Span,
    Start,
    Step,
    Suspension,
    Term,
    TimingRule,
)

__all__ = ["AWB", "JW", "REGIMES", "WKKGZ", "Regime", "regime"]

_O = TypeVar("_O", bound=Obligation)

AWB = "BWBR0005537"
WKKGZ = "BWBR0037173"
JW = "BWBR0034925"


def awb(artikel: str, lid: int | None = None, onderdeel: str | None = None) -> Citation:
    """An Awb article."""
    return Citation(AWB, artikel, lid, onderdeel, wet="Awb")


def wkkgz(artikel: str, lid: int | None = None) -> Citation:
    """A Wkkgz article."""
    return Citation(WKKGZ, artikel, lid, wet="Wkkgz")


def jw(
    lid: int | None = None, onderdeel: str | None = None, artikel: str = "4.2.1"
) -> Citation:
    """A Jeugdwet article (4.2.1 unless named)."""
    return Citation(JW, artikel, lid, onderdeel, wet="Jeugdwet")


@attrs.frozen
class Regime:
    """One regime: its name (as in YAML ``regime``), title and obligations."""

    name: str
    title: str
    obligations: tuple[Obligation, ...]

    def of(self, kind: type[_O]) -> tuple[_O, ...]:
        """The obligations of one kind."""
        return tuple(o for o in self.obligations if isinstance(o, kind))

    def coverage(self) -> dict[str, int]:
        """How many obligations there are, and how many each layer enforces."""
        out = {"verplichtingen": len(self.obligations)}
        for layer in Layer:
            out[layer.value] = sum(layer in o.layers for o in self.obligations)
        return out


# --------------------------------------------------------------------------- Awb 9

_HANDLING_9 = (
    awb("9:5"),  # resolving it informally for the organisation
    awb("9:7", 1),  # choosing who handles it
    awb("9:8"),  # refusing handling, referring to bezwaar
    awb("9:9"),  # investigating (the copy to the beklaagde)
    awb("9:10"),  # hearing, or deciding not to
    awb("9:12"),  # deciding
    awb("9:15"),  # advising
)
_COMMITTEE_9 = (awb("9:13"), awb("9:14"))

AWB9 = Regime(
    "awb9",
    "Klachtbehandeling door een bestuursorgaan (Awb hoofdstuk 9)",
    (
        Step(
            code="AWB-9:6-01",
            citation=awb("9:6"),
            title="Ontvangstbevestiging",
            fix="Voeg een actie toe die de ontvangst schriftelijk bevestigt, met grondslag Awb 9:6.",
            layers=CHECK_AUDIT,
        ),
        Separation(
            code="AWB-9:7-01",
            citation=awb("9:7", 1),
            title="Behandelaar niet betrokken",
            fix="Geef elke actie van behandeling (informeel oplossen, behandelaar kiezen, niet "
            "behandelen, doorverwijzen, afschrift, horen, adviseren, afhandelen) "
            "'scheiding: [{niet_partij: beklaagde}]'.",
            acts=_HANDLING_9,
            exception=awb("9:7", 2),
            layers=ALL_LAYERS,
        ),
        GroundList(
            code="AWB-9:8-02",
            citation=awb("9:8"),
            title="Gesloten lijst van gronden om niet te behandelen",
            fix="Leg de grond vast als keuzegegeven met alleen de gronden van Awb 9:8 lid 1 "
            "onder a-f en lid 2.",
            grounds=(
                Ground(
                    "eerder_behandeld",
                    "1a",
                    "al eerder behandeld",
                    ("eerder", "al_behandeld"),
                ),
                Ground(
                    "ouder_dan_een_jaar",
                    "1b",
                    "langer dan een jaar voor indiening",
                    ("jaar",),
                ),
                Ground(
                    "bezwaar_mogelijk", "1c", "bezwaar kon worden gemaakt", ("bezwaar",)
                ),
                Ground(
                    "beroep_mogelijk", "1d", "beroep staat of stond open", ("beroep",)
                ),
                Ground(
                    "bij_rechter",
                    "1e",
                    "ligt voor bij een rechter",
                    ("rechter", "rechtbank"),
                ),
                Ground(
                    "strafrechtelijk_onderzoek",
                    "1f",
                    "strafrechtelijk onderzoek",
                    ("straf",),
                ),
                Ground(
                    "onvoldoende_belang",
                    "2",
                    "belang of gewicht kennelijk onvoldoende",
                    ("onvoldoende", "gewicht"),
                ),
            ),
            layers=ALL_LAYERS,
        ),
        Term(
            code="AWB-9:8-01",
            citation=awb("9:8", 3),
            title="Niet behandelen binnen vier weken",
            fix="Geef een termijn van ten hoogste '4 weken' na ontvangst met grondslag Awb 9:8 lid 3.",
            lengths=(Span(4, "weken"),),
            start=Start.RECEIPT,
            only_if_cited=(awb("9:8", 1), awb("9:8", 2)),
            layers=CHECK_AUDIT,
        ),
        Letter(
            code="AWB-9:8-03",
            citation=awb("9:8", 3),
            title="Mededeling van niet behandelen",
            fix="Laat de mededeling de grond en de verwijzing naar de ombudsman vastleggen "
            "(Awb 9:8 lid 3 verklaart 9:12 lid 2 van toepassing).",
            contents=(
                Content("de grond", ("grond",)),
                Content("de verwijzing naar de ombudsman", ("ombudsman",)),
            ),
            acts=(awb("9:8", 3),),
            required=False,
            layers=ALL_LAYERS,
        ),
        Step(
            code="AWB-9:9-01",
            citation=awb("9:9"),
            title="Afschrift aan beklaagde",
            fix="Voeg een actie toe die de beklaagde een afschrift stuurt, met grondslag Awb 9:9.",
        ),
        Hearing(
            code="AWB-9:10-01",
            citation=awb("9:10", 1),
            title="Horen",
            fix="Voeg een actie toe waarin klager en beklaagde worden gehoord (Awb 9:10 lid 1).",
            waiver=awb("9:10", 2),
        ),
        GroundList(
            code="AWB-9:10-02",
            citation=awb("9:10", 2),
            title="Afzien van horen alleen op een grond van de wet",
            fix="Leg de grond vast als keuzegegeven met alleen: kennelijk_ongegrond, "
            "klager_ziet_af, geen_reactie_binnen_termijn (Awb 9:10 lid 2 onder a-c).",
            grounds=(
                Ground(
                    "kennelijk_ongegrond",
                    "a",
                    "de klacht is kennelijk ongegrond",
                    ("ongegrond",),
                ),
                Ground(
                    "klager_ziet_af",
                    "b",
                    "de klager heeft verklaard geen gebruik te maken van het recht gehoord te worden",
                    ("ziet_af", "afgezien", "afstand", "geen_gebruik"),
                ),
                Ground(
                    "geen_reactie_binnen_termijn",
                    "c",
                    "de klager heeft niet binnen de gestelde termijn verklaard gehoord te willen worden",
                    ("geen_reactie", "niet_gereageerd"),
                ),
            ),
            layers=ALL_LAYERS,
        ),
        HearingReport(
            code="AWB-9:10-03",
            citation=awb("9:10", 3),
            title="Verslag van het horen",
            fix="Laat de actie waarin wordt gehoord een verslag vastleggen (vereist: [hoorverslag]).",
            hearing=(awb("9:10", 1), awb("9:15")),
            layers=ALL_LAYERS,
        ),
        Term(
            code="AWB-9:11-01",
            citation=awb("9:11", 1),
            title="Afhandeltermijn",
            fix="Geef een fatale termijn van ten hoogste '6 weken' na ontvangst (of '10 weken' met "
            "een klachtadviescommissie) met grondslag Awb 9:11 lid 1.",
            lengths=(Span(6, "weken"),),
            with_committee=Span(10, "weken"),
            committee=_COMMITTEE_9,
            start=Start.RECEIPT,
            layers=CHECK_AUDIT,
        ),
        Extension(
            code="AWB-9:11-02",
            citation=awb("9:11", 2),
            title="Verdaging ten hoogste vier weken",
            fix="Beperk 'verlenging.maximaal' tot '4 weken' (in totaal).",
            term=awb("9:11", 1),
            maximum=Span(4, "weken"),
            layers=ALL_LAYERS,
        ),
        ExtensionNotice(
            code="AWB-9:11-04",
            citation=awb("9:11", 2),
            title="Mededeling van de verdaging",
            fix="Zet 'melden_aan: [klager, beklaagde]' bij de verlenging; de engine weigert een "
            "verdaging nadat de termijn verstreken is (keuze: de wet zegt niet wanneer, zie "
            "Wkkgz 17 lid 2).",
            term=awb("9:11", 1),
            notify=("klager", "beklaagde"),
            before_expiry_statutory=False,
            interpretation=True,
            layers=ALL_LAYERS,
        ),
        FurtherDelay(
            code="AWB-9:11-03",
            citation=awb("9:11", 3),
            title="Verder uitstel met schriftelijke instemming",
            fix="Geef 'verder_uitstel' met 'instemming_van: [klager]' en 'schriftelijk: true'.",
            term=awb("9:11", 1),
            layers=ALL_LAYERS,
        ),
        Letter(
            code="AWB-9:12-01",
            citation=awb("9:12"),
            title="Afhandeling schriftelijk en gemotiveerd",
            fix="Laat de afhandeling bevindingen, oordeel, conclusies en de verwijzing naar de "
            "ombudsman (met de termijn van een jaar) vastleggen en naar een eindstatus leiden.",
            contents=(
                Content("bevindingen", ("bevinding",)),
                Content("oordeel", ("oordeel",)),
                Content("conclusies", ("conclusie",)),
                Content("verwijzing naar de ombudsman", ("ombudsman",)),
            ),
            closes=True,
            recipients=("klager", "beklaagde"),
            layers=ALL_LAYERS,
        ),
        Registration(
            code="AWB-9:12a-01",
            citation=awb("9:12a"),
            title="Registratie",
            fix="Vul 'registratie.categorieen' zodat klachten geregistreerd en jaarlijks "
            "gepubliceerd kunnen worden.",
            severity="waarschuwing",
        ),
        Committee(
            code="AWB-9:15-01",
            citation=awb("9:15"),
            title="Klachtadviescommissie: eigen termijn, hoort zelf",
            fix="Geef de route met de commissie een termijn van ten hoogste '10 weken' (Awb 9:11 "
            "lid 1) en laat het advies het hoorverslag vastleggen (Awb 9:15).",
            recognised_by=_COMMITTEE_9,
            term=awb("9:11", 1),
            length=Span(10, "weken"),
            advice=awb("9:15"),
            departure=awb("9:16"),
        ),
        Consent(
            code="AWB-9:5-01",
            citation=awb("9:5"),
            title="Opgelost naar tevredenheid",
            fix="Geef de informele afsluiting 'instemming: {van: [klager]}'.",
        ),
        Ombudsman(
            code="AWB-9:20-01",
            citation=awb("9:20"),
            title="Ombudsman na de klachtbehandeling of als die te laat is",
            fix="Laat de verwijzing naar de ombudsman vertrekken vanuit een eindstatus, of vanuit "
            "de behandeling met 'alleen_na_verstrijken' van de afhandeltermijn (Awb 9:24 lid 1 "
            "onder b).",
            route=(awb("9:18"), awb("9:20")),
            term=awb("9:24", 1),
            length=Span(1, "jaren"),
            overdue=awb("9:11", 1),
        ),
        Term(
            code="AWB-9:24-01",
            citation=awb("9:24", 1),
            title="Een jaar voor de ombudsman",
            fix="Geef een termijn van '1 jaar' na de afhandeling met grondslag Awb 9:24 lid 1.",
            lengths=(Span(1, "jaren"),),
            bound=Bound.EXACT,
            start=Start.CLOSING,
            fatal=False,
            atw=False,
            only_if_cited=(awb("9:18"), awb("9:20")),
        ),
    ),
)

# --------------------------------------------------------------------------- bezwaar

BEZWAAR = Regime(
    "bezwaar",
    "Bezwaar (Awb 6:7-7:15) en dwangsom (Awb 4:17)",
    (
        Term(
            code="BZW-6:7-01",
            citation=awb("6:7"),
            title="Bezwaartermijn",
            fix="Geef een termijn van '6 weken' vanaf de dag na de bekendmaking met grondslag "
            "Awb 6:7 en 6:8.",
            lengths=(Span(6, "weken"),),
            bound=Bound.EXACT,
            start=Start.PUBLICATION,
        ),
        Term(
            code="BZW-7:10-01",
            citation=awb("7:10", 1),
            title="Beslistermijn",
            fix="Geef een termijn van ten hoogste '6 weken' (of '12 weken' met een adviescommissie "
            "als bedoeld in Awb 7:13) met 'start: [{termijn_verstreken: <bezwaartermijn>}]'.",
            lengths=(Span(6, "weken"),),
            with_committee=Span(12, "weken"),
            committee=(awb("7:13"),),
            start=Start.AFTER_TERM,
            after=awb("6:7"),
            layers=CHECK_AUDIT,
        ),
        Suspension(
            code="BZW-7:10-02",
            citation=awb("7:10", 2),
            title="Opschorting bij herstel verzuim",
            fix="Maak de beslistermijn 'opschortbaar: true' en laat een actie haar opschorten.",
            term=awb("7:10", 1),
        ),
        Extension(
            code="BZW-7:10-03",
            citation=awb("7:10", 3),
            title="Verdaging ten hoogste zes weken",
            fix="Beperk 'verlenging.maximaal' tot '6 weken'.",
            term=awb("7:10", 1),
            maximum=Span(6, "weken"),
            layers=ALL_LAYERS,
        ),
        FurtherDelay(
            code="BZW-7:10-04",
            citation=awb("7:10", 4),
            title="Verder uitstel met instemming",
            fix="Geef 'verder_uitstel' met 'instemming_van' de indiener en de belanghebbenden "
            "(Awb 7:10 lid 4 onder a).",
            term=awb("7:10", 1),
            consent_of=("klager", "belanghebbenden"),
            written=False,
            layers=ALL_LAYERS,
        ),
        ExtensionNotice(
            code="BZW-7:10-05",
            citation=awb("7:10", 5),
            title="Mededeling aan belanghebbenden",
            fix="Zet alle belanghebbenden (de indiener en de overige belanghebbenden) in "
            "'melden_aan' van de verlenging.",
            term=awb("7:10", 1),
            notify=("klager", "belanghebbenden"),
            before_expiry_statutory=False,
            interpretation=True,
            layers=ALL_LAYERS,
        ),
        Hearing(
            code="BZW-7:2-01",
            citation=awb("7:2", 1),
            title="Horen",
            fix="Voeg een actie toe waarin belanghebbenden worden gehoord, met grondslag Awb 7:2.",
            waiver=awb("7:3"),
            parties=("klager", "belanghebbenden"),
        ),
        GroundList(
            code="BZW-7:3-01",
            citation=awb("7:3"),
            title="Afzien van horen alleen op een grond van Awb 7:3",
            fix="Leg de grond vast als keuzegegeven met alleen de gronden van Awb 7:3 onder a-e.",
            grounds=(
                Ground(
                    "kennelijk_niet_ontvankelijk",
                    "a",
                    "kennelijk niet-ontvankelijk",
                    ("niet_ontvankelijk",),
                ),
                Ground(
                    "kennelijk_ongegrond", "b", "kennelijk ongegrond", ("ongegrond",)
                ),
                Ground(
                    "afgezien",
                    "c",
                    "belanghebbenden zien af van horen",
                    ("afgezien", "ziet_af", "afstand"),
                ),
                Ground(
                    "geen_reactie",
                    "d",
                    "niet binnen de termijn gereageerd",
                    ("geen_reactie",),
                ),
                Ground(
                    "volledig_tegemoetgekomen",
                    "e",
                    "aan het bezwaar wordt volledig tegemoetgekomen",
                    ("tegemoet",),
                ),
            ),
            layers=ALL_LAYERS,
        ),
        HearingReport(
            code="BZW-7:7-01",
            citation=awb("7:7"),
            title="Verslag van het horen",
            fix="Laat de actie waarin wordt gehoord een verslag vastleggen (vereist: [hoorverslag]).",
            hearing=(awb("7:2", 1),),
            layers=ALL_LAYERS,
        ),
        Separation(
            code="BZW-7:5-01",
            citation=awb("7:5", 1),
            title="Horen door wie niet voorbereidde",
            fix="Geef een partij-rol voor de voorbereider (grondslag Awb 7:5) en sluit die uit "
            "bij horen en beslissen.",
            acts=(awb("7:2", 1), awb("7:11")),
            respondent=awb("7:5"),
            layers=ALL_LAYERS,
        ),
        Letter(
            code="BZW-7:12-01",
            citation=awb("7:12"),
            title="Beslissing op bezwaar met motivering",
            fix="Laat de beslissing op bezwaar de beslissing en de motivering vastleggen.",
            contents=(
                Content("beslissing", ("beslissing",)),
                Content("motivering", ("motiver",)),
            ),
            acts=(awb("7:11"), awb("7:12")),
            closes=True,
            recipients=("klager", "belanghebbenden"),
            layers=ALL_LAYERS,
        ),
        Committee(
            code="BZW-7:13-01",
            citation=awb("7:13"),
            title="Adviescommissie: eigen termijn, hoort zelf",
            fix="Geef de route met de adviescommissie een beslistermijn van ten hoogste '12 weken' "
            "en laat het advies het hoorverslag vastleggen (Awb 7:13).",
            recognised_by=(awb("7:13"),),
            term=awb("7:10", 1),
            length=Span(12, "weken"),
            advice=awb("7:13"),
            departure=awb("7:13", 7),
        ),
        Term(
            code="BZW-4:17-02",
            citation=awb("4:17", 3),
            title="Twee weken na de ingebrekestelling",
            fix="Geef de wachttijd na de ontvangst van de ingebrekestelling precies '2 weken' "
            "(Awb 4:17 lid 3).",
            lengths=(Span(2, "weken"),),
            bound=Bound.EXACT,
            start=Start.DEFAULT_NOTICE,
            interpretation=True,  # whether the Atw extends these two weeks (law.md 🔶)
            only_if_cited=(awb("4:17", 1),),
        ),
        Term(
            code="BZW-4:17-01",
            citation=awb("4:17", 1),
            title="Dwangsom: 42 dagen zonder Atw",
            fix="Geef een dwangsomtermijn van '42 dagen' met 'atw: false' die begint als de "
            "twee weken na de ingebrekestelling verstreken zijn (Awb 4:17 lid 1 en 3).",
            lengths=(Span(42, "dagen"),),
            bound=Bound.EXACT,
            start=Start.AFTER_TERM,
            after=awb("4:17", 3),
            atw=False,
            severity="waarschuwing",
        ),
        TimingRule(
            code="BZW-4:17-03",
            citation=awb("4:17", 3),
            title="Ingebrekestelling pas na de beslistermijn",
            fix="Geef de beslistermijn (Awb 7:10 lid 1) zodat de ingebrekestelling pas na het "
            "verstrijken ervan kan worden vastgelegd (Awb 4:17 lid 3, 6:12 lid 2).",
            act=awb("4:17", 3),
            term=awb("7:10", 1),
            after=True,
            layers=ALL_LAYERS,
        ),
    ),
)

# --------------------------------------------------------------------------- Wkkgz

WKKGZ_REGIME = Regime(
    "wkkgz",
    "Klachten en geschillen in de zorg (Wkkgz)",
    (
        Step(
            code="WKKGZ-14-01",
            citation=wkkgz("14"),
            title="Schriftelijke klacht",
            fix="Voeg een actie toe om schriftelijk te klagen (grondslag Wkkgz 14) die de datum vastlegt.",
            records=True,
        ),
        RoleLimit(
            code="WKKGZ-15-01",
            citation=wkkgz("15"),
            title="Klachtenfunctionaris beslist niet",
            fix="Geef een rol met grondslag Wkkgz 15 en laat die rol niet in 'wie' van de mededeling staan.",
            role=wkkgz("15"),
            acts=(wkkgz("17", 1),),
            layers=CHECK_AUDIT,
        ),
        Progress(
            code="WKKGZ-16-01",
            citation=wkkgz("16"),
            title="Klager op de hoogte houden",
            fix="Zet 'informeren: true' bij statussen of acties waarover de klager bericht krijgt.",
            severity="waarschuwing",
        ),
        Separation(
            code="WKKGZ-16-02",
            citation=wkkgz("16"),
            title="Onderzoek los van de beklaagde",
            fix="Geef de mededeling 'scheiding: [{niet_partij: beklaagde}]' (keuze: art 16 eist een "
            "zorgvuldig onderzoek, niet met zoveel woorden een andere behandelaar).",
            acts=(wkkgz("17", 1),),
            severity="waarschuwing",
            interpretation=True,
            layers=CHECK_ONLY,
        ),
        Term(
            code="WKKGZ-17-01",
            citation=wkkgz("17", 1),
            title="Mededeling binnen zes weken",
            fix="Geef een fatale termijn van ten hoogste '6 weken' na indiening met grondslag "
            "Wkkgz 17 lid 1.",
            lengths=(Span(6, "weken"),),
            start=Start.FILING,
            layers=CHECK_AUDIT,
        ),
        Extension(
            code="WKKGZ-17-02",
            citation=wkkgz("17", 2),
            title="Verlenging ten hoogste vier weken",
            fix="Beperk 'verlenging.maximaal' tot '4 weken' (in totaal).",
            term=wkkgz("17", 1),
            maximum=Span(4, "weken"),
            layers=ALL_LAYERS,
        ),
        ExtensionNotice(
            code="WKKGZ-17-04",
            citation=wkkgz("17", 2),
            title="Verlenging melden vóór het verstrijken",
            fix="Zet 'melden_aan: [klager]' bij de verlenging; de melding gaat vóór het "
            "verstrijken van de termijn.",
            term=wkkgz("17", 1),
            notify=("klager",),
            before_expiry_statutory=True,
            layers=ALL_LAYERS,
        ),
        FurtherDelay(
            code="WKKGZ-17-05",
            citation=wkkgz("17", 2),
            title="Geen verder uitstel in de Wkkgz",
            fix="Haal 'verder_uitstel' weg: art 17 kent geen uitstel voorbij de vier weken "
            "(keuze: ook niet met instemming).",
            term=wkkgz("17", 1),
            allowed=False,
            severity="waarschuwing",
            interpretation=True,
        ),
        Letter(
            code="WKKGZ-17-03",
            citation=wkkgz("17", 1),
            title="Inhoud van de mededeling",
            fix="Laat de mededeling oordeel, beslissingen en de termijn van de maatregelen "
            "vastleggen (vereist).",
            contents=(
                Content("oordeel", ("oordeel",)),
                Content("beslissingen", ("beslissing",)),
                Content("termijn van de maatregelen", ("termijn",)),
            ),
            layers=ALL_LAYERS,
        ),
        Step(
            code="WKKGZ-21-01",
            citation=wkkgz("21"),
            title="Geschilleninstantie",
            fix="Voeg een actie toe om het geschil voor te leggen (Wkkgz 21).",
        ),
        Term(
            code="WKKGZ-22-01",
            citation=wkkgz("22"),
            title="Uitspraak binnen zes maanden",
            fix="Geef de termijn van de geschilleninstantie '6 maanden' (Wkkgz 22 lid 1; een "
            "wettelijke termijn zonder Atw).",
            lengths=(Span(6, "maanden"),),
            bound=Bound.EXACT,
            start=Start.SUBMISSION,
            fatal=False,
            atw=False,
            required=False,
            layers=CHECK_AUDIT,
        ),
    ),
)

# --------------------------------------------------------------------------- Jeugdwet

JEUGDWET = Regime(
    "jeugdwet",
    "Klachten over jeugdhulp (Jeugdwet 4.2.1)",
    (
        RoleLimit(
            code="JW-4.2.1-01",
            citation=jw(2, "a"),
            title="Klachtencommissie oordeelt",
            fix="Geef een rol klachtencommissie (grondslag art 4.2.1 lid 2 onder a) en laat alleen "
            "die het oordeel geven (actie met grondslag lid 2 onder c).",
            role=jw(2, "a"),
            acts=(jw(2, "c"),),
            only=True,
        ),
        Separation(
            code="JW-4.2.1-02",
            citation=jw(2, "b"),
            title="Beklaagde neemt niet deel",
            fix="Geef horen en oordeel 'scheiding: [{niet_partij: beklaagde}]'.",
            acts=(jw(2, "c"), jw(2, "e")),
            layers=ALL_LAYERS,
        ),
        Term(
            code="JW-4.2.1-03",
            citation=jw(2, "c"),
            title="Termijn voor het oordeel (de regeling legt hem vast)",
            fix="Geef een termijn voor het oordeel met grondslag art 4.2.1 lid 2 onder c (de duur "
            "legt de regeling vast; de Atw geldt niet).",
            local_length=True,
            atw=False,
            start=Start.FILING,
            layers=CHECK_AUDIT,
        ),
        Hearing(
            code="JW-4.2.1-06",
            citation=jw(2, "e"),
            title="Klager en beklaagde lichten toe",
            fix="Voeg een actie toe waarin klager en beklaagde hun standpunt mondeling of "
            "schriftelijk toelichten (art 4.2.1 lid 2 onder e).",
        ),
        Letter(
            code="JW-4.2.1-07",
            citation=jw(2, "c"),
            title="Schriftelijk en gemotiveerd oordeel",
            fix="Laat het oordeel de uitkomst en de motivering vastleggen (art 4.2.1 lid 2 onder c).",
            contents=(
                Content("oordeel", ("oordeel",)),
                Content("motivering", ("motiver",)),
            ),
            recipients=("klager", "beklaagde"),
            layers=ALL_LAYERS,
        ),
        Term(
            code="JW-4.2.1-04",
            citation=jw(5),
            title="Maatregelen binnen een maand",
            fix="Geef een termijn van ten hoogste '1 maand' na ontvangst van het oordeel met "
            "grondslag art 4.2.1 lid 5.",
            lengths=(Span(1, "maanden"),),
            start=Start.JUDGEMENT,
            layers=CHECK_AUDIT,
        ),
        Letter(
            code="JW-4.2.1-08",
            citation=jw(5),
            title="Mededeling van de maatregelen",
            fix="Voeg een actie toe waarin de aanbieder meedeelt welke maatregelen hij neemt "
            "(vereist: [maatregelen]), met grondslag art 4.2.1 lid 5.",
            contents=(Content("maatregelen", ("maatregel",)),),
            layers=ALL_LAYERS,
        ),
        RoleLimit(
            code="JW-4.1.9-01",
            citation=jw(artikel="4.1.9"),
            title="Vertrouwenspersoon behandelt niet",
            fix="Haal de vertrouwenspersoon weg uit 'wie' van oordeel en maatregelen.",
            role=jw(artikel="4.1.9"),
            acts=(jw(2, "c"), jw(5)),
            role_required=False,
        ),
        NotApplicable(
            code="JW-4.2.1-05",
            citation=jw(8),
            title="Geen Awb titel 9.1",
            fix="Verwijs naar de Jeugdwet of de eigen regeling in plaats van Awb hoofdstuk 9.",
            bwb=AWB,
            prefix="9:",
            severity="waarschuwing",
        ),
    ),
)

#: The regimes by the name a procedure gives in ``regime``.
REGIMES: Mapping[str, Regime] = MappingProxyType(
    {r.name: r for r in (AWB9, BEZWAAR, WKKGZ_REGIME, JEUGDWET)}
)


def regime(name: str) -> Regime | None:
    """The regime called ``name``, or ``None``."""
    return REGIMES.get(name)
