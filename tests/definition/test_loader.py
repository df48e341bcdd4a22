"""The loader: every problem in one pass, each with code, position and a hint."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from klachtflow import DefinitionError, load_procedure, loads_procedure
from klachtflow.testing import make_procedure, make_procedure_text

PROCEDURES = Path(__file__).resolve().parents[1] / "procedures"
INVALID = sorted((PROCEDURES / "invalid").glob("*.yaml"))


def _expected(path: Path) -> list[tuple[str, int]]:
    found = re.findall(
        r"^# verwacht: (KF-D\d{3}) regel (\d+)$", path.read_text("utf-8"), re.M
    )
    return sorted((code, int(line)) for code, line in found)


def _issues(text: str) -> list[tuple[str, int]]:
    with pytest.raises(DefinitionError) as info:
        loads_procedure(text, source="t.yaml")
    return sorted((i.code, i.line) for i in info.value.issues)


def _codes(text: str) -> set[str]:
    return {code for code, _ in _issues(text)}


class TestFixtures:
    @pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
    def test_invalid_fixture_reports_exactly_the_expected_issues(
        self, path: Path
    ) -> None:
        """Each invalid fixture yields exactly the codes and lines in its header."""
        with pytest.raises(DefinitionError) as info:
            load_procedure(path)

        assert _expected(path) == sorted((i.code, i.line) for i in info.value.issues)

    def test_minimal_fixture_is_valid(self) -> None:
        """The minimal fixture loads, with its source recorded."""
        procedure = load_procedure(PROCEDURES / "minimaal.yaml")

        assert ("minimaal", "ontvangen") == (procedure.name, procedure.initial)
        assert procedure.source.endswith("minimaal.yaml")


class TestIssueShape:
    def test_issue_carries_position_path_message_and_hint(self) -> None:
        """An issue names file, line, column, YAML path, a Dutch message and a hint."""
        text = make_procedure_text(
            acties={
                "handel_af": {
                    "van": "ontvangen",
                    "naar": "afgehandelt",
                    "wie": "behandelaar",
                }
            }
        )
        with pytest.raises(DefinitionError) as info:
            loads_procedure(text, source="klacht.yaml")
        issue = info.value.issues[0]

        assert "KF-D004" == issue.code
        assert "acties.handel_af.naar" == issue.path
        assert "klacht.yaml" == issue.source
        assert issue.line > 1
        assert issue.column > 1
        assert "afgehandelt" in issue.message
        assert "Bedoelde u 'afgehandeld'?" == issue.hint
        assert str(issue).startswith(f"klacht.yaml:{issue.line}:{issue.column}  ")

    def test_error_lists_every_issue_sorted_by_position(self) -> None:
        """All problems come in one error, sorted by line, the first one as headline."""
        text = make_procedure_text(regime="awb", titel=None, versie=1.5)
        with pytest.raises(DefinitionError) as info:
            loads_procedure(text)
        lines = [i.line for i in info.value.issues]

        assert 3 == len(info.value.issues)
        assert sorted(lines) == lines
        assert info.value.issues[0].code == info.value.code
        assert str(info.value).count("KF-D") == 3

    def test_error_is_a_value_error(self) -> None:
        """Callers that catch ValueError also catch DefinitionError."""
        with pytest.raises(ValueError, match="ongeldig"):
            loads_procedure("naam: x\n")

    def test_unreadable_file_is_a_definition_error(self, tmp_path: Path) -> None:
        """A missing file raises DefinitionError KF-D000, not OSError."""
        with pytest.raises(DefinitionError) as info:
            load_procedure(tmp_path / "bestaat-niet.yaml")

        assert "KF-D000" == info.value.code

    def test_text_must_be_str(self) -> None:
        """Passing bytes to loads_procedure is a programmer error with a clear message."""
        with pytest.raises(TypeError, match="load_procedure"):
            loads_procedure(b"naam: x")  # type: ignore[arg-type]


class TestStructure:
    def test_unknown_key_suggests_the_right_one(self) -> None:
        """A misspelled key is refused with 'Bedoelde u'."""
        text = make_procedure_text(
            statussen={
                "ontvangen": {"begin": True, "informeeren": True},
                "afgehandeld": {"eind": True},
            }
        )
        with pytest.raises(DefinitionError) as info:
            loads_procedure(text)

        assert ["KF-D006"] == [i.code for i in info.value.issues]
        assert "Bedoelde u 'informeren'?" == info.value.issues[0].hint

    @pytest.mark.parametrize(
        ("overrides", "code"),
        [
            ({"schema": "klachtflow/2"}, "KF-D011"),
            ({"naam": "Mijn Procedure"}, "KF-D010"),
            ({"geldig_vanaf": "1 januari"}, "KF-D008"),
            ({"geldig_tot": "2025-01-01"}, "KF-D010"),
            ({"rollen": []}, "KF-D008"),
            ({"rollen": {}}, "KF-D007"),
            ({"statussen": None}, "KF-D007"),
        ],
    )
    def test_identity_problems(self, overrides: dict[str, object], code: str) -> None:
        """Problems in the procedure's identity get their own codes."""
        assert code in _codes(make_procedure_text(**overrides))

    def test_versie_as_number_asks_for_quotes(self) -> None:
        """versie: 1.0 is a float in YAML; the hint says to quote it."""
        with pytest.raises(DefinitionError) as info:
            loads_procedure(make_procedure_text(versie=1.0))

        assert "aanhalingstekens" in (info.value.issues[0].hint or "")

    def test_grondslag_needs_wet_or_regeling(self) -> None:
        """A legal basis names a statute or a local rule, exactly one of them."""
        codes = _codes(make_procedure_text(grondslag=[{"artikel": "9:1"}]))

        assert {"KF-D015"} == codes

    def test_bwb_id_form_is_checked(self) -> None:
        """A BWB id looks like BWBR0005537."""
        assert {"KF-D010"} == _codes(
            make_procedure_text(
                grondslag={"wet": "Awb", "artikel": "9:1", "bwb": "BWB5537"}
            )
        )


