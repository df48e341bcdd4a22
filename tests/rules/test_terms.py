"""Terms as the law counts them: per-article tests, law.md §10 rows, properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtflow import TermError, termijn
from klachtflow.definition.model import Direction, Duration, TermAnchor, Unit
from klachtflow.rules.calendar import ATW, OrganisationCalendar
from klachtflow.rules.terms import add_duration, compute, due_date, due_rule, extend

D = dt.date
P = Duration.parse


class TestWorkedExamples:
    """law.md §10: worked deadline examples, each checked by hand there."""

    @pytest.mark.parametrize(
        ("row", "start", "duration", "atw", "due"),
        [
            (1, D(2026, 1, 12), "6 weken", True, D(2026, 2, 23)),
            (2, D(2026, 3, 16), "6 weken", True, D(2026, 4, 28)),
            (3, D(2026, 2, 20), "6 weken", True, D(2026, 4, 7)),
            (20, D(2026, 11, 19), "6 weken", True, D(2026, 12, 31)),
            (22, D(2026, 7, 31), "6 maanden", True, D(2027, 1, 31)),
            (24, D(2026, 3, 5), "6 weken", True, D(2026, 4, 16)),
            (35, D(2026, 5, 20), "42 dagen", False, D(2026, 7, 1)),
            (37, D(2026, 4, 24), "1 jaar", True, D(2027, 4, 24)),
        ],
    )
    def test_row(
        self, row: int, start: dt.date, duration: str, atw: bool, due: dt.date
    ) -> None:
        """The due date matches law.md §10 (compute, due_date and termijn agree)."""
        assert due == compute(start, P(duration), atw=None if atw else False).end
        assert due == due_date(start, P(duration), atw=None if atw else False)
        assert due == termijn(start, duration, atw=atw).end

    def test_row_26_local_working_days(self) -> None:
        """Row 26: contact within 5 werkdagen from Wed 23 Dec 2026 → Thu 31 Dec."""
        assert D(2026, 12, 31) == compute(D(2026, 12, 23), P("5 werkdagen")).end

    def test_row_16_extension(self) -> None:
        """Row 16: 6 weeks from Mon 2 Mar 2026, extended by 4 weeks → Mon 11 May."""
        first = compute(D(2026, 3, 2), P("6 weken"))

        assert D(2026, 5, 11) == extend(first, P("4 weken")).end
        assert (
            D(2026, 5, 11)
            == extend(first, P("4 weken"), anchor=TermAnchor.CONSERVATIEF).end
        )

    def test_explanation_names_each_day(self) -> None:
        """Row 3 explains itself: every day passed, with its reason and article."""
        deadline = compute(D(2026, 2, 20), P("6 weken"))

        assert D(2026, 4, 3) == deadline.raw_end
        assert [
            "2026-04-03 Goede Vrijdag — Atw art 3 lid 2",
            "2026-04-04 zaterdag — Atw art 1 lid 1",
            "2026-04-05 zondag — Atw art 1 lid 1",
            "2026-04-06 tweede Paasdag — Atw art 3 lid 1",
        ] == [str(s) for s in deadline.shifts]
        assert "Einde: 2026-04-07 (dinsdag)." == deadline.explain()[-1]


class TestArticle1:
    """Art 1 lid 1: "Een in een wet gestelde termijn die op een zaterdag, zondag of
    algemeen erkende feestdag eindigt, wordt verlengd tot en met de eerstvolgende dag
    die niet een zaterdag, zondag of algemeen erkende feestdag is." """

    def test_weekend_rolls_to_monday(self) -> None:
        """A term ending on Saturday ends on Monday."""
        deadline = compute(D(2026, 1, 10), P("2 weken"))  # raw end Sat 24 Jan

        assert (D(2026, 1, 24), D(2026, 1, 26)) == (deadline.raw_end, deadline.end)

    def test_lid_2_backward_terms_are_not_extended(self) -> None:
        """Art 1 lid 2: "Het vorige lid geldt niet voor termijnen, bepaald door
        terugrekening vanaf een tijdstip of een gebeurtenis." (Awb 7:4: ten days
        before the hearing.)"""
        deadline = compute(D(2026, 5, 15), P("10 dagen"), direction=Direction.TERUG)

        assert D(2026, 5, 5) == deadline.end  # vijfde mei, not moved
        assert not deadline.atw
        assert "art 1 lid 2" in deadline.atw_note


