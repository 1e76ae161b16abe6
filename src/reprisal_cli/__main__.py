"""`python -m reprisal_cli`."""

from reprisal_cli.cli import main

main()
