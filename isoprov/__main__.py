"""``python -m isoprov`` runs the command line."""

from isoprov.cli import main

main()
