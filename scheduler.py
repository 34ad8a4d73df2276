"""The scheduler's entry point: `python scheduler.py start|list|run|history` is `labourwatch schedule ...`.

The scheduler itself is the scheduling/ package: the service in scheduling/service.py, its commands in
scheduling/cli.py.
"""

from __future__ import annotations

import sys

from labourwatch import main


def run() -> None:
    """Run `labourwatch schedule` with this command line (errors as one line, like `labourwatch`)."""
    sys.argv[1:1] = ["schedule"]
    main()


if __name__ == "__main__":
    run()
