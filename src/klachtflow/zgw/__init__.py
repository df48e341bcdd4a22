"""ZGW: a procedure as a Catalogi API zaaktype, and cases mirrored to a Zaken API.

Layered above storage (it reads cases and the outbox) and below the adapters.
:func:`export_catalogus` builds the request bodies; :func:`publish` creates
them through the Catalogi API; :class:`OutboxWorker` delivers the outbox to
the Zaken API and to CloudEvents receivers. See
``docs/how-to/zaakgericht-werken.md``.
"""

from __future__ import annotations

from klachtflow.zgw.export import (
    API_VERSIONS,
    PLACEHOLDER_PREFIX,
    CatalogusExport,
    export_catalogus,
)

__all__ = [
    "API_VERSIONS",
    "PLACEHOLDER_PREFIX",
    "CatalogusExport",
    "export_catalogus",
]
