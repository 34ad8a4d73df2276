"""A scheduler process for tests: wins the election (or waits as standby), then ticks explicit instants.

Usage: slot_runner.py ISO_TIME [ISO_TIME ...]; settings come from the environment (LABOURWATCH_*).
It is the real scheduler (build_scheduler, its election, its ledger, subprocess jobs) with the clock
replaced by the listed instants, so a test can kill it mid-cycle and start it again.
"""

import logging
import sys
import time
from datetime import datetime

from scheduling.service import build_scheduler
from store.settings import load_settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(relativeCreated)d %(message)s")
    times = [datetime.fromisoformat(arg) for arg in sys.argv[1:]]
    current = [times[0]]
    settings = load_settings()
    scheduler = build_scheduler(settings, clock=lambda: current[0])
    if not scheduler.election.try_acquire():
        print("standby", flush=True)
        while not scheduler.election.try_acquire():
            time.sleep(settings.schedule_poll_s)
    print(f"elected {scheduler.owner}", flush=True)
    for moment in times:
        current[0] = moment
        results = scheduler.tick(moment)
        print(f"ticked {moment.isoformat()} ran {len(results)}", flush=True)
    print("finished", flush=True)


if __name__ == "__main__":
    main()