class TestNames:
    @pytest.mark.parametrize(
        "name", ["trigger", "state", "to_afgehandeld", "is_open", "may_x"]
    )
    def test_reserved_action_names_are_refused(self, name: str) -> None:
        """Names the state-machine library uses internally are refused."""
        acties = {
            name: {"van": "ontvangen", "naar": "afgehandeld", "wie": "behandelaar"}
        }

        assert {"KF-D009"} == _codes(make_procedure_text(acties=acties))

    def test_name_with_accent_gets_an_ascii_suggestion(self) -> None:
        """'klachtencoördinator' is refused with the suggestion 'klachtencoordinator'."""
        rollen = {
            "klager": {"soort": "partij", "omschrijving_generiek": "initiator"},
            "behandelaar": {
                "soort": "organisatie",
                "omschrijving_generiek": "behandelaar",
            },
            "klachtencoördinator": {
                "soort": "organisatie",
                "omschrijving_generiek": "zaakcoordinator",
            },
        }
        with pytest.raises(DefinitionError) as info:
            loads_procedure(make_procedure_text(rollen=rollen))

        assert "'klachtencoordinator'" in (info.value.issues[0].hint or "")

    def test_state_names_are_unique_across_levels(self) -> None:
        """A nested state may not reuse the name of another state."""
        statussen = {
            "ontvangen": {"begin": True, "statussen": {"afgehandeld": {"begin": True}}},
            "afgehandeld": {"eind": True},
        }

        assert "KF-D024" in _codes(make_procedure_text(statussen=statussen))


class TestGraph:
    def test_nested_states_and_parent_sources(self) -> None:
        """An action from a parent state covers its children; dotted paths resolve."""
        procedure = make_procedure(
            statussen={
                "formeel": {
                    "begin": True,
                    "statussen": {"ontvangen": {"begin": True}, "horen": {}},
                },
                "afgehandeld": {"eind": True},
            },
            acties={
                "hoor": {
                    "van": "formeel.ontvangen",
                    "naar": "formeel.horen",
                    "wie": "behandelaar",
                },
                "handel_af": {
                    "van": "formeel",
                    "naar": "afgehandeld",
                    "wie": "behandelaar",
                },
            },
        )

        assert "formeel.horen" == procedure.states["horen"].path
        assert "horen" == procedure.actions["hoor"].target
        assert "ontvangen" == procedure.entry_leaf("formeel")
        assert {"hoor", "handel_af"} == {
            a.name for a in procedure.actions_from("ontvangen")
        }
        assert ["handel_af"] == [a.name for a in procedure.actions_from("horen")]

    def test_compound_state_needs_one_initial_child(self) -> None:
        """A state with sub-states needs exactly one 'begin' among them."""
        statussen = {
            "formeel": {"begin": True, "statussen": {"a": {}, "b": {}}},
            "afgehandeld": {"eind": True},
        }

        assert "KF-D025" in _codes(make_procedure_text(statussen=statussen))

    def test_two_start_states(self) -> None:
        """Exactly one start state is allowed."""
        statussen = {
            "ontvangen": {"begin": True},
            "x": {"begin": True},
            "afgehandeld": {"eind": True},
        }

        assert "KF-D020" in _codes(make_procedure_text(statussen=statussen))

    def test_no_end_state(self) -> None:
        """A procedure without an end state is refused."""
        statussen = {"ontvangen": {"begin": True}, "afgehandeld": {}}

        assert "KF-D023" in _codes(make_procedure_text(statussen=statussen))

    def test_wildcard_source_covers_every_open_top_level_state(self) -> None:
        """van: '*' means every top-level state that is not an end state."""
        procedure = make_procedure(
            statussen={
                "ontvangen": {"begin": True},
                "bezig": {},
                "afgehandeld": {"eind": True},
                "weg": {"eind": True},
            },
            acties={
                "start": {"van": "ontvangen", "naar": "bezig", "wie": "behandelaar"},
                "handel_af": {
                    "van": "bezig",
                    "naar": "afgehandeld",
                    "wie": "behandelaar",
                },
                "trek_in": {"van": "*", "naar": "weg", "wie": "klager"},
            },
        )

        assert ("ontvangen", "bezig") == procedure.actions["trek_in"].sources

    def test_internal_action_keeps_the_state(self) -> None:
        """An action without 'naar' records something and keeps the status."""
        procedure = make_procedure(
            acties={
                "noteer": {"van": "ontvangen", "wie": "behandelaar"},
                "handel_af": {
                    "van": "ontvangen",
                    "naar": "afgehandeld",
                    "wie": "behandelaar",
                },
            }
        )

        assert procedure.actions["noteer"].target is None


