"""The ``wijs_toe`` and ``brief`` blocks of an action: the assigned handler and
the letter it sends (issue #17 items 3 and 6). Part of the one language table in
:mod:`._spec`; the model is in :mod:`.notices`.
"""

from __future__ import annotations

from klachtflow.definition._types import (
    Boolean,
    Key,
    ListOf,
    MapOf,
    Name,
    Obj,
    Ref,
    Text,
)

__all__ = ["BRIEF", "VEREIST_ALS", "WIJS_TOE"]

WIJS_TOE = Obj(
    "toewijzing",
    "toewijzing",
    (
        Key(
            "rol",
            Name(),
            "De organisatierol die de toegewezen persoon in deze zaak vervult "
            "(bijv. behandelaar); acties met 'wie_toegewezen: [rol]' mag in die rol "
            "alleen deze persoon uitvoeren.",
            required=True,
        ),
        Key(
            "veld",
            Name(),
            "Het gegeven (type tekst) dat de id van de toegewezen persoon bevat; alleen "
            "deze actie mag het zetten, en opnieuw uitvoeren wijst opnieuw toe.",
            required=True,
        ),
        Key(
            "grondslag",
            ListOf(Ref("grondslag")),
            "Grondslag van de toewijzing, bijv. Awb 9:7 lid 1.",
        ),
    ),
)

VEREIST_ALS = Obj(
    "vereist_als",
    "vereist als",
    (
        Key(
            "uitgevoerd",
            ListOf(Name()),
            "Alleen als een van deze acties in de zaak is uitgevoerd (de gevolgde route, "
            "bijv. breng_advies_uit).",
        ),
        Key(
            "controles",
            ListOf(Ref("controle"), single=False),
            "Alleen als deze controles op de gegevens van de zaak slagen.",
        ),
    ),
)

BRIEF = Obj(
    "brief",
    "brief of mededeling",
    (
        Key("titel", Text(), "Naam van de brief, bijv. ontvangstbevestiging."),
        Key(
            "aan",
            ListOf(Name()),
            "De rollen aan wie de brief gaat (bijv. klager, beklaagde).",
            required=True,
        ),
        Key(
            "schriftelijk",
            Boolean(),
            "true als de brief schriftelijk moet zijn (bijv. Awb 9:6, 9:12 lid 1).",
        ),
        Key(
            "inhoud",
            ListOf(Name()),
            "Wat de brief moet bevatten (bijv. bevindingen, oordeel, conclusies, "
            "verwijzing_ombudsman); bij het versturen opgegeven en vastgelegd.",
        ),
        Key(
            "bijlagen",
            ListOf(Name()),
            "Wat de brief moet meesturen (bijv. advies_commissie, Awb 9:15 lid 4).",
        ),
        Key(
            "bijlagen_vereist_als",
            MapOf(Ref("vereist_als")),
            "Per bijlage uit 'bijlagen': alleen vereist op deze route, bijv. het advies "
            "van de commissie alleen als die advies uitbracht.",
        ),
        Key(
            "vereist_als",
            Ref("vereist_als"),
            "De brief is alleen vereist op deze route; anders mag hij worden meegegeven.",
        ),
        Key(
            "grondslag",
            ListOf(Ref("grondslag")),
            "Grondslag van de brief, bijv. Awb 9:12 lid 1.",
        ),
    ),
)
