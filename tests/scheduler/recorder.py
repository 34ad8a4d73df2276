"""A stand-in job command for scheduler tests: records its start and end, can sleep, can fail.

Usage: recorder.py BASE JOB SLOT. Appends "start JOB SLOT PID" then "done JOB SLOT" to BASE/record.log;
sleeps the seconds in BASE/sleep (if present, "SECONDS [JOB [SLOT]]"); exits 3 while BASE/fail/<JOB with ':' as '_'> exists.
"""

import os
import sys
import time
from pathlib import Path


def main() -> int:
    base, job, slot = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    record = base / "record.log"
    with record.open("a", encoding="utf-8") as handle:
        handle.write(f"start {job} {slot} {os.getpid()}\n")
    sleep_file = base / "sleep"  # "SECONDS", "SECONDS JOB" or "SECONDS JOB SLOT" (sleep for those only)
    if sleep_file.exists():
        seconds, *only = sleep_file.read_text().split()
        if only == [job, slot][: len(only)]:
            time.sleep(float(seconds))
    if (base / "fail" / job.replace(":", "_")).exists():
        print(f"recorder: {job} told to fail", file=sys.stderr)
        return 3
    with record.open("a", encoding="utf-8") as handle:
        handle.write(f"done {job} {slot}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
