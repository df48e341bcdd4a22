"""Deliver a store's outbox: claim with a lease, deliver per sink, retry with back-off.

A :class:`Sink` receives a :class:`Delivery` (the outbox row, the stored case
and its event) and either returns or raises. A sink must be idempotent on the
delivery's ``key``: the same row may reach it twice (a time-out after the
receiver did the work, a worker killed before it marked the row), and must
then change nothing. :class:`ZakenSink` looks each object up before it
creates it; :class:`CloudEventsSink` sends the same event ``id`` again, which
receivers deduplicate on ``source`` + ``id`` (CloudEvents).

A sink that has the row is recorded (``done``) before the next sink runs, so
a retry only repeats the sinks that failed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from typing import Protocol

import attrs

from klachtflow.definition import Procedure
from klachtflow.engine import Case, Event
from klachtflow.exceptions import KlachtflowError
from klachtflow.storage import Outbox, OutboxRow, SqlStore

__all__ = ["BatchReport", "Delivery", "OutboxWorker", "Sink"]


@attrs.frozen
class Delivery:
    """One outbox row with what a sink needs to deliver it."""

    row: OutboxRow
    case: Case
    procedure: Procedure

    @property
    def event(self) -> Event | None:
        """The event of the row (None for an erasure row)."""
        if self.row.kind == "erase":
            return None
        return next(e for e in self.case.history if e.seq == self.row.seq)

    @property
    def key(self) -> str:
        """The idempotency key: the same for every attempt of this row."""
        return self.row.key


class Sink(Protocol):
    """Where notifications go: the Zaken API, a CloudEvents receiver, ..."""

    name: str

    def deliver(self, delivery: Delivery) -> None:
        """Deliver, or raise; must be idempotent on ``delivery.key``."""

    def close(self) -> None:
        """Release connections."""


@attrs.frozen
class BatchReport:
    """What one :meth:`OutboxWorker.run_once` did."""

    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()


def backoff(attempts: int, *, base: float, cap: float) -> dt.timedelta:
    """``base`` x 2^attempts seconds, at most ``cap``: 1, 2, 4, 8, ... by default."""
    return dt.timedelta(seconds=min(cap, base * 2 ** min(attempts, 30)))


class OutboxWorker:
    """Delivers the outbox of ``store`` to ``sinks``; safe to run in several processes."""

    def __init__(
        self,
        store: SqlStore,
        sinks: Sequence[Sink],
        *,
        worker: str,
        lease: dt.timedelta = dt.timedelta(seconds=60),
        backoff_base: float = 1.0,
        backoff_cap: float = 300.0,
        batch: int = 50,
    ) -> None:
        names = [s.name for s in sinks]
        if len(set(names)) != len(names) or not names:
            msg = f"sinks need distinct names (got {names})."
            raise ValueError(msg)
        self.store = store
        self.outbox = Outbox(store)
        self.sinks = tuple(sinks)
        self.worker = worker
        self.lease = lease
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.batch = batch

    def close(self) -> None:
        """Close every sink."""
        for sink in self.sinks:
            sink.close()

    def __enter__(self) -> OutboxWorker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def run_once(self) -> BatchReport:
        """Claim one batch and try each row once."""
        rows = self.outbox.claim(worker=self.worker, lease=self.lease, limit=self.batch)
        delivered = failed = 0
        errors: list[str] = []
        for row in rows:
            problem = self._deliver(row)
            if problem is None:
                delivered += 1
            else:
                failed += 1
                errors.append(f"{row.key}: {problem}")
                self.outbox.failed(
                    row,
                    problem,
                    worker=self.worker,
                    retry_in=backoff(
                        row.attempts, base=self.backoff_base, cap=self.backoff_cap
                    ),
                )
        return BatchReport(len(rows), delivered, failed, tuple(errors))

    def _deliver(self, row: OutboxRow) -> str | None:
        """None when every sink has the row; else what went wrong."""
        try:
            case = self.store.get(row.case_id)
            procedure = self.store.procedure(case.procedure_digest)
        except KlachtflowError as error:
            return error.message
        delivery = Delivery(row=row, case=case, procedure=procedure)
        for sink in self.sinks:
            if sink.name in row.done:
                continue
            try:
                sink.deliver(delivery)
            except KlachtflowError as error:
                return f"{sink.name}: {error.message}"
            if not self.outbox.sink_done(row, sink.name, worker=self.worker):
                return "lease verlopen"
        if not self.outbox.delivered(row, worker=self.worker):
            return "lease verlopen"
        return None

    def drain(self) -> BatchReport:
        """Run batches while they deliver; rows waiting for a retry stay pending.

        Stops after a batch that delivered nothing, so a row that fails at
        once every time is tried once per call, not forever.
        """
        total = BatchReport()
        while True:
            report = self.run_once()
            total = _add(total, report)
            if not report.delivered:
                return total

    def run(
        self,
        *,
        until_idle: bool = True,
        poll: float = 1.0,
        stop: Callable[[], bool] = lambda: False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> BatchReport:
        """Run batches; with ``until_idle`` stop once nothing is pending.

        Rows waiting for their back-off count as pending: the worker waits
        ``poll`` seconds and tries again, until they are delivered or
        ``stop()`` says to end.
        """
        total = BatchReport()
        while not stop():
            report = self.run_once()
            total = _add(total, report)
            if report.claimed:
                continue
            if until_idle and not self.outbox.pending():
                break
            sleep(poll)
        return total


def _add(total: BatchReport, report: BatchReport) -> BatchReport:
    return BatchReport(
        total.claimed + report.claimed,
        total.delivered + report.delivered,
        total.failed + report.failed,
        total.errors + report.errors,
    )
