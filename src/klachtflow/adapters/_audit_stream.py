"""``klachtflow audit`` over many cases: streamed, so memory stays flat.

Cases come one at a time, inspected, in case-id order
(:meth:`~klachtflow.storage.SqlStore.iter_inspected`); each case's findings
are written as they are found (text to the screen, JSON to a spool file) and
only the counts per code are kept. The output is the one the audit always
gave: findings by case id, then the summary.

With ``processes`` > 1 (and enough cases) the ids are split into that many
ranges, each audited in a forked process (:mod:`klachtflow.storage._forked`)
that writes its findings to a spool file of its own; the findings are then
emitted range by range, so the output is the same, in the same order.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING

import attrs
import click

from klachtflow.compliance.audit import audit_case
from klachtflow.compliance.integrity import backdating_findings, integrity_findings
from klachtflow.compliance.model import AuditFinding
from klachtflow.storage._forked import can_fork, forked_map

if TYPE_CHECKING:
    from klachtflow.definition import Procedure
    from klachtflow.storage import SqlStore

__all__ = ["AuditTally", "audit_stream", "echo_text", "spool_json", "write_json"]

Emit = Callable[[Sequence[AuditFinding]], None]


@attrs.define
class AuditTally:
    """What the summary of an audit needs, counted as the cases go by."""

    cases: int = 0
    cases_with_findings: int = 0
    codes: Counter[str] = attrs.field(factory=Counter)
    errors: bool = False

    @property
    def summary(self) -> dict[str, int]:
        """How many findings per code, by code."""
        return dict(sorted(self.codes.items()))


#: Below this many cases one process audits them: forking costs more.
PARALLEL_FROM = 5_000


def audit_stream(
    store: SqlStore,
    *,
    first: dt.date | None,
    last: dt.date | None,
    today: dt.date,
    emit: Emit,
    processes: int = 1,
) -> AuditTally:
    """Audit every case opened in the period; ``emit`` gets each case's findings.

    A case whose rows do not verify is a finding (``AUDIT-INT-01``), not an abort.
    ``processes`` > 1 audits ranges of case ids in forked processes (module
    docstring); the findings reach ``emit`` in the same order.
    """
    cuts = (
        store._id_boundaries(
            opened_from=first, opened_until=last, parts=processes, least=PARALLEL_FROM
        )
        if processes > 1 and can_fork(store)
        else []
    )
    if not cuts:
        return _audit_range(store, _Range(first, last, today), emit)
    bounds = [None, *cuts, None]
    paths: list[str] = []
    try:
        for _ in range(len(bounds) - 1):
            handle, path = tempfile.mkstemp(suffix=".kf-audit")
            os.close(handle)
            paths.append(path)
        jobs = [
            _Range(first, last, today, start, end, path)
            for (start, end), path in zip(
                itertools.pairwise(bounds), paths, strict=True
            )
        ]
        tally = AuditTally()
        for part in forked_map(store, _audit_to_spool, jobs):
            tally.cases += part.cases
            tally.cases_with_findings += part.cases_with_findings
            tally.codes.update(part.codes)
            tally.errors = tally.errors or part.errors
        for path in paths:
            with open(path, "rb") as spool:
                while True:
                    try:
                        emit(pickle.load(spool))  # noqa: S301 - written just now, by us
                    except EOFError:
                        break
    finally:
        for path in paths:
            os.unlink(path)
    return tally


@attrs.frozen
class _Range:
    first: dt.date | None
    last: dt.date | None
    today: dt.date
    id_from: str | None = None
    id_before: str | None = None
    #: Where a forked process spools its findings.
    spool: str = ""


def _audit_range(store: SqlStore, job: _Range, emit: Emit) -> AuditTally:
    tally = AuditTally()
    procedures: dict[str, Procedure] = {}
    for case_id, case, integrity in store.iter_inspected(
        opened_from=job.first,
        opened_until=job.last,
        id_from=job.id_from,
        id_before=job.id_before,
    ):
        tally.cases += 1
        if case is None or not integrity.valid:
            found = integrity_findings(case_id, integrity.problems)
        else:
            procedure = procedures.get(case.procedure_digest)
            if procedure is None:
                procedure = procedures[case.procedure_digest] = store.procedure(
                    case.procedure_digest
                )
            found = [
                *audit_case(case, procedure, today=job.today),
                *backdating_findings(case),
            ]
        if found:
            tally.cases_with_findings += 1
            tally.codes.update(f.code for f in found)
            tally.errors = tally.errors or any(f.severity == "fout" for f in found)
            emit(found)
    return tally


def _audit_to_spool(store: SqlStore, job: _Range) -> AuditTally:
    """In a forked process: audit one range, each case's findings pickled to
    the job's spool file (the caller made it, and removes it)."""
    with open(job.spool, "wb") as spool:
        return _audit_range(store, job, lambda found: pickle.dump(list(found), spool))


def echo_text() -> Emit:
    """Write each case's findings as text: the case id, then a line per finding."""

    def emit(found: Sequence[AuditFinding]) -> None:
        click.echo(f"{found[0].case_id}:")
        for finding in found:
            click.echo(
                f"  {finding.severity:12} {finding.message} ({finding.code}, {finding.basis})"
            )

    return emit


def spool_json(spool: IO[str]) -> Emit:
    """Write each finding as one JSON line to ``spool``."""

    def emit(found: Sequence[AuditFinding]) -> None:
        for finding in found:
            spool.write(json.dumps(finding.as_dict(), ensure_ascii=False) + "\n")

    return emit


def write_json(
    tally: AuditTally, period: str | None, spool: IO[str], echo: Callable[..., None]
) -> None:
    """The audit as one JSON document (as ``json.dumps(indent=2)``), findings from ``spool``."""
    head = json.dumps(
        {
            "periode": period,
            "zaken": tally.cases,
            "zaken_met_bevindingen": tally.cases_with_findings,
            "per_code": tally.summary,
            "bevindingen": [],
        },
        ensure_ascii=False,
        indent=2,
    )
    spool.seek(0)
    line = spool.readline()
    if not line:
        echo(head)
        return
    echo(head.removesuffix("[]\n}") + "[", nl=False)
    separator = "\n"
    while line:
        item = json.dumps(json.loads(line), ensure_ascii=False, indent=2)
        echo(
            separator + "\n".join("    " + part for part in item.splitlines()), nl=False
        )
        separator = ",\n"
        line = spool.readline()
    echo("\n  ]\n}")
