"""The streamed report counts what the held one counted.

``skeleton_facts`` (from a checked, streamed read) gives the same facts as
``case_facts`` on the fully loaded case, for every case of a store on both
backends; the histogram median and percentile are those of the list.
"""

from __future__ import annotations

import math
import statistics

from hypothesis import given
from hypothesis import strategies as st

from klachtflow import SqlStore
from klachtflow.engine import Engine
from klachtflow.insight._tally import Tally, skeleton_facts
from klachtflow.insight.facts import CaseFacts, case_facts
from klachtflow.rules.period import parse_period

from .conftest import TODAY


def test_skeleton_facts_are_the_facts_of_the_loaded_case(demo_store: SqlStore) -> None:
    checked = list(
        demo_store.checked_skeletons(measure_fields=("verbetermaatregelen",))
    )
    assert len(checked) == demo_store.count()
    measured = demo_store.filled(("verbetermaatregelen",))
    for skeleton in checked:
        assert skeleton.problems == ()
        case = demo_store.get(skeleton.case_id)
        engine = demo_store.engine_for(case.procedure_digest)
        registration = {
            "categorie": case.data.get("categorie"),
            "domein": case.data.get("domein"),
            "aanbieder": case.data.get("aanbieder"),
            "kanaal": case.data.get("kanaal"),
        }
        expected = case_facts(
            case,
            engine.procedure,
            on=TODAY,
            registration=registration,
            measures=case.id in measured,
            calendar=demo_store.atw,
        )
        assert (
            skeleton_facts(skeleton, engine, on=TODAY, calendar=demo_store.atw)
            == expected
        )


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=200))
def test_the_histogram_gives_the_median_and_percentile_of_the_list(
    days: list[int],
) -> None:
    year = parse_period("2026")
    tally = Tally(year, [year])
    for day in days:
        tally.workdays[day] += 1
    assert tally.median_workdays() == statistics.median(days)
    assert type(tally.median_workdays()) is type(statistics.median(days))
    ordered = sorted(days)
    assert (
        tally.percentile_workdays(0.9)
        == ordered[max(0, math.ceil(0.9 * len(days)) - 1)]
    )


def test_the_full_check_gives_the_same_facts(demo_store: SqlStore) -> None:
    """Through the sealed summaries or every case inspected in full: the same facts."""
    engines: dict[str, Engine] = {}
    summarised = list(demo_store.checked_skeletons())
    full = list(demo_store.checked_skeletons(full=True))
    assert len(summarised) == len(full)
    for quick, slow in zip(summarised, full, strict=True):
        assert not quick.inspected
        assert slow.inspected
        assert quick.summary == slow.summary
        digest = quick.procedure_digest
        engine = engines.setdefault(digest, demo_store.engine_for(digest))
        assert skeleton_facts(
            quick, engine, on=TODAY, calendar=demo_store.atw
        ) == skeleton_facts(slow, engine, on=TODAY, calendar=demo_store.atw)


def test_tallies_of_consecutive_ranges_merge_into_the_tally_of_both(
    demo_store: SqlStore,
) -> None:
    """Counted in two parts (any split, in order) and merged: the one-pass tally."""
    year = parse_period("2026")
    trend = year.preceding(4)
    engines: dict[str, Engine] = {}
    facts = []
    for skeleton in demo_store.checked_skeletons():
        digest = skeleton.procedure_digest
        engine = engines.setdefault(digest, demo_store.engine_for(digest))
        facts.append(skeleton_facts(skeleton, engine, on=TODAY))

    def tally(part: list[CaseFacts]) -> Tally:
        counted = Tally(year, trend, "categorie")
        for fact in part:
            counted.add(fact)
        return counted

    whole = tally(facts)
    for split in range(0, len(facts) + 1, 37):
        first = tally(facts[:split])
        first.merge(tally(facts[split:]))
        assert repr(whole) == repr(first)
