"""The law as data: the laws klachtflow knows and each regime's obligations.

The lowest layer above :mod:`klachtflow.exceptions`: the loader reads law
names and Atw defaults from it, the engine compiles the run-time obligations
of a procedure's cited articles, and :mod:`klachtflow.compliance` checks
procedures and audits histories against the same values. Nothing here runs.
"""

from __future__ import annotations

from klachtflow.law.atw import (
    STATUTORY_TERMS,
    StatutoryTerm,
    atw_default,
    statutory_term,
)
from klachtflow.law.catalogue import LAWS, Law, find_law, law_by_bwb, suggest_law
from klachtflow.law.model import Citation, Layer, Obligation, Span
from klachtflow.law.regimes import REGIMES, Regime, regime

__all__ = [
    "LAWS",
    "REGIMES",
    "STATUTORY_TERMS",
    "Citation",
    "Law",
    "Layer",
    "Obligation",
    "Regime",
    "Span",
    "StatutoryTerm",
    "atw_default",
    "find_law",
    "law_by_bwb",
    "regime",
    "statutory_term",
    "suggest_law",
]
