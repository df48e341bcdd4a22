"""Statements built once per store, executed with bind parameters."""

from __future__ import annotations

import sqlalchemy as sa

from klachtflow.storage import schema as t

__all__ = ["Statements"]


class Statements:
    """Statements built once with bind parameters: per fire only values change."""

    def __init__(self) -> None:
        c, p, d = t.cases.c, t.case_personal.c, t.deadlines.c
        # Bind names are prefixed: an UPDATE would also SET any column whose
        # name appears among the parameters.
        self.case_columns = [
            col.name
            for col in t.cases.columns
            if col.name not in ("id", "anonymised_on", "personal_rev")
        ]
        self.update_case = (
            t.cases.update()
            .where(
                c.id == sa.bindparam("k_id"), c.version == sa.bindparam("k_expected")
            )
            .values({name: sa.bindparam(f"v_{name}") for name in self.case_columns})
        )
        self.update_personal = (
            t.case_personal.update()
            .where(p.case_id == sa.bindparam("k_id"))
            .values(parties=sa.bindparam("v_parties"), data=sa.bindparam("v_data"))
        )
        self.deadline_columns = [
            col.name
            for col in t.deadlines.columns
            if col.name not in ("case_id", "term")
        ]
        self.update_deadline = (
            t.deadlines.update()
            .where(d.case_id == sa.bindparam("k_id"), d.term == sa.bindparam("k_term"))
            .values({name: sa.bindparam(f"v_{name}") for name in self.deadline_columns})
        )
        events, private = t.events, t.event_personal
        self.load_case = (
            sa.select(t.cases, p.parties, p.data)
            .select_from(t.cases.outerjoin(t.case_personal, p.case_id == c.id))
            .where(c.id == sa.bindparam("case_id"))
        )
        self.load_events = (
            sa.select(
                events,
                private.c.actor,
                private.c.reason,
                private.c.changes,
                private.c.consent,
                private.c.notified,
            )
            .select_from(
                events.outerjoin(
                    private,
                    sa.and_(
                        private.c.case_id == events.c.case_id,
                        private.c.seq == events.c.seq,
                    ),
                )
            )
            .where(events.c.case_id == sa.bindparam("case_id"))
            .order_by(events.c.seq)
        )
        self.load_deadlines = sa.select(t.deadlines).where(
            d.case_id == sa.bindparam("case_id")
        )
        # The same statement objects every time: SQLAlchemy keeps their cache keys.
        self.insert_events = t.events.insert()
        self.insert_event_personal = t.event_personal.insert()
        self.insert_deadline = t.deadlines.insert()
        self.stamp = sa.select(c.version, c.personal_rev).where(
            c.id == sa.bindparam("case_id")
        )
