"""A report never misleads: hidden counts say why, one number format, an honest trend."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtflow.insight import _format as nl
from klachtflow.insight import parse_period, render_report, report_from_facts
from klachtflow.insight.render import sections
from klachtflow.insight.report import Count, InvalidReportOption, suppress

from .test_report import GEMEENTE, fact

Q3 = parse_period("2026-Q3")
ON = dt.date(2026, 11, 22)


def _closed(n: int) -> list[Any]:
    return [fact() for _ in range(n)]


def _open(n: int) -> list[Any]:
    return [fact(closed_on=None, result=None, result_title=None) for _ in range(n)]


class TestHiddenCounts:
    def test_protective_suppression_has_its_own_mark(self) -> None:
        """72 closed next to 3 open: both hidden, but only the 3 is '<5'; the 72 is 'x'."""
        report = report_from_facts(_closed(72) + _open(3), Q3, on=ON)

        assert "75" == nl.count(report.received)
        assert "x" == nl.count(report.closed)
        assert "<5" == nl.count(report.open)
        assert report.closed.secondary
        assert not report.open.secondary

    def test_footnotes_explain_each_mark_used(self) -> None:
        """The key-figures table explains '<5', 'x' and '—', since it uses all three."""
        report = report_from_facts(_closed(72) + _open(3), Q3, on=ON)
        key = sections(report)[0]

        assert any(n.startswith("<5: ") for n in key.notes)
        assert any(n.startswith("x: ") and "beschermen" in n for n in key.notes)
        assert any(n.startswith("—: ") for n in key.notes)

    def test_no_mark_without_its_footnote(self) -> None:
        """A table without hidden cells has no footnote about them."""
        report = report_from_facts(_closed(40) + _open(10), Q3, on=ON)

        assert () == sections(report)[0].notes

    @given(st.lists(st.integers(0, 60), max_size=12), st.integers(2, 11))
    def test_small_mark_only_for_small_counts(
        self, values: list[int], threshold: int
    ) -> None:
        """'<threshold' is shown only for a count that really is below it."""
        cells = suppress(values, threshold)

        for value, cell in zip(values, cells, strict=True):
            if nl.count(cell) == f"<{threshold}":
                assert 0 < value < threshold
            if nl.count(cell) == "x":
                assert value >= threshold

    def test_json_and_csv_say_why(self) -> None:
        """JSON and CSV carry the reason and the Dutch label of each hidden count."""
        report = report_from_facts(_closed(72) + _open(3), Q3, on=ON)
        data = json.loads(render_report(report, "json"))
        text = render_report(report, "csv")

        assert {
            "aantal": None,
            "verborgen": True,
            "weergave": "x",
            "reden": "beschermt een ander klein aantal",
        } == data["afgerond"]
        assert "klein aantal" == data["open"]["reden"]
        assert "afgerond,,x,ja,beschermt een ander klein aantal" in text


class TestNumbers:
    @pytest.mark.parametrize(
        ("fraction", "text"),
        [
            (0.06, "6,0%"),
            (0.042, "4,2%"),
            (1.0, "100,0%"),
            (0.36, "36,0%"),
            (None, "—"),
        ],
    )
    def test_one_percentage_format(self, fraction: float | None, text: str) -> None:
        """Every percentage has one decimal and a comma: never '6%' next to '4,2%'."""
        assert text == nl.percent(fraction)

    def test_every_percentage_in_the_report_has_one_decimal(self) -> None:
        """Markdown shows no percentage without its decimal."""
        report = report_from_facts(
            _closed(66) + _open(9), Q3, on=ON, procedures=[GEMEENTE]
        )
        text = render_report(report, "md")

        assert re.findall(r"\d+,\d%", text)
        assert [] == re.findall(r"(?<![\d,])\d+%", text)

    def test_dates_are_dutch(self) -> None:
        """The period is written as people write dates: 1 juli 2026."""
        text = render_report(report_from_facts(_closed(10), Q3, on=ON), "md")

        assert "1 juli 2026 tot en met 30 september 2026" in text
        assert "stand op 22 november 2026" in text


class TestTrend:
    def test_starts_at_the_first_period_with_cases(self) -> None:
        """No rows of zeros for the years before the first case."""
        facts = [fact(opened_on=dt.date(2025, 3, 1)) for _ in range(20)] + _closed(30)
        report = report_from_facts(
            facts, parse_period("2026"), on=dt.date(2027, 2, 1), trend=4
        )

        assert ["2025", "2026"] == [p.period for p in report.trend]

    def test_partial_periods_are_marked_and_not_compared(self) -> None:
        """A running period, and the one in which registration began, are marked."""
        facts = [fact(opened_on=dt.date(2025, 11, 3)) for _ in range(20)] + _closed(30)
        report = report_from_facts(
            facts,
            parse_period("2026"),
            on=ON,
            registration_start=dt.date(2025, 11, 3),
        )
        text = render_report(report, "md")

        assert [
            "registratie begon in deze periode",
            "loopt nog",
        ] == [p.partial for p in report.trend]
        assert "Geen verschil berekend met 2025" in text
        assert "| 2025 (registratie begon in deze periode) |" in text

    def test_full_periods_are_compared(self) -> None:
        """Two complete quarters get a difference."""
        facts = [fact(opened_on=dt.date(2026, 5, 1)) for _ in range(20)] + _closed(30)
        report = report_from_facts(
            facts, Q3, on=ON, registration_start=dt.date(2026, 1, 5)
        )

        assert "Verschil met 2026-Q2: +10 ontvangen." in render_report(report, "md")

    def test_a_future_period_is_refused(self) -> None:
        """A period that starts after the peildatum cannot have figures yet."""
        with pytest.raises(InvalidReportOption) as info:
            report_from_facts([], parse_period("2027"), on=ON)

        assert "na de peildatum" in info.value.message
        assert info.value.hint

    def test_a_period_before_registration_says_so(self) -> None:
        """A period entirely before the first case says the registration began later."""
        report = report_from_facts(
            [], parse_period("2020"), on=ON, registration_start=dt.date(2025, 11, 3)
        )

        assert "De registratie begon op 3 november 2025" in render_report(report, "md")


class TestCount:
    def test_str_of_a_protective_count(self) -> None:
        """str() tells the two kinds of hidden count apart as well."""
        assert "x" == str(Count(None, 5, secondary=True))
        assert "<5" == str(Count(None, 5))
