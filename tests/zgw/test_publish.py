"""Publishing a zaaktype through a real HTTP Catalogi API: in order, idempotent, fault-proof."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from klachtflow import builtin_procedure
from klachtflow.adapters.cli import cli
from klachtflow.definition.templates import template_text
from klachtflow.exceptions import ZgwRequestRefused, ZgwUnreachable
from klachtflow.zgw._http import Credentials, ZgwClient
from klachtflow.zgw._jwt import decode_token, zgw_token
from klachtflow.zgw.publish import PublishReport, publish

from .conftest import client
from .server import CLIENT_ID, SECRET, ZgwServer

#: statustypen + roltypen + resultaattypen + eigenschappen + the zaaktype.
GEMEENTE_AWB = 10 + 10 + 8 + 4 + 1


def _publish(
    server: ZgwServer, name: str = "gemeente-awb", **kwargs: str
) -> PublishReport:
    with client(server, "catalogi") as api, client(server, "selectielijst") as lists:
        return publish(
            builtin_procedure(name),
            catalogi=api,
            selectielijst=lists,
            catalogus=server.api("catalogi") + "catalogussen/1",
            **kwargs,
        )


class TestJwt:
    def test_known_vector(self) -> None:
        """The HS256 check agrees with the published jwt.io example token."""
        # The public jwt.io example token, not a credential.
        token = ".".join(
            [
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
                "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
                "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            ]
        )

        assert {"sub": "1234567890", "name": "John Doe", "iat": 1516239022} == (
            decode_token(token, "your-256-bit-secret")
        )
        assert decode_token(token, "een ander geheim") is None

    def test_zgw_claims(self) -> None:
        """The token names the client in iss and client_id and is signed with the secret."""
        claims = decode_token(zgw_token("kf", "s", issued_at=1767225600), "s")

        assert claims is not None
        assert ("kf", "kf", 1767225600) == (
            claims["iss"],
            claims["client_id"],
            claims["iat"],
        )


class TestPublish:
    @pytest.mark.parametrize("version", ["1.3", "1.4"])
    def test_creates_everything_in_order(self, version: str) -> None:
        """Zaaktype first, then its parts; the server validated each body against the spec."""
        server = ZgwServer(api_version=version)
        try:
            report = _publish(server, api_version=version)
        finally:
            server.stop()
        kinds = [r.kind for r in report.resources]

        assert GEMEENTE_AWB == len(report.created)
        assert "zaaktype" == kinds[0]
        assert kinds == sorted(
            kinds,
            key=[
                "zaaktype",
                "statustypen",
                "roltypen",
                "resultaattypen",
                "eigenschappen",
            ].index,
        )
        assert not any(status == 400 for _, _, status in server.requests)

    def test_second_run_finds_what_exists(self, server: ZgwServer) -> None:
        """Publishing twice creates nothing the second time."""
        _publish(server)
        again = _publish(server)

        assert (0, GEMEENTE_AWB) == (len(again.created), len(again.found))
        assert set(server.duplicates().values()) == {0}

    def test_placeholders_are_resolved(self, server: ZgwServer) -> None:
        """Selectielijst rows are looked up by number, across pages."""
        _publish(server)
        klassen = {r["selectielijstklasse"] for r in server.items("resultaattypen")}

        assert all(
            k.startswith(server.api("selectielijst") + "resultaten/") for k in klassen
        )
        assert 4 == len(klassen)

    @pytest.mark.parametrize("fault", ["500", "timeout", "drop"])
    def test_failure_halfway_then_rerun(self, server: ZgwServer, fault: str) -> None:
        """A failed request stops the run; the next run completes it without duplicates."""
        server.faults.extend(["ok"] * 12 + [fault])
        with pytest.raises(ZgwUnreachable):
            _publish(server)
        report = _publish(server)
        total = sum(
            len(server.items(k))
            for k in (
                "zaaktypen",
                "statustypen",
                "roltypen",
                "resultaattypen",
                "eigenschappen",
            )
        )

        assert GEMEENTE_AWB == total
        assert GEMEENTE_AWB == len(report.resources)
        assert set(server.duplicates().values()) == {0}

    def test_slow_answer_within_timeout(self, server: ZgwServer) -> None:
        """A slow server is waited for."""
        server.fail_next("slow", "slow")

        assert GEMEENTE_AWB == len(_publish(server).created)

    def test_connection_refused(self, server: ZgwServer) -> None:
        """No listener: ZgwUnreachable, nothing half-made."""
        with server.down(), pytest.raises(ZgwUnreachable) as info:
            _publish(server)

        assert "geen verbinding" in info.value.reason

    def test_wrong_secret_is_refused(self, server: ZgwServer) -> None:
        """The server checks the JWT signature: 403."""
        wrong = Credentials(CLIENT_ID, "fout")
        with (
            ZgwClient(server.api("catalogi"), credentials=wrong) as api,
            pytest.raises(ZgwRequestRefused) as info,
        ):
            api.get("zaaktypen")

        assert 403 == info.value.status

    def test_refusal_carries_invalid_params(self, server: ZgwServer) -> None:
        """A body the schema refuses comes back as ZgwRequestRefused with the field."""
        with (
            client(server, "catalogi") as api,
            pytest.raises(ZgwRequestRefused) as info,
        ):
            api.post("statustypen", {"omschrijving": "x"})

        assert 400 == info.value.status
        assert any(
            e.startswith("<body>") and "volgnummer" in e for e in info.value.errors
        )


class TestCli:
    def _args(self, server: ZgwServer, path: str) -> list[str]:
        return [
            "zgw",
            "publiceer",
            path,
            "--catalogi-api",
            server.api("catalogi"),
            "--catalogus",
            server.api("catalogi") + "catalogussen/1",
            "--selectielijst-api",
            server.api("selectielijst"),
            "--client-id",
            CLIENT_ID,
            "--secret",
            SECRET,
            "--timeout",
            "1",
        ]

    def test_publiceer_twice(
        self, server: ZgwServer, tmp_path: pytest.TempPathFactory
    ) -> None:
        """Exit 0 both times; the second run reports everything as present."""
        path = tmp_path / "klacht.yaml"  # type: ignore[operator]
        path.write_text(template_text("gemeente-awb"), "utf-8")
        runner = CliRunner()
        first = runner.invoke(cli, self._args(server, str(path)))
        second = runner.invoke(cli, self._args(server, str(path)))

        assert (0, 0) == (first.exit_code, second.exit_code)
        assert f"{GEMEENTE_AWB} aangemaakt, 0 al aanwezig" in first.output
        assert f"0 aangemaakt, {GEMEENTE_AWB} al aanwezig" in second.output

    def test_unreachable_is_exit_3(
        self, server: ZgwServer, tmp_path: pytest.TempPathFactory
    ) -> None:
        """An API that does not answer is a runtime problem: exit 3, Dutch text, no traceback."""
        path = tmp_path / "klacht.yaml"  # type: ignore[operator]
        path.write_text(template_text("gemeente-awb"), "utf-8")
        with server.down():
            result = CliRunner().invoke(cli, self._args(server, str(path)))

        assert 3 == result.exit_code
        assert "antwoordt niet goed" in result.output
        assert "Traceback" not in result.output

    def test_catalogus_refused_is_exit_1(
        self, tmp_path: pytest.TempPathFactory
    ) -> None:
        """A template Open Zaak would refuse prints the issue list and exits 1."""
        path = tmp_path / "wkkgz.yaml"  # type: ignore[operator]
        path.write_text(template_text("zorgaanbieder-wkkgz"), "utf-8")
        result = CliRunner().invoke(
            cli,
            ["zgw", "catalogus", str(path), "--catalogus", "https://oz.example/c/1"],
        )

        assert 1 == result.exit_code
        assert "(KF-Z023)" in result.output

    def test_catalogus_prints_json(self, tmp_path: pytest.TempPathFactory) -> None:
        """The printed object has the five keys of the issue."""
        import json  # noqa: PLC0415

        path = tmp_path / "klacht.yaml"  # type: ignore[operator]
        path.write_text(template_text("gemeente-awb"), "utf-8")
        result = CliRunner().invoke(
            cli,
            [
                "zgw",
                "catalogus",
                str(path),
                "--catalogus",
                "https://oz.example/c/1",
                "--api-versie",
                "1.4",
            ],
        )

        assert 0 == result.exit_code
        assert [
            "eigenschappen",
            "resultaattypen",
            "roltypen",
            "statustypen",
            "zaaktype",
        ] == sorted(json.loads(result.output))
