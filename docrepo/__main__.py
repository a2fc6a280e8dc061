"""`python -m docrepo`: the same as the `docrepo` command."""

from .cli import main

main()
