"""The public surface: sorted, importable, documented, nothing private leaks."""

from __future__ import annotations

import klachtflow


class TestAll:
    def test_sorted(self) -> None:
        """__all__ is sorted so additions are reviewed deliberately."""
        assert sorted(klachtflow.__all__) == list(klachtflow.__all__)

    def test_importable_and_documented(self) -> None:
        """Every public name exists and has a docstring."""
        missing = [n for n in klachtflow.__all__ if not getattr(klachtflow, n).__doc__]

        assert [] == missing

    def test_no_private_names(self) -> None:
        """No name with a leading underscore is exported."""
        assert not [n for n in klachtflow.__all__ if n.startswith("_")]

    def test_version(self) -> None:
        """__version__ comes from the installed metadata."""
        assert klachtflow.__version__.count(".") >= 1
