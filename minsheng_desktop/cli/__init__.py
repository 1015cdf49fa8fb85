"""The command line (shared/spec/cli.md) over the use cases (services), never importing Qt: ``main`` is the
console script `minsheng` and ``python -m minsheng_desktop``.

    entry      main(): the parser, then the window (gui.app.run) or one command; its own layer, above gui
    common     exit statuses, UsageError, --db / --year / --region, writing an output file
    chinese_argparse   the parser's help page and argparse's error messages in Chinese
    import_targets   import-targets
    dump       dump, load
    backup     backup, restore, check
    export     export
    mail       mail
    settings   settings
    units      units, units load
    remind     remind
    smtp_options   the SMTP options and password mail and remind share
    collect    collect
"""

from __future__ import annotations

from .entry import main

__all__ = ["main"]
