"""``python -m toolgym`` runs the command line."""

from toolgym.cli import main

main()
