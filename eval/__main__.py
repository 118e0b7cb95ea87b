"""`python -m eval` is `qa eval`."""

from .cli import main

main()
