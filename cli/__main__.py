"""`python -m cli` is the same as the `gongkai` command."""

from cli.main import main

main()
