"""The Selectielijst gemeenten 2020 rows for procestype 13, "Geschillen behandelen".

Source: VNG-Realisatie/referentielijsten-api, ``data/json/procestypen.json`` and
``data/json/resultaten.json`` (summarised in ``shared/reference/zgw/README.md``).
Every row has procestermijn ``nihil``, except 13.1.3 (``blijvend_bewaren``, no
procestermijn). The URLs of the rows are not listed here: they differ per
Selectielijst installation, so :mod:`klachtflow.zgw.publish` looks them up by
number in the Selectielijst API whose base URL the host gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

__all__ = ["PROCESTYPE", "ROWS", "SelectielijstRow"]

#: The procestype number of complaints, objections and appeals.
PROCESTYPE = 13


@attrs.frozen
class SelectielijstRow:
    """One RESULTAAT of the Selectielijst: its class, name and retention."""

    klasse: str
    naam: str
    omschrijving: str
    waardering: str
    bewaartermijn: str | None
    procestermijn: str

    @property
    def procestype(self) -> int:
        """The procestype number the class belongs to (13 for "13.1.2")."""
        return int(self.klasse.split(".")[0])


ROWS: Mapping[str, SelectielijstRow] = MappingProxyType(
    {
        row.klasse: row
        for row in (
            SelectielijstRow("13.1", "Afgehandeld", "", "vernietigen", "P5Y", "nihil"),
            SelectielijstRow(
                "13.1.1",
                "Afgehandeld",
                "Geschil met financiële consequenties",
                "vernietigen",
                "P7Y",
                "nihil",
            ),
            SelectielijstRow(
                "13.1.2",
                "Afgehandeld",
                "Klacht afgehandeld via ombudsman",
                "vernietigen",
                "P10Y",
                "nihil",
            ),
            SelectielijstRow(
                "13.1.3",
                "Afgehandeld",
                "Geschil met invloed op een te bewaren zaak",
                "blijvend_bewaren",
                None,
                "",
            ),
            SelectielijstRow(
                "13.1.4",
                "Afgehandeld",
                "Niet ontvankelijk geschil",
                "vernietigen",
                "P1Y",
                "nihil",
            ),
            SelectielijstRow(
                "13.1.5",
                "Afgehandeld",
                "Geschil met invloed op waardering WOZ",
                "vernietigen",
                "P12Y",
                "nihil",
            ),
            SelectielijstRow("13.2", "Afgebroken", "", "vernietigen", "P1Y", "nihil"),
        )
    }
)
