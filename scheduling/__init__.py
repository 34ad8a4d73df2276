"""When things run: cron jobs, chains, retries, leader election, and jobs on Celery workers.

One module per role: jobs (the job table and its command lines), triggers (when slots fall), runner
(job subprocesses), election (one active scheduler), service (the APScheduler service that plans and runs
slots through the run ledger, store/runs/ledger.py), engine (Celery: dispatcher, task, worker-side runs) and
cli (`labourwatch schedule ...`, `labourwatch worker`). It may import every other package; none imports it.
"""
