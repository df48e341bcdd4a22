"""SARIF 2.1.0 output, so code hosts show compliance findings inline."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import version
from typing import Any

from klachtflow.compliance.check import PACKS, Report
from klachtflow.compliance.model import Severity

__all__ = ["to_sarif"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def to_sarif(reports: Iterable[Report]) -> dict[str, Any]:
    """One SARIF log with one run over every checked file."""
    reports = list(reports)
    used = sorted({name for report in reports for name in report.packs})
    rules = [rule for name in used for rule in PACKS[name]]
    index = {rule.code: i for i, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "klachtflow",
                        "version": version("klachtflow"),
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.title,
                                "shortDescription": {
                                    "text": f"{rule.title} ({rule.basis})"
                                },
                                "fullDescription": {"text": rule.fix},
                                "helpUri": rule.basis.url
                                or "https://wetten.overheid.nl/",
                                "defaultConfiguration": {
                                    "level": "error"
                                    if rule.severity is Severity.FOUT
                                    else "warning"
                                },
                                "properties": {
                                    "artikel": str(rule.basis),
                                    "pakket": rule.pack,
                                },
                            }
                            for rule in rules
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": finding.code,
                        "ruleIndex": index[finding.code],
                        "level": "error"
                        if finding.severity is Severity.FOUT
                        else "warning",
                        "message": {
                            "text": f"{finding.message} {finding.fix} ({finding.article})"
                        },
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {
                                        "uri": report.procedure.source
                                    },
                                    "region": {
                                        "startLine": finding.line,
                                        "startColumn": finding.column,
                                    },
                                }
                            }
                        ],
                    }
                    for report in reports
                    for finding in report.findings
                ],
            }
        ],
    }
