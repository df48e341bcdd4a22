"""The Atw calendar, one test per article, each quoting it (BWBR0002448)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtflow.rules.calendar import (
    ATW,
    AtwCalendar,
    OrganisationCalendar,
    easter_sunday,
    load_designated_days,
)

D = dt.date


class TestArticle3Lid1:
    """Art 3 lid 1: "Algemeen erkende feestdagen in de zin van deze wet zijn: de
    Nieuwjaarsdag, de Christelijke tweede Paas- en Pinksterdag, de beide Kerstdagen,
    de Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt gevierd en de
    vijfde mei." """

    @pytest.mark.parametrize(
        ("year", "expected"),
        [
            (
                2026,
                {
                    D(2026, 1, 1): "Nieuwjaarsdag",
                    D(2026, 4, 6): "tweede Paasdag",
                    D(2026, 4, 27): "Koningsdag",
                    D(2026, 5, 5): "vijfde mei",
                    D(2026, 5, 14): "Hemelvaartsdag",
                    D(2026, 5, 25): "tweede Pinksterdag",
                    D(2026, 12, 25): "eerste Kerstdag",
                    D(2026, 12, 26): "tweede Kerstdag",
                },
            ),
            (
                2027,
                {
                    D(2027, 1, 1): "Nieuwjaarsdag",
                    D(2027, 3, 29): "tweede Paasdag",
                    D(2027, 4, 27): "Koningsdag",
                    D(2027, 5, 5): "vijfde mei",
                    D(2027, 5, 6): "Hemelvaartsdag",
                    D(2027, 5, 17): "tweede Pinksterdag",
                    D(2027, 12, 25): "eerste Kerstdag",
                    D(2027, 12, 26): "tweede Kerstdag",
                },
            ),
        ],
    )
    def test_holidays(self, year: int, expected: dict[dt.date, str]) -> None:
        """The holidays of art 3 lid 1, as in law.md §3.1."""
        holidays = {
            day: reason.split(" — ")[0]
            for day, reason in ATW.holidays(year).items()
            if "lid 1" in reason
        }

        assert expected == holidays

    def test_fifth_of_may_every_year(self) -> None:
        """5 May counts every year: the text has no lustrum restriction."""
        assert all(not ATW.is_workday(D(y, 5, 5)) for y in range(2020, 2040))

    @pytest.mark.parametrize(
        ("year", "kingsday"),
        [
            (2025, D(2025, 4, 26)),
            (2026, D(2026, 4, 27)),
            (2027, D(2027, 4, 27)),
            (2031, D(2031, 4, 26)),
        ],
    )
    def test_koningsdag_moves_to_saturday_when_27_april_is_sunday(
        self, year: int, kingsday: dt.date
    ) -> None:
        """Koningsdag is 27 April, or Saturday 26 April when 27 April is a Sunday
        (Besluit van 30 januari 2013, Stcrt. 2013, 4075)."""
        found = [d for d, r in ATW.holidays(year).items() if r.startswith("Koningsdag")]

        assert [kingsday] == found

    def test_reason_names_the_article(self) -> None:
        """A holiday's reason cites the article: 'Koningsdag — Atw art 3 lid 1'."""
        assert "Koningsdag — Atw art 3 lid 1" == ATW.non_working_reason(D(2026, 4, 27))


class TestArticle3Lid2:
    """Art 3 lid 2: "Voor de toepassing van deze wet wordt de Goede Vrijdag met de
    in het vorige lid genoemde dagen gelijkgesteld." """

    @pytest.mark.parametrize(
        "good_friday", [D(2025, 4, 18), D(2026, 4, 3), D(2027, 3, 26), D(2028, 4, 14)]
    )
    def test_good_friday(self, good_friday: dt.date) -> None:
        """Goede Vrijdag (Easter − 2 days) is not a working day."""
        assert "Goede Vrijdag — Atw art 3 lid 2" == ATW.non_working_reason(good_friday)

    @pytest.mark.parametrize(
        ("year", "easter"),
        [
            (2025, D(2025, 4, 20)),
            (2026, D(2026, 4, 5)),
            (2027, D(2027, 3, 28)),
            (2028, D(2028, 4, 16)),
        ],
    )
    def test_easter(self, year: int, easter: dt.date) -> None:
        """Easter Sunday as verified in law.md §3.1."""
        assert easter == easter_sunday(year)

    @given(st.integers(min_value=1900, max_value=2199))
    def test_easter_is_a_sunday_in_spring(self, year: int) -> None:
        """Easter is a Sunday between 22 March and 25 April."""
        easter = easter_sunday(year)

        assert 6 == easter.weekday()
        assert D(year, 3, 22) <= easter <= D(year, 4, 25)


