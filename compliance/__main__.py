"""``python -m compliance …``: the ``compliance`` command."""

from compliance.cli import main

main(prog_name="compliance")
