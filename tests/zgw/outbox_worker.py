"""The outbox worker as a separate process, for the SIGKILL test.

python outbox_worker.py DB_URL SERVER_ROOT LEASE_SECONDS
"""

from __future__ import annotations

import datetime as dt
import sys

from klachtflow.storage import open_store
from klachtflow.zgw._http import Credentials, ZgwClient
from klachtflow.zgw.outbox import OutboxWorker, Sink
from klachtflow.zgw.sinks import CloudEventsSink, ZakenSink

CLIENT_ID = "klachtflow-test"
SECRET = "geheim-voor-de-test"  # noqa: S105 - the test server's secret
RSIN = "002220647"
OIN = "00000001002220647000"


def main(url: str, root: str, lease: float) -> None:
    """Deliver until nothing is pending (or until killed)."""
    credentials = Credentials(CLIENT_ID, SECRET)

    def client(api: str) -> ZgwClient:
        version = "v2" if api == "notificaties" else "v1"
        return ZgwClient(
            f"{root}{api}/api/{version}/", credentials=credentials, timeout=1.0
        )

    sinks: list[Sink] = [
        ZakenSink(
            zaken=client("zaken"),
            catalogi=client("catalogi"),
            catalogus=f"{root}catalogi/api/v1/catalogussen/1",
            bronorganisatie=RSIN,
        ),
        CloudEventsSink(client=client("notificaties"), oin=OIN),
    ]
    with open_store(url, outbox=True) as store:
        worker = OutboxWorker(
            store,
            sinks,
            worker="subprocess",
            lease=dt.timedelta(seconds=lease),
            backoff_base=0.01,
            backoff_cap=0.05,
            batch=5,
        )
        print("started", flush=True)
        worker.run(until_idle=True, poll=0.02)
        print("idle", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