class TestArticle2:
    """Art 2: "Een in een wet gestelde termijn van ten minste drie dagen wordt, zo
    nodig, zoveel verlengd, dat daarin ten minste twee dagen voorkomen die niet een
    zaterdag, zondag of algemeen erkende feestdag zijn." """

    def test_short_term_gets_two_working_days(self) -> None:
        """3 days from Thu 24 Dec 2026 contain no working day; art 2 ends it on Tue 29 Dec
        (art 1 alone would give Mon 28 Dec)."""
        deadline = compute(D(2026, 12, 24), P("3 dagen"))

        assert D(2026, 12, 29) == deadline.end
        assert "Atw art 2" in str(deadline.shifts[-1])
        assert D(2026, 12, 29) == due_date(D(2026, 12, 24), P("3 dagen"))

    def test_two_day_term_is_not_art_2(self) -> None:
        """A term under three days is only rolled forward (art 1)."""
        assert D(2026, 12, 28) == compute(D(2026, 12, 24), P("2 dagen")).end


class TestArticle4:
    """Art 4: "Deze wet geldt niet voor termijnen: a. omschreven in uren, in meer dan
    90 dagen, in meer dan twaalf weken, in meer dan drie maanden, of in een of meer
    jaren; ..." """

    def test_years_are_not_extended(self) -> None:
        """Row 37: one year ends on a Saturday and stays there."""
        deadline = compute(D(2026, 4, 24), P("1 jaar"))

        assert (D(2027, 4, 24), False) == (deadline.end, deadline.atw)
        assert "Atw art 4" in deadline.atw_note

    def test_twelve_weeks_is_still_atw(self) -> None:
        """12 weeks exactly is not "meer dan twaalf weken": the Atw applies."""
        assert compute(D(2026, 2, 6), P("12 weken")).atw  # raw end Fri 1 May 2026

    def test_thirteen_weeks_is_not(self) -> None:
        """13 weeks is more than twelve: no Atw."""
        deadline = compute(D(2026, 1, 31), P("13 weken"))  # raw end Sat 2 May

        assert (D(2026, 5, 2), False) == (deadline.end, deadline.atw)

    def test_hours_are_refused(self) -> None:
        """A term in hours needs a time, not a date: TermError with a hint."""
        with pytest.raises(TermError, match="tijdstip"):
            compute(D(2026, 1, 1), P("24 uur"))


class TestUnits:
    @pytest.mark.parametrize(
        ("start", "duration", "raw"),
        [
            (D(2026, 7, 31), "6 maanden", D(2027, 1, 31)),
            (D(2026, 8, 31), "6 maanden", D(2027, 2, 28)),
            (D(2026, 3, 31), "6 maanden", D(2026, 9, 30)),
            (D(2028, 2, 29), "1 jaar", D(2029, 2, 28)),
            (D(2026, 1, 31), "1 maand", D(2026, 2, 28)),
            (D(2026, 3, 4), "6 weken", D(2026, 4, 15)),
        ],
    )
    def test_raw_end(self, start: dt.date, duration: str, raw: dt.date) -> None:
        """Weeks end on the same weekday; months and years clip to the month's end."""
        assert raw == add_duration(start, P(duration))

    def test_working_days_on_an_organisation_calendar(self) -> None:
        """A local rule counts the organisation's working days, closing days excluded."""
        org = OrganisationCalendar.from_days(
            "gemeente", [D(2026, 12, 24), D(2026, 12, 31)]
        )

        assert (
            D(2027, 1, 5)
            == compute(D(2026, 12, 23), P("5 werkdagen"), calendar=org).end
        )

    def test_anchor_modes_differ_when_a_holiday_intervenes(self) -> None:
        """🔶 gekoppeld counts on from the Atw end (7 Apr), conservatief from the raw end (3 Apr)."""
        first = compute(D(2026, 2, 20), P("6 weken"))

        assert D(2026, 5, 6) == extend(first, P("4 weken")).end
        assert (
            D(2026, 5, 1)
            == extend(first, P("4 weken"), anchor=TermAnchor.CONSERVATIEF).end
        )


