"""What the scheduler and its workers leave in the database and the broker: `ledger` (the job_run table as
slots are claimed, retried and recovered) and `broker` (the Celery queues seen from outside)."""
