"""`labourwatch serve`: run the web UI and API with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve_cmd(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1 = this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
) -> None:
    """Serve the web UI and the JSON API (/api/, spec at /api/openapi.json)."""
    import uvicorn

    from store.cli import cli_settings, console

    console.print(f"LabourWatch on http://{host}:{port}/  (API spec: /api/openapi.json)")
    uvicorn.run(
        "inspection.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,  # the app reads X-Forwarded-For itself, from LABOURWATCH_TRUSTED_PROXIES only
        server_header=False,
        log_level=cli_settings().log_level.lower(),
    )
