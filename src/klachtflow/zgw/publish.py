"""Create a procedure's zaaktype and its parts through the Catalogi API, idempotently.

Order: the Selectielijst and Referentielijsten rows are looked up (their URLs
replace the export's placeholders), then the zaaktype, then its statustypen,
roltypen, resultaattypen and eigenschappen. Each resource is first looked for
(zaaktype by catalogus + identificatie + beginGeldigheid, the parts by their
zaaktype and omschrijving, volgnummer or naam); only what is missing is
created, so a second run, or a run after a failure halfway, creates nothing
twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from klachtflow.definition import Procedure
from klachtflow.exceptions import ZgwRequestRefused
from klachtflow.zgw._http import ZgwClient
from klachtflow.zgw.export import (
    DEFAULT_SELECTIELIJST_JAAR,
    PLACEHOLDER_PREFIX,
    CatalogusExport,
    export_catalogus,
)

__all__ = ["DEFAULT_SELECTIELIJST_API", "PublishReport", "Published", "publish"]

#: The public Selectielijst and Referentielijsten API that Open Zaak uses.
DEFAULT_SELECTIELIJST_API = "https://selectielijst.openzaak.nl/api/v1/"


@attrs.frozen
class Published:
    """One resource: its kind, its key (omschrijving, volgnummer, naam), URL, and whether new."""

    kind: str
    key: str
    url: str
    created: bool


@attrs.frozen
class PublishReport:
    """What :func:`publish` found and created, in creation order."""

    zaaktype: str
    resources: tuple[Published, ...]

    @property
    def created(self) -> tuple[Published, ...]:
        """The resources this run created."""
        return tuple(r for r in self.resources if r.created)

    @property
    def found(self) -> tuple[Published, ...]:
        """The resources that already existed."""
        return tuple(r for r in self.resources if not r.created)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form ``klachtflow zgw publiceer --format json`` prints."""
        return {
            "zaaktype": self.zaaktype,
            "aangemaakt": len(self.created),
            "gevonden": len(self.found),
            "resources": [
                {"soort": r.kind, "sleutel": r.key, "url": r.url, "nieuw": r.created}
                for r in self.resources
            ],
        }


def _selectielijst_urls(selectielijst: ZgwClient, jaar: int) -> dict[str, str]:
    """Placeholder → URL for the procestype 13 rows of the Selectielijst ``jaar``."""
    out: dict[str, str] = {}
    procestype_url = None
    for procestype in selectielijst.items("procestypen", jaar=str(jaar)):
        if procestype.get("nummer") == 13:
            procestype_url = str(procestype["url"])
            out[f"{PLACEHOLDER_PREFIX}selectielijst:{jaar}:procestype:13"] = (
                procestype_url
            )
    if procestype_url is not None:
        for row in selectielijst.items("resultaten", procesType=procestype_url):
            key = f"{PLACEHOLDER_PREFIX}selectielijst:{jaar}:resultaat:{row.get('volledigNummer')}"
            out[key] = str(row["url"])
    for row in selectielijst.items("resultaattypeomschrijvingen"):
        key = f"{PLACEHOLDER_PREFIX}referentielijsten:resultaattypeomschrijving:{row.get('omschrijving')}"
        out[key] = str(row["url"])
    return out


def _fill(body: Mapping[str, Any], urls: Mapping[str, str]) -> dict[str, Any]:
    """``body`` with each placeholder replaced; KeyError names one that is unknown."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if isinstance(value, str) and value.startswith(PLACEHOLDER_PREFIX):
            if value not in urls:
                msg = value
                raise KeyError(msg)
            out[key] = urls[value]
        else:
            out[key] = value
    return out


def publish(
    procedure: Procedure,
    *,
    catalogi: ZgwClient,
    selectielijst: ZgwClient,
    catalogus: str,
    api_version: str = "1.3",
) -> PublishReport:
    """Create ``procedure``'s zaaktype in ``catalogus``; find what is already there.

    Raises :class:`~klachtflow.exceptions.ZgwExportRefused` before any
    request when the procedure cannot be a zaaktype, and
    :class:`~klachtflow.exceptions.ZgwUnreachable` /
    :class:`~klachtflow.exceptions.ZgwRequestRefused` when an API fails; a
    new run then continues where this one stopped.
    """
    exported = export_catalogus(procedure, catalogus=catalogus, api_version=api_version)
    settings = procedure.zgw
    jaar = (
        settings.selectielijst_jaar if settings else None
    ) or DEFAULT_SELECTIELIJST_JAAR
    urls = _selectielijst_urls(selectielijst, jaar)
    resources: list[Published] = []
    try:
        zaaktype = _zaaktype(catalogi, exported, urls, resources)
        urls[str(exported.statustypen[0]["zaaktype"])] = zaaktype
        _parts(
            catalogi,
            "statustypen",
            exported.statustypen,
            "volgnummer",
            zaaktype,
            urls,
            resources,
        )
        _parts(
            catalogi,
            "roltypen",
            exported.roltypen,
            "omschrijving",
            zaaktype,
            urls,
            resources,
        )
        _parts(
            catalogi,
            "resultaattypen",
            exported.resultaattypen,
            "omschrijving",
            zaaktype,
            urls,
            resources,
        )
        _parts(
            catalogi,
            "eigenschappen",
            exported.eigenschappen,
            "naam",
            zaaktype,
            urls,
            resources,
        )
    except KeyError as missing:
        raise ZgwRequestRefused(
            url=selectielijst.root,
            status=404,
            errors=[f"{missing.args[0]}: niet gevonden in de Selectielijst-API"],
        ) from None
    return PublishReport(zaaktype=zaaktype, resources=tuple(resources))


def _zaaktype(
    catalogi: ZgwClient,
    exported: CatalogusExport,
    urls: dict[str, str],
    resources: list[Published],
) -> str:
    body = _fill(exported.zaaktype, urls)
    identificatie = str(body["identificatie"])
    for existing in catalogi.items(
        "zaaktypen",
        catalogus=str(body["catalogus"]),
        identificatie=identificatie,
        status="alles",
    ):
        if existing.get("beginGeldigheid") == body["beginGeldigheid"]:
            url = str(existing["url"])
            resources.append(Published("zaaktype", identificatie, url, created=False))
            return url
    created = catalogi.post("zaaktypen", body)
    url = str(created["url"])
    resources.append(Published("zaaktype", identificatie, url, created=True))
    return url


def _parts(  # noqa: PLR0917 - one call per resource kind reads best
    catalogi: ZgwClient,
    kind: str,
    bodies: Sequence[Mapping[str, Any]],
    key: str,
    zaaktype: str,
    urls: dict[str, str],
    resources: list[Published],
) -> None:

    def label(body: Mapping[str, Any]) -> str:
        return str(body.get(key))

    existing = {
        label(item): str(item["url"])
        for item in catalogi.items(kind, zaaktype=zaaktype, status="alles")
    }
    for body in bodies:
        filled = _fill(body, urls)
        name = label(filled)
        if name in existing:
            resources.append(Published(kind, name, existing[name], created=False))
            continue
        created = catalogi.post(kind, filled)
        existing[name] = str(created["url"])
        resources.append(Published(kind, name, existing[name], created=True))
