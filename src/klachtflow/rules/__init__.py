"""WHEN and WHO: terms, calendars and permissions as pure functions.

May import :mod:`klachtflow.definition`; never the engine, storage or adapters.
Filled by the terms issue (Algemene termijnenwet calendar and deadlines).
"""

from __future__ import annotations
