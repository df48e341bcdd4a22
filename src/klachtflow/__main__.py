"""``python -m klachtflow`` runs the command line."""

from __future__ import annotations

import sys

from klachtflow.adapters.cli import main

sys.exit(main())
