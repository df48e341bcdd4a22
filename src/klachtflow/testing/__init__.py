"""Public helpers for people who test procedures and host systems.

Usable without pytest; hypothesis and pytest are imported lazily where needed.
"""

from __future__ import annotations

from klachtflow.testing.procedures import MINIMAL, make_procedure, make_procedure_text

__all__ = ["MINIMAL", "make_procedure", "make_procedure_text"]
