"""The bodies of the CLI commands; :mod:`isoprov.cli` only declares them."""
