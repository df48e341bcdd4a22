"""HOW a case moves: the only package that may import the transitions library.

Filled by the engine issue.
"""

from __future__ import annotations
