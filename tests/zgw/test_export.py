"""The ZGW export: every body valid against the Catalogi API, every refusal Open Zaak makes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtflow import builtin_procedure, loads_procedure, template_names
from klachtflow.exceptions import DefinitionError, ZgwExportRefused
from klachtflow.zgw import export_catalogus
from klachtflow.zgw._rules import AFLEIDINGSWIJZE_RULES, check_bodies, check_brondatum
from klachtflow.zgw.export import status_numbers

from .oas import CATALOGI_FOR, errors

CATALOGUS = "https://openzaak.example/catalogi/api/v1/catalogussen/8d1b5f34-2a1c-4d6e-9f0a-3b1c2d4e5f60"
#: Municipal templates: they follow the Selectielijst gemeenten and carry a zgw block.
EXPORTED = [
    "bezwaar-awb",
    "gemeente-awb",
    "klachtencoordinator-sociaal-domein",
    "sociaal-domein-stichtse-vecht",
    "veilig-thuis",
]
#: Care providers and the LSR keep their own retention: no Selectielijst class.
REFUSED = [
    "jeugdhulp-jeugdwet",
    "klachtenregeling-igz",
    "vertrouwenspersoon-lsr",
    "zorgaanbieder-wkkgz",
]
SCHEMAS = {
    "statustypen": "StatusType",
    "roltypen": "RolType",
    "resultaattypen": "ResultaatTypeCreate",
    "eigenschappen": "Eigenschap",
}

ZGW_BLOCK = """
zgw:
  doel: Klachten behandelen.
  aanleiding: Een klacht.
  onderwerp: Klacht
  handeling_initiator: Indienen
  handeling_behandelaar: Behandelen
  verantwoordelijke: Klachtenteam
  vertrouwelijkheidaanduiding: zaakvertrouwelijk
  indicatie_intern_of_extern: extern
  publicatie_indicatie: false
  referentieproces: Klachtbehandeling
"""
BASE = """schema: klachtflow/1
naam: klein
titel: Kleine klachtprocedure
versie: "1"
geldig_vanaf: 2026-01-01
regime: eigen
rollen:
  klager: {soort: partij, omschrijving_generiek: initiator}
  behandelaar: {soort: organisatie, omschrijving_generiek: behandelaar}
statussen:
  ontvangen:
    begin: true
  afgehandeld:
    eind: true
acties:
  handel_af:
    van: ontvangen
    naar: afgehandeld
    wie: behandelaar
    resultaat: gegrond
termijnen:
  afhandeling:
    duur: 6 weken
    start:
      - binnenkomst: ontvangen
    stop:
      - vertrek: ontvangen
resultaten:
  gegrond:
    archiefnominatie: vernietigen
    bewaartermijn: 5 jaar
    selectielijstklasse: "13.1"
gegevens:
  kanaal: {type: keuze, waarden_uit: kanalen}
registratie:
  kanalen: [brief, e-mail]
