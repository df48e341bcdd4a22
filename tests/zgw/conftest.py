"""A ZGW test server per test, and clients for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from klachtflow.zgw._http import Credentials, ZgwClient

from .server import CLIENT_ID, SECRET, ZgwServer

CREDENTIALS = Credentials(CLIENT_ID, SECRET)


@pytest.fixture
def server() -> Iterator[ZgwServer]:
    """A fresh server on 127.0.0.1 speaking Catalogi 1.3 / Zaken 1.5."""
    zgw = ZgwServer()
    zgw.hang = 1.5
    yield zgw
    zgw.stop()


def client(server: ZgwServer, api: str, *, timeout: float = 1.0) -> ZgwClient:
    """A client for one API of ``server`` with the test credentials."""
    return ZgwClient(server.api(api), credentials=CREDENTIALS, timeout=timeout)
