"""The signaleringsrapportage: what it counts, from which cases, and how it compares."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest

from klachtflow import Engine, FixedClock, SqlStore
from klachtflow.definition import builtin_procedure
from klachtflow.insight import (
    CaseFacts,
    build_report,
    case_facts,
    parse_period,
    report_from_facts,
)
from klachtflow.insight.report import InvalidReportOption
from klachtflow.testing import make_case

from .conftest import TODAY

GEMEENTE = builtin_procedure("gemeente-awb")
Q3 = parse_period("2026-Q3")


def fact(**changes: Any) -> CaseFacts:
    values: dict[str, Any] = {
        "procedure": "gemeente-awb",
        "opened_on": dt.date(2026, 8, 3),
        "stage": "gesprek",
        "stage_title": "In gesprek",
        "formal": False,
        "dimensions": {
            "categorie": "bejegening",
            "domein": "Wmo",
            "aanbieder": "onbekend",
            "kanaal": "e-mail",
        },
        "closed_on": dt.date(2026, 8, 10),
        "result": "opgelost",
        "result_title": "Opgelost naar tevredenheid",
        "workdays": 5,
    }
    values.update(changes)
    return CaseFacts(**values)


def at(day: dt.date) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, 10, tz="Europe/Amsterdam")


class TestFigures:
    def test_informal_handling_is_counted_apart(self) -> None:
        """The figure that shows informal handling prevents formal complaints."""
        facts = [fact() for _ in range(12)] + [
            fact(stage="formeel", stage_title="Formele klacht", formal=True)
            for _ in range(6)
        ]

        report = report_from_facts(facts, Q3, on=TODAY, procedures=[GEMEENTE])

        assert (18, 12, 6) == (
            report.received.value,
            report.informal_end.value,
            report.formal.value,
        )
        assert {"gesprek": 12, "formeel": 6} == {
            r.key: r.count.value for r in report.stages if r.count.value
        }

    def test_only_cases_received_in_the_period_count(self) -> None:
        """A case opened the day before the quarter belongs to the quarter before."""
        facts = [fact() for _ in range(6)] + [
            fact(opened_on=dt.date(2026, 6, 30)) for _ in range(7)
        ]

        report = report_from_facts(facts, Q3, on=TODAY)

        assert 6 == report.received.value
        assert ("2026-Q2", 7) == (
            report.trend[-2].period,
            report.trend[-2].received.value,
        )

    def test_timeliness_median_and_p90(self) -> None:
        """Share within term, median and 90th percentile in working days."""
        facts = [fact(timely=True, workdays=d) for d in range(1, 10)] + [
            fact(timely=False, workdays=40)
        ]

        t = report_from_facts(facts, Q3, on=TODAY).timeliness

        assert (10, None, None) == (t.with_term.value, t.within.value, t.late.value)
        assert 5.5 == t.median_workdays
        assert 9 == t.p90_workdays

    def test_median_hidden_for_small_groups(self) -> None:
        """Below the threshold no median is given: it would describe one person."""
        report = report_from_facts([fact(), fact()], Q3, on=TODAY)

        assert report.timeliness.median_workdays is None

    def test_rate_per_volume(self) -> None:
        """130 complaints on 14,490 reports is a rate of about 0.9%."""
        facts = [fact() for _ in range(130)]

        report = report_from_facts(facts, Q3, on=TODAY, volume=14490)

        assert report.rate == pytest.approx(130 / 14490)

    def test_breakdown_puts_unlisted_values_under_overig(self) -> None:
        """Per categorie, in the procedure's order, unknown values as 'overig'."""
        facts = [fact() for _ in range(5)] + [
            fact(dimensions={**fact().dimensions, "categorie": "overig"})
            for _ in range(5)
        ]

        report = report_from_facts(
            facts, Q3, on=TODAY, procedures=[GEMEENTE], per="categorie"
        )

        assert report.breakdown is not None
        assert ["bejegening", "overig"] == [row[0] for row in report.breakdown.rows]

    @pytest.mark.parametrize(
        ("options", "word"),
        [
            ({"threshold": 0}, "drempel"),
            ({"volume": 0}, "volume"),
            ({"per": "x"}, "indeling"),
        ],
    )
    def test_wrong_options_are_refused(
        self, options: dict[str, Any], word: str
    ) -> None:
        """A threshold below 1, a volume below 1 or an unknown dimension is refused."""
        with pytest.raises(InvalidReportOption) as info:
            report_from_facts([], Q3, on=TODAY, **options)

        assert word in info.value.message.lower()


class TestCaseFacts:
    def test_formal_case_handled_in_time(self) -> None:
        """A case walked to 'afgehandeld' is formal, closed and within its term."""
        engine = Engine(GEMEENTE, clock=FixedClock(at(dt.date(2026, 3, 2))))
        case = make_case(GEMEENTE, state="afgehandeld", engine=engine)

        facts = case_facts(case, GEMEENTE, on=TODAY, registration={})

        assert ("formeel", True, True) == (facts.stage, facts.formal, facts.closed)
        assert facts.timely is True
        assert 0 == facts.workdays

    def test_unregistered_values_become_overig(self) -> None:
        """A value outside the registratie lists never reaches a report as such."""
        case = make_case(GEMEENTE)

        facts = case_facts(
            case, GEMEENTE, on=TODAY, registration={"categorie": "Jan de Vries"}
        )

        assert "overig" == facts.dimensions["categorie"]
        assert "onbekend" == facts.dimensions["kanaal"]

    def test_open_case_past_its_term(self) -> None:
        """An open formal complaint whose handling term has passed is late and open."""
        engine = Engine(GEMEENTE, clock=FixedClock(at(dt.date(2026, 3, 2))))
        case = make_case(GEMEENTE, state="horen", engine=engine)

        facts = case_facts(case, GEMEENTE, on=dt.date(2026, 6, 1), registration={})

        assert (True, None) == (facts.late_open, facts.closed_on)


class TestFromStore:
    def test_report_agrees_with_the_cases(self, demo_store: SqlStore) -> None:
        """The figures add up to the cases stored for the period, on every backend."""
        period = parse_period("2026")
        report = build_report(demo_store, period, on=TODAY, per="kanaal")
        opened = demo_store.find(opened_from=period.first, opened_until=period.last)
        closed = [s for s in opened if s.closed_on is not None]

        assert len(opened) == report.received.value
        assert sum(r.count.value or 0 for r in report.stages) <= len(opened)
        assert report.closed.value in (None, len(closed))
        assert report.measures.value is not None
        assert report.measures.value > 0
        assert ("2025", "2026") == tuple(p.period for p in report.trend[-2:])