"""


def _export(text: str, version: str = "1.3") -> dict[str, Any]:
    procedure = loads_procedure(text, source="klein.yaml")
    return export_catalogus(
        procedure, catalogus=CATALOGUS, api_version=version
    ).as_dict()


def _refusals(text: str) -> list[tuple[str, int, str]]:
    with pytest.raises(ZgwExportRefused) as info:
        _export(text)
    return [(i.code, i.line, i.path) for i in info.value.issues]


class TestTemplatesAgainstTheStandard:
    @pytest.mark.parametrize("version", ["1.3", "1.4"])
    @pytest.mark.parametrize("name", EXPORTED)
    def test_every_body_validates_against_the_catalogi_api(
        self, name: str, version: str
    ) -> None:
        """Each request body of a municipal template is valid for its Catalogi API schema."""
        exported = export_catalogus(
            builtin_procedure(name), catalogus=CATALOGUS, api_version=version
        ).as_dict()
        spec = CATALOGI_FOR[version]
        problems = errors(spec, "ZaakTypeCreate", exported["zaaktype"])
        for key, schema in SCHEMAS.items():
            for body in exported[key]:
                problems += errors(spec, schema, body)

        assert [] == problems
        assert len(exported["statustypen"]) >= 2

    @pytest.mark.parametrize("name", REFUSED)
    def test_templates_without_selectielijst_are_refused(self, name: str) -> None:
        """A template whose results follow no Selectielijst cannot be published in Open Zaak."""
        with pytest.raises(ZgwExportRefused) as info:
            export_catalogus(builtin_procedure(name), catalogus=CATALOGUS)
        codes = {i.code for i in info.value.issues}

        assert {"KF-Z010", "KF-Z023"} == codes

    def test_all_templates_are_covered(self) -> None:
        """Every built-in template is either exported or refused on purpose."""
        assert sorted(EXPORTED + REFUSED) == sorted(template_names())

    def test_validator_rejects_a_broken_body(self) -> None:
        """The schema check can fail: a StatusType without volgnummer is refused."""
        body = {"omschrijving": "Ontvangen", "zaaktype": CATALOGUS}

        assert ["<body>: 'volgnummer' is a required property"] == errors(
            "catalogi-1.3.1", "StatusType", body
        )


class TestMapping:
    def test_statuses_in_order_with_one_eindstatus_last(self) -> None:
        """Non-final leaves keep their order; all end statuses share the highest volgnummer."""
        procedure = builtin_procedure("gemeente-awb")
        exported = export_catalogus(procedure, catalogus=CATALOGUS)
        numbers = [b["volgnummer"] for b in exported.statustypen]
        ends = {
            n
            for s, n in status_numbers(procedure).items()
            if s in procedure.final_states
        }

        assert list(range(1, len(numbers) + 1)) == numbers
        assert {numbers[-1]} == ends
        assert "Afgehandeld" == exported.statustypen[-1]["omschrijving"]
        assert "Onvrede geuit" == exported.statustypen[0]["omschrijving"]

    def test_roles_carry_their_generic_description(self) -> None:
        """klager → initiator, klachtencoördinator → zaakcoordinator, beklaagde → belanghebbende."""
        exported = export_catalogus(
            builtin_procedure("gemeente-awb"), catalogus=CATALOGUS
        )
        generic = {
            b["omschrijving"]: b["omschrijvingGeneriek"] for b in exported.roltypen
        }

        assert "initiator" == generic["klager"]
        assert "zaakcoordinator" == generic["klachtencoördinator"]
        assert "belanghebbende" == generic["beklaagde"]
        assert "beslisser" == generic["bestuursorgaan (of gemandateerde)"]
        assert "adviseur" == generic["klachtenfunctionaris"]

    def test_results_follow_selectielijst_2020_procestype_13(self) -> None:
        """13.1 five years, 13.1.2 ten, 13.1.4 and 13.2 one; afleidingswijze afgehandeld."""
        exported = export_catalogus(
            builtin_procedure("gemeente-awb"), catalogus=CATALOGUS
        )
        terms = {
            b["selectielijstklasse"].rpartition(":")[2]: b["archiefactietermijn"]
            for b in exported.resultaattypen
        }

        assert {
            "13.1": "P5Y",
            "13.1.2": "P10Y",
            "13.1.4": "P1Y",
            "13.2": "P1Y",
        } == terms
        assert {"afgehandeld"} == {
            b["brondatumArchiefprocedure"]["afleidingswijze"]
            for b in exported.resultaattypen
        }
        assert exported.zaaktype["selectielijstProcestype"].endswith(":procestype:13")

    def test_handling_term_is_doorlooptijd_in_calendar_days(self) -> None:
        """Awb 9:11 lid 1 six weeks → P42D; the 9:11 lid 2 extension of four weeks → P28D."""
        zaaktype = export_catalogus(
            builtin_procedure("gemeente-awb"), catalogus=CATALOGUS
        ).zaaktype

        assert "P42D" == zaaktype["doorlooptijd"]
        assert zaaktype["verlengingMogelijk"] is True
        assert "P28D" == zaaktype["verlengingstermijn"]

    def test_registration_fields_become_eigenschappen(self) -> None:
        """A keuze field from registratie is a tekst eigenschap with its values."""
        eigenschap = _export(BASE + ZGW_BLOCK)["eigenschappen"][0]

        assert "kanaal" == eigenschap["naam"]
        assert {
            "formaat": "tekst",
            "lengte": "6",
            "kardinaliteit": "1",
            "waardenverzameling": ["brief", "e-mail"],
        } == eigenschap["specificatie"]

    def test_versions_differ_where_the_standard_does(self) -> None:
        """Catalogi 1.3 sends versiedatum; 1.4 deprecated it."""
        assert "versiedatum" in _export(BASE + ZGW_BLOCK, "1.3")["zaaktype"]
        assert "versiedatum" not in _export(BASE + ZGW_BLOCK, "1.4")["zaaktype"]

    def test_placeholders_are_well_formed_uris(self) -> None:
        """What only the server knows is a urn: placeholder, never an invented URL."""
        exported = _export(BASE + ZGW_BLOCK)

        assert exported["statustypen"][0]["zaaktype"] == "urn:klachtflow:zaaktype:klein"
        assert exported["resultaattypen"][0]["resultaattypeomschrijving"] == (
            "urn:klachtflow:referentielijsten:resultaattypeomschrijving:Afgehandeld"
        )


class TestRefusals:
    def test_a_valid_small_procedure_is_not_refused(self) -> None:
        """The passing example for every rule below."""
        assert 2 == len(_export(BASE + ZGW_BLOCK)["statustypen"])

    def test_missing_zgw_block(self) -> None:
        """Without a zgw block the required ZaakType fields have no source."""
        assert [("KF-Z010", 1, "")] == _refusals(BASE)

    def test_result_without_selectielijstklasse(self) -> None:
        """Open Zaak publishes only when every resultaattype has a selectielijstklasse."""
        text = (BASE + ZGW_BLOCK).replace('    selectielijstklasse: "13.1"\n', "")

        assert [("KF-Z023", 29, "resultaten.gegrond")] == _refusals(text)

    def test_procestype_mismatch(self) -> None:
        """A class of another procestype than 13 is Open Zaak's procestype-mismatch."""
        text = (BASE + ZGW_BLOCK).replace('"13.1"', '"11.1"')

        assert [("KF-Z025", 32, "resultaten.gegrond.selectielijstklasse")] == _refusals(
            text
        )

    def test_unknown_class(self) -> None:
        """A class that is not in the Selectielijst is refused with the known ones."""
        text = (BASE + ZGW_BLOCK).replace('"13.1"', '"13.9"')

        assert [("KF-Z024", 32, "resultaten.gegrond.selectielijstklasse")] == _refusals(
            text
        )

    def test_working_days_have_no_calendar_length(self) -> None:
        """doorlooptijd is in calendar days (Catalogi API); werkdagen cannot be converted."""
        text = (BASE + ZGW_BLOCK).replace("duur: 6 weken", "duur: 10 werkdagen")

        assert [("KF-Z013", 23, "termijnen.afhandeling.duur")] == _refusals(text)

    def test_missing_handling_term(self) -> None:
        """Without the named term there is no doorlooptijd."""
        text = (BASE + ZGW_BLOCK).replace("  afhandeling:\n", "  reactie:\n")

        assert ["KF-Z012"] == [c for c, _, _ in _refusals(text)]

    def test_too_long_title(self) -> None:
        """ResultaatType.omschrijving has maxLength 30."""
        text = (BASE + ZGW_BLOCK).replace(
            "  gegrond:\n    archief",
            "  gegrond:\n    titel: Een veel te lange titel voor een resultaat\n    archief",
        )

        assert [("KF-Z011", 30, "resultaten.gegrond.titel")] == _refusals(text)

    def test_personal_field_is_no_eigenschap(self) -> None:
        """Personal data never becomes an eigenschap; unknown names are refused too."""
        text = (BASE + ZGW_BLOCK).replace(
            "  kanaal: {type: keuze, waarden_uit: kanalen}\n",
            "  kanaal: {type: keuze, waarden_uit: kanalen}\n"
            "  naam: {type: tekst, persoonsgegeven: true}\n",
        ) + "  eigenschappen: [kanaal, naam, bestaat_niet]\n"

        assert ["KF-Z014", "KF-Z015"] == sorted(c for c, _, _ in _refusals(text))

    def test_too_few_status_types_no_role_no_result(self) -> None:
        """Publish needs two statustypen, a roltype and a resultaattype."""
        found = check_bodies(
            zaaktype={},
            statustypen=[{}],
            roltypen=[],
            resultaattypen=[],
            result_paths=[],
        )

        assert ["KF-Z020", "KF-Z021", "KF-Z022"] == [f.code for f in found]

    def test_verlenging_without_term(self) -> None:
        """Open Zaak's VerlengingsValidator: verlengingMogelijk needs a verlengingstermijn."""
        ok = {"verlengingMogelijk": True, "verlengingstermijn": "P28D"}
        broken = {"verlengingMogelijk": True, "verlengingstermijn": None}
        kwargs: dict[str, Any] = {
            "statustypen": [{}, {}],
            "roltypen": [{}],
            "resultaattypen": [],
            "result_paths": [],
        }

        assert "KF-Z027" not in [f.code for f in check_bodies(zaaktype=ok, **kwargs)]
        assert "KF-Z027" in [f.code for f in check_bodies(zaaktype=broken, **kwargs)]

    def test_brondatum_required_unless_blijvend_bewaren(self) -> None:
        """BrondatumArchiefprocedureValidator: required unless archiefnominatie blijvend_bewaren."""
        base = {
            "omschrijving": "x",
            "selectielijstklasse": "urn:klachtflow:selectielijst:2020:resultaat:13.1",
        }

        def codes(**extra: Any) -> list[str]:
            return [
                f.code
                for f in check_bodies(
                    zaaktype={},
                    statustypen=[{}, {}],
                    roltypen=[{}],
                    resultaattypen=[{**base, **extra}],
                    result_paths=[("resultaten", "x")],
                )
            ]

        assert ["KF-Z026"] == codes(archiefnominatie="vernietigen")
        assert [] == codes(archiefnominatie="blijvend_bewaren")
        assert ["KF-Z029"] == codes(
            archiefnominatie="vernietigen",
            brondatumArchiefprocedure={"afleidingswijze": "hoofdzaak"},
        )


