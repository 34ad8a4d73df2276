"""Retries with exponential backoff: a struggling server gets time to recover before the next try."""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits RETRY_BACKOFF_BASE * 2**n seconds (capped) before retry n."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 0.5)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 8.0)

    async def _pause(self, result: Any) -> Any:
        if isinstance(result, Request) and self.backoff_base > 0:
            tries = int(result.meta.get("retry_times", 1))
            delay = min(self.backoff_max, self.backoff_base * 2 ** (tries - 1))
            from twisted.internet import reactor

            await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        return result

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        return await self._pause(super().process_response(request, response))

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        return await self._pause(super().process_exception(request, exception))
