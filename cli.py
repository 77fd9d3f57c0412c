"""The ``compliance`` command, run from a checkout: ``python cli.py check DRAFT`` (installed: the
``compliance`` script, or ``python -m compliance``). The command is compliance/cli.py; this file
is not installed (ARCHITECTURE.md)."""

from compliance.cli import main

if __name__ == "__main__":
    main()