class TestActions:
    def test_separation_and_consent_need_parties(self) -> None:
        """niet_partij and instemming name case parties, not organisation roles."""
        acties = {
            "handel_af": {
                "van": "ontvangen",
                "naar": "afgehandeld",
                "wie": "behandelaar",
                "scheiding": [{"niet_partij": "behandelaar"}],
                "instemming": {"van": ["behandelaar"]},
            }
        }

        assert ["KF-D014", "KF-D014"] == [
            c for c, _ in _issues(make_procedure_text(acties=acties))
        ]

    def test_data_check_values_must_fit_the_field(self) -> None:
        """A check on a ja_nee field with 'ja' instead of true is refused with a fix."""
        gegevens = {"schriftelijk": {"type": "ja_nee"}}
        acties = {
            "handel_af": {
                "van": "ontvangen",
                "naar": "afgehandeld",
                "wie": "behandelaar",
                "controles": [{"veld": "schriftelijk", "is": "ja"}],
            }
        }

        assert {"KF-D042"} == _codes(
            make_procedure_text(gegevens=gegevens, acties=acties)
        )

    def test_result_field_must_be_a_choice_of_results(self) -> None:
        """resultaat_veld names a keuze field whose values are results."""
        gegevens = {"oordeel": {"type": "keuze", "waarden": ["gegrond", "onzin"]}}
        resultaten = {
            "gegrond": {"archiefnominatie": "vernietigen", "bewaartermijn": "5 jaar"}
        }
        acties = {
            "handel_af": {
                "van": "ontvangen",
                "naar": "afgehandeld",
                "wie": "behandelaar",
                "resultaat_veld": "oordeel",
            }
        }

        assert {"KF-D016"} == _codes(
            make_procedure_text(gegevens=gegevens, resultaten=resultaten, acties=acties)
        )

    def test_choice_field_needs_values(self) -> None:
        """A keuze field without waarden is refused."""
        assert {"KF-D041"} == _codes(
            make_procedure_text(gegevens={"k": {"type": "keuze"}})
        )

    def test_result_retention_follows_archive_nomination(self) -> None:
        """vernietigen needs a bewaartermijn; blijvend_bewaren has none."""
        resultaten = {
            "a": {"archiefnominatie": "vernietigen"},
            "b": {"archiefnominatie": "blijvend_bewaren", "bewaartermijn": "5 jaar"},
        }

        assert ["KF-D040", "KF-D040"] == [
            c for c, _ in _issues(make_procedure_text(resultaten=resultaten))
        ]


class TestProcedureValue:
    def test_procedure_is_frozen(self) -> None:
        """A Procedure cannot be changed after loading."""
        procedure = make_procedure()

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            procedure.name = "x"  # type: ignore[misc]
        with pytest.raises(TypeError):
            procedure.states["x"] = procedure.states["ontvangen"]  # type: ignore[index]

    def test_digest_ignores_comments_and_layout(self) -> None:
        """Comments, layout and equivalent spellings keep the digest; content changes it."""
        text = (PROCEDURES / "minimaal.yaml").read_text("utf-8")
        commented = "# een opmerking\n" + text.replace(
            "wie: behandelaar", "wie: [behandelaar]  # rol"
        )
        changed = text.replace('versie: "1"', 'versie: "2"')

        assert loads_procedure(text).digest == loads_procedure(commented).digest
        assert loads_procedure(text).digest != loads_procedure(changed).digest
        assert loads_procedure(text).digest.startswith("sha256:")
