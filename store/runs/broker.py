"""The Celery broker's queues as seen from outside: their names and how many jobs wait in each.

The scheduler (scheduling/engine.py) sends jobs to these queues; the web UI's operations page only peeks
at their lengths, which is why this lives beneath both.
"""

from __future__ import annotations

import contextlib

QUEUES = ("crawl", "work")


def broker_queue_lengths(broker_url: str, *, timeout_s: float = 1.0) -> dict[str, int]:
    """Messages waiting in each queue, plus `taken` (delivered, not yet acknowledged) on Redis.

    One short attempt without retries, for status pages: raises when the broker is unreachable or does not
    answer within TIMEOUT_S (connect and each reply).
    """
    scheme = broker_url.partition("://")[0]
    if scheme in ("redis", "rediss", "redis+socket"):
        import redis

        url = broker_url.replace("redis+socket://", "unix://", 1)
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s)
        try:
            lengths = {name: int(client.llen(name)) for name in QUEUES}
            lengths["taken"] = int(client.hlen("unacked"))  # kombu's hash of delivered, unacknowledged tasks
        finally:
            client.close()
        return lengths
    from kombu import Connection

    with Connection(
        broker_url, connect_timeout=timeout_s, transport_options={"max_retries": 0}
    ) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout_s)
        lengths = {}
        for name in QUEUES:
            channel = connection.channel()
            try:
                lengths[name] = channel.queue_declare(name, passive=True).message_count
            except connection.channel_errors:  # never declared: nothing was ever sent to it
                lengths[name] = 0
            finally:
                with contextlib.suppress(Exception):
                    channel.close()
        return lengths