class TestTermijnApi:
    def test_bad_input_is_a_term_error(self) -> None:
        """termijn() refuses bad dates, durations and anchors with Dutch hints."""
        with pytest.raises(TermError, match="geen datum"):
            termijn("16-03-2026", "6 weken")
        with pytest.raises(TermError, match="geen duur"):
            termijn("2026-03-16", "zes weken")
        with pytest.raises(TermError, match="geen anker"):
            termijn("2026-03-16", "6 weken", extension="4 weken", anchor="los")
        with pytest.raises(TermError, match="terugrekenende"):
            termijn("2026-03-16", "6 weken", extension="4 weken", backward=True)

    def test_json_shape(self) -> None:
        """as_dict has einde, einde_ruw, verschoven and grondslag."""
        data = termijn("2026-03-16", "6 weken").as_dict()

        assert "2026-04-28" == data["einde"]
        assert "2026-04-27" == data["einde_ruw"]
        assert [
            {"datum": "2026-04-27", "reden": "Koningsdag — Atw art 3 lid 1"}
        ] == data["verschoven"]
        assert data["grondslag"]


starts = st.dates(min_value=D(1995, 1, 1), max_value=D(2095, 12, 31))
durations = st.builds(
    Duration,
    st.integers(min_value=0, max_value=120),
    st.sampled_from([Unit.DAGEN, Unit.WEKEN, Unit.MAANDEN, Unit.JAREN, Unit.WERKDAGEN]),
)


class TestProperties:
    @given(starts, durations)
    def test_due_not_before_start(self, start: dt.date, duration: Duration) -> None:
        """due ≥ start."""
        assert compute(start, duration).end >= start

    @given(starts, durations)
    def test_atw_due_is_a_working_day(self, start: dt.date, duration: Duration) -> None:
        """An Atw-adjusted due date is a working day."""
        deadline = compute(start, duration)
        if deadline.atw:
            assert ATW.is_workday(deadline.end)

    @given(starts, durations, st.sampled_from([None, False]))
    def test_fast_path_equals_explained_path(
        self, start: dt.date, duration: Duration, atw: bool | None
    ) -> None:
        """due_rule / due_date (tables) and compute (explained) give the same date."""
        expected = compute(start, duration, atw=atw).end

        assert expected == due_date(start, duration, atw=atw)
        assert expected == due_rule(duration, atw=atw)(start)

    @given(st.dates(min_value=D(1, 1, 1), max_value=D(9000, 1, 1)), st.integers(0, 30))
    def test_fast_path_outside_the_tables(self, start: dt.date, weeks: int) -> None:
        """Far outside the precomputed years the compiled rule still agrees."""
        duration = Duration(weeks, Unit.WEKEN)

        assert compute(start, duration).end == due_rule(duration)(start)

    @given(starts, starts, durations)
    def test_monotone_in_start(
        self, a: dt.date, b: dt.date, duration: Duration
    ) -> None:
        """A later event never gives an earlier due date."""
        early, late = sorted((a, b))

        assert compute(early, duration).end <= compute(late, duration).end

    @given(starts, durations)
    def test_art_2_holds(self, start: dt.date, duration: Duration) -> None:
        """An Atw term of at least three days contains at least two working days."""
        deadline = compute(start, duration)
        if deadline.atw and (deadline.raw_end - start).days >= 3:
            assert ATW.workdays_between(start, deadline.end) >= 2