class TestArticle3Lid3:
    """Art 3 lid 3: "Wij kunnen bepaalde dagen voor de toepassing van deze wet met de
    in het eerste lid genoemde gelijkstellen. Ons besluit wordt in de Nederlandse
    Staatscourant openbaar gemaakt." """

    @pytest.mark.parametrize(
        "day",
        [
            D(2026, 1, 2),
            D(2026, 5, 15),
            D(2027, 5, 7),
            D(2028, 4, 28),
            D(2028, 5, 26),
            D(2025, 5, 30),
        ],
    )
    def test_designated_days_up_to_2028(self, day: dt.date) -> None:
        """The KB days known up to 2028 (Stcrt. 2025, 24713) are not working days."""
        reason = ATW.non_working_reason(day)

        assert reason is not None
        assert reason.endswith("Atw art 3 lid 3")

    @pytest.mark.parametrize("day", [D(2026, 5, 4), D(2027, 4, 26)])
    def test_mondays_before_tuesday_holidays_are_not_designated(
        self, day: dt.date
    ) -> None:
        """Mon 4 May 2026 and Mon 26 Apr 2027 are ordinary working days."""
        assert ATW.is_workday(day)

    def test_host_adds_days_without_a_release(self) -> None:
        """A host extends the designated days with data, e.g. a new decree for 2029."""
        extra = load_designated_days(
            json.dumps({"dagen": [{"datum": "2029-05-11", "bron": "Stcrt. 2028, 1"}]})
        )
        calendar = AtwCalendar(designated={**ATW.designated, **extra})

        assert ATW.is_workday(D(2029, 5, 11))
        assert not calendar.is_workday(D(2029, 5, 11))
        assert "Stcrt. 2028, 1" in (calendar.non_working_reason(D(2029, 5, 11)) or "")


class TestWorkingDays:
    def test_closing_days_are_working_days_for_the_atw(self) -> None:
        """24 and 31 December are working days under the Atw (law.md §3)."""
        assert ATW.is_workday(D(2026, 12, 24))
        assert ATW.is_workday(D(2026, 12, 31))

    def test_organisation_calendar_adds_closing_days(self) -> None:
        """An organisation calendar closes on its own days, on top of the Atw."""
        org = OrganisationCalendar.from_days(
            "gemeente", [D(2026, 12, 24), D(2026, 12, 31)]
        )

        assert not org.is_workday(D(2026, 12, 24))
        assert not org.is_workday(D(2026, 12, 25))
        assert ATW.is_workday(D(2026, 12, 24))
        assert "sluitingsdag van gemeente" in (
            org.non_working_reason(D(2026, 12, 31)) or ""
        )

    @given(
        st.dates(min_value=D(1991, 1, 1), max_value=D(2099, 1, 1)),
        st.integers(min_value=-40, max_value=40),
    )
    def test_table_and_walk_agree(self, day: dt.date, count: int) -> None:
        """add_workdays via tables equals a day-by-day walk; the result is a working day."""
        step = 1 if count >= 0 else -1
        walk, remaining = day, abs(count)
        while remaining:
            walk += dt.timedelta(days=step)
            remaining -= ATW.is_workday(walk)

        assert walk == ATW.add_workdays(day, count)
        if count:
            assert ATW.is_workday(walk)

    @given(
        st.dates(min_value=D(1991, 1, 1), max_value=D(2099, 1, 1)),
        st.integers(min_value=0, max_value=60),
    )
    def test_workdays_between_counts(self, day: dt.date, span: int) -> None:
        """workdays_between counts the working days after the first day up to the last."""
        until = day + dt.timedelta(days=span)
        expected = sum(
            ATW.is_workday(day + dt.timedelta(days=n)) for n in range(1, span + 1)
        )

        assert expected == ATW.workdays_between(day, until)

    def test_outside_the_table_range(self) -> None:
        """Dates outside the precomputed years still work (slow path)."""
        assert D(2150, 1, 2) == ATW.add_workdays(D(2149, 12, 31), 1)
        assert 1 == ATW.workdays_between(D(2149, 12, 31), D(2150, 1, 2))