class TestAfleidingswijze:
    def test_termijn_needs_procestermijn_and_nothing_else(self) -> None:
        """'termijn': procestermijn filled, datumkenmerk and the others empty."""
        assert [] == list(
            check_brondatum({"afleidingswijze": "termijn", "procestermijn": "P5Y"})
        )
        assert [
            ("procestermijn", "required"),
            ("datumkenmerk", "must-be-empty"),
        ] == list(check_brondatum({"afleidingswijze": "termijn", "datumkenmerk": "x"}))

    def test_ander_datumkenmerk_needs_three_fields(self) -> None:
        """'ander_datumkenmerk': datumkenmerk, objecttype and registratie required."""
        assert [
            ("datumkenmerk", "required"),
            ("objecttype", "required"),
            ("registratie", "required"),
        ] == list(check_brondatum({"afleidingswijze": "ander_datumkenmerk"}))

    @given(
        st.sampled_from(sorted(AFLEIDINGSWIJZE_RULES)),
        st.fixed_dictionaries(
            {},
            optional={
                "procestermijn": st.sampled_from(["", "P5Y"]),
                "datumkenmerk": st.sampled_from(["", "x"]),
                "einddatumBekend": st.booleans(),
                "objecttype": st.sampled_from(["", "zaak"]),
                "registratie": st.sampled_from(["", "BRP"]),
            },
        ),
    )
    def test_a_body_that_follows_the_table_passes(
        self, wijze: str, extra: dict[str, Any]
    ) -> None:
        """Filling exactly the 'must be filled' subfields always passes; others only report."""
        fields = (
            "procestermijn",
            "datumkenmerk",
            "einddatumBekend",
            "objecttype",
            "registratie",
        )
        rules = dict(zip(fields, AFLEIDINGSWIJZE_RULES[wijze], strict=True))
        body = {"afleidingswijze": wijze, **extra}
        problems = dict(check_brondatum(body))

        for name, rule in rules.items():
            filled = bool(body.get(name))
            broken = (rule is True and not filled) or (rule is False and filled)
            assert broken == (name in problems)


class TestZgwBlockInYaml:
    def test_unknown_key_is_a_positioned_issue(self) -> None:
        """A typo in the zgw block is reported at its line with a suggestion."""
        text = BASE + ZGW_BLOCK.replace("onderwerp:", "onderwrep:")
        with pytest.raises(DefinitionError) as info:
            loads_procedure(text, source="klein.yaml")
        issues = [(i.code, i.line, i.hint) for i in info.value.issues]

        assert ("KF-D006", 41, "Bedoelde u 'onderwerp'?") in issues

    def test_wrong_value_is_refused(self) -> None:
        """vertrouwelijkheidaanduiding only takes the eight ZGW values."""
        text = BASE + ZGW_BLOCK.replace("zaakvertrouwelijk", "geheimpje")
        with pytest.raises(DefinitionError) as info:
            loads_procedure(text, source="klein.yaml")

        assert ["KF-D010"] == [i.code for i in info.value.issues]
