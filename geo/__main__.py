"""``python -m geo FILE… [--format geojson|csv|jsonl] [-o OUT] [--demonyms] [--online]``."""

import sys

from geo.cli import main

if __name__ == "__main__":
    sys.exit(main())
