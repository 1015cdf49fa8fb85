"""Entry point of the frozen program: the command line, which opens the window when no command is given."""

from minsheng_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
