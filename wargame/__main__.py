"""`python -m wargame`: the command line."""

from wargame.cli import main

if __name__ == "__main__":  # not when a spawned worker process re-imports the main module
    main()
