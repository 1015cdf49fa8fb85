"""Entry point for ``python -m minsheng_desktop``."""

from .cli import main

raise SystemExit(main())
