"""The ``zgw`` block of the procedure language: what a ZGW catalogue needs.

Every key is a required ZaakType field of the Catalogi API that a procedure
cannot know, in its Dutch ZGW spelling, plus a few optional choices with
documented defaults. Part of the one language table in :mod:`._spec`.
"""

from __future__ import annotations

from klachtflow.definition._types import Boolean, Integer, Key, ListOf, Name, Obj, Text

__all__ = ["ZGW"]
ZGW = Obj(
    "zgw",
    "zgw",
    (
        Key(
            "identificatie",
            Text(),
            "Identificatie van het zaaktype in de catalogus (ten hoogste 50 tekens); standaard de naam.",
        ),
        Key(
            "omschrijving",
            Text(),
            "Omschrijving van het zaaktype (ten hoogste 80 tekens); standaard de titel.",
        ),
        Key("doel", Text(), "ZGW doel: wat de zaak moet bereiken.", required=True),
        Key(
            "aanleiding",
            Text(),
            "ZGW aanleiding: waarom een zaak van dit type ontstaat.",
            required=True,
        ),
        Key(
            "onderwerp",
            Text(),
            "ZGW onderwerp (ten hoogste 80 tekens), bijv. Klacht.",
            required=True,
        ),
        Key(
            "handeling_initiator",
            Text(),
            "ZGW handelingInitiator (ten hoogste 20 tekens), bijv. Indienen.",
            required=True,
        ),
        Key(
            "handeling_behandelaar",
            Text(),
            "ZGW handelingBehandelaar (ten hoogste 20 tekens), bijv. Behandelen.",
            required=True,
        ),
        Key(
            "verantwoordelijke",
            Text(),
            "De verantwoordelijke organisatie-eenheid (ten hoogste 50 tekens).",
            required=True,
        ),
        Key(
            "vertrouwelijkheidaanduiding",
            Text(
                enum=(
                    "openbaar",
                    "beperkt_openbaar",
                    "intern",
                    "zaakvertrouwelijk",
                    "vertrouwelijk",
                    "confidentieel",
                    "geheim",
                    "zeer_geheim",
                )
            ),
            "ZGW vertrouwelijkheidaanduiding van zaken van dit type.",
            required=True,
        ),
        Key(
            "indicatie_intern_of_extern",
            Text(enum=("intern", "extern")),
            "extern als de zaak door iemand buiten de organisatie begint (een klacht).",
            required=True,
        ),
        Key(
            "publicatie_indicatie",
            Boolean(),
            "true als zaken van dit type gepubliceerd worden.",
            required=True,
        ),
        Key(
            "referentieproces",
            Text(),
            "Naam van het referentieproces (ten hoogste 80 tekens).",
            required=True,
        ),
        Key(
            "doorlooptijd_termijn",
            Name(),
            "De termijn die de ZGW doorlooptijd geeft; standaard de termijn 'afhandeling'.",
        ),
        Key(
            "eindstatus",
            Text(),
            "Omschrijving van de ZGW eindstatus waarin alle eindstatussen samenkomen; standaard 'Afgehandeld'.",
        ),
        Key(
            "eigenschappen",
            ListOf(Name(), single=False, min_items=0),
            "Gegevens die als ZGW eigenschap meegaan; standaard de gegevens met waarden_uit.",
        ),
        Key(
            "selectielijst_jaar",
            Integer(minimum=2017),
            "Jaar van de Selectielijst gemeenten; standaard 2020.",
        ),
    ),
)
