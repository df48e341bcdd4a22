"""The structure of the procedure language, declared once.

This table is the single source for three things: the structural checks of
the loader (unknown keys, missing keys, wrong types, each with a Dutch message
and file:line:column), the published JSON Schema (``klachtflow schema``) and
the generated YAML reference in the docs (:mod:`.reference`). Semantic checks
(references, the graph, legal consistency) live in :mod:`.checks`; the types
used here in :mod:`._types`.
"""

from __future__ import annotations

from typing import Any

from klachtflow.definition._spec_notices import BRIEF, WIJS_TOE
from klachtflow.definition._spec_zgw import ZGW
from klachtflow.definition._types import (
    INVALID,
    NAME_PATTERN,
    REGISTRY,
    Boolean,
    Date,
    DurationType,
    Integer,
    Key,
    ListOf,
    MapOf,
    Name,
    Obj,
    Ref,
    Report,
    Scalar,
    Text,
)
from klachtflow.definition.model import BWB_PATTERN, GENERIC_ROLE_DESCRIPTIONS

__all__ = [
    "INVALID",
    "NAME_PATTERN",
    "SCHEMA_VERSIONS",
    "SLUG_PATTERN",
    "SPEC",
    "json_schema",
    "validate",
]

SLUG_PATTERN = r"^[a-z][a-z0-9_-]*$"
SCHEMA_VERSIONS = ("klachtflow/1",)

# --------------------------------------------------------------------------- the language

GRONDSLAG = Obj(
    "grondslag",
    "grondslag",
    (
        Key(
            "wet",
            Text(),
            "Afkorting, volledige naam of BWB-id van de wet, bijv. Awb, Wkkgz of "
            "'Wet kwaliteit, klachten en geschillen zorg'.",
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
        Key(
            "voor",
            Scalar(),
            "Een datum moet vóór deze datum liggen, of vóór de datum in dit gegeven "
            "(bijv. datum_gedraging voor datum_ontvangst met marge 1 jaar: Awb 9:8 lid 1 "
            "onder b).",
        ),
        Key(
            "na",
            Scalar(),
            "Een datum moet na deze datum liggen, of na de datum in dit gegeven.",
        ),
        Key(
            "marge",
            DurationType(),
            "Bij voor/na: zoveel eerder of later, bijv. '1 jaar'.",
        ),
        Key(
            "gelijk_aan_veld",
            Name(),
            "Het gegeven moet dezelfde waarde hebben als dit andere gegeven.",
        ),
        Key(
            "anders_dan_veld",
            Name(),
            "Het gegeven moet een andere waarde hebben dan dit andere gegeven "
            "(bijv. het oordeel wijkt af van het advies).",
        ),
    ),
    one_of=("is", "in", "aanwezig", "voor", "na", "gelijk_aan_veld", "anders_dan_veld"),
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
            "wie_alleen_als",
            MapOf(ListOf(Ref("controle"), single=False)),
            "Per rol uit 'wie': die rol mag alleen als deze controles slagen, bijv. de "
            "Secretaris-Generaal alleen bij een klacht over de Inspecteur-Generaal "
            "(routering naar de functie van de beklaagde).",
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
        Key(
            "pas_na_verstrijken",
            _TERM_NAMES,
            "Niet zolang een van deze termijnen nog loopt en niet verstreken is (bijv. "
            "de ombudsman als de afhandeltermijn voorbij is, Awb 9:24 lid 1 onder b).",
        ),
        Key(
            "alleen_voor_verstrijken",
            _TERM_NAMES,
            "Alleen zolang een van deze termijnen loopt en nog niet verstreken is (bijv. "
            "verlengen vóór het einde, Wkkgz 17 lid 2).",
        ),
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
        Key(
            "wijs_toe",
            WIJS_TOE,
            "Wijst een persoon toe die de zaak in een rol behandelt (bijv. de "
            "behandelaar, Awb 9:7 lid 1); opnieuw uitvoeren wijst opnieuw toe.",
        ),
        Key(
            "wie_toegewezen",
            ListOf(Name()),
            "Rollen uit 'wie' waarin alleen de toegewezen persoon deze actie mag "
            "uitvoeren (zie wijs_toe).",
        ),
        Key(
            "brief",
            BRIEF,
            "De brief of mededeling die deze actie verstuurt: aan wie, schriftelijk, "
            "inhoud en bijlagen; het versturen wordt als brief vastgelegd.",
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
            ListOf(Name()),
            "De actie (of acties) waarmee de termijn wordt verlengd. Bij meer acties "
            "geldt het maximum voor alle verlengingen samen.",
            required=True,
        ),
        Key(
            "melden_aan", ListOf(Name()), "Wie van de verlenging bericht moet krijgen."
        ),
        Key(
            "ook_na_verstrijken",
            Boolean(),
            "true: verlengen mag ook nadat de termijn verstreken is. Alleen waar de wet "
            "zwijgt (Awb 9:11 lid 2, 7:10 lid 3); standaard nee. Niet bij Wkkgz 17 lid 2, "
            "dat melding vóór het verstrijken eist.",
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
            "loopt_door_na_einde",
            Boolean(),
            "true als de termijn blijft lopen wanneer de zaak een eindstatus bereikt; "
            "standaard stopt hij dan (tenzij hij juist daar begint).",
        ),
        Key(
            "waarschuwing",
            DurationType(),
            "Hoe lang vooraf gewaarschuwd wordt, bijv. '5 werkdagen'.",
        ),
        Key(
            "waarschuwing_aan",
            ListOf(Name()),
            "De rol(len) die de waarschuwing krijgen, bijv. de klachtencoördinator "
            "die de voortgang bewaakt. Alleen samen met 'waarschuwing'.",
        ),
        Key(
            "atw",
            Boolean(),
            "Of de Algemene termijnenwet geldt; weglaten = afgeleid uit de grondslag: "
            "een wettelijke termijn ja, een termijn van de eigen regeling nee (Atw art 1), "
            "en nooit bij uren, jaren of meer dan 12 weken (Atw art 4).",
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
            "Eigen sluitingsdagen bovenop de weekenden en de algemeen erkende "
            "feestdagen (alleen voor lokale werkdagtermijnen).",
        ),
        Key(
            "goede_vrijdag",
            Boolean(),
            "true als Goede Vrijdag geen werkdag is. De Atw stelt hem alleen voor "
            "wettelijke termijnen met een feestdag gelijk (art 3 lid 2); standaard nee.",
        ),
        Key(
            "gelijkgestelde_dagen",
            Boolean(),
            "true als ook de bij koninklijk besluit gelijkgestelde dagen (Atw art 3 "
            "lid 3, bijv. 2 januari 2026) geen werkdag zijn. Die gelden alleen voor "
            "wettelijke termijnen; standaard nee.",
        ),
    ),
)

MIGRATIE = Obj(
    "migratie",
    "migratie",
    (
        Key(
            "wie",
            ListOf(Name()),
            "De (organisatie)rollen die een lopende zaak naar deze versie mogen "
            "overzetten; zonder deze sleutel mag niemand dat.",
            required=True,
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
        Key(
            "migratie",
            Ref("migratie"),
            "Wie lopende zaken naar deze procedureversie mag overzetten.",
        ),
        Key(
            "zgw",
            ZGW,
            "Wat een ZGW-catalogus (Open Zaak) nodig heeft en de procedure zelf niet zegt.",
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
    defs = {name: obj.definition() for name, obj in sorted(REGISTRY.items())}
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
