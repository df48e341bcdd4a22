"""Does it comply with the law? Rule packs over procedures, each rule citing its article.

Sits above storage and below the adapters in the layer order.
"""

from __future__ import annotations

from klachtflow.compliance.check import PACKS, Report, UnknownRulePack, check_procedure
from klachtflow.compliance.model import Finding, Rule, Severity

__all__ = [
    "PACKS",
    "Finding",
    "Report",
    "Rule",
    "Severity",
    "UnknownRulePack",
    "check_procedure",
]
