"""The outer ring: the command line and (later) reports and exports.

Adapters use only the public APIs of the layers below them.
"""

from __future__ import annotations
