"""``python -m evals``: the same as ``claimcheck eval``."""

from .run import main

raise SystemExit(main())
