"""Web UI settings (inspection.web): sessions, login throttling, CSV exports, trusted proxies."""

from __future__ import annotations

from ipaddress import ip_network
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode


class WebSettings(BaseSettings):
    """Sessions, login throttling, CSV exports and trusted reverse proxies."""

    session_cookie_secure: bool = Field(
        default=False,
        description="Send the session cookie only over HTTPS (set true behind TLS in production).",
    )
    session_max_age_s: int = Field(
        default=8 * 3600, ge=300, le=7 * 86400, description="How long a login lasts (seconds)."
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        le=100,
        description="Failed logins on one account (from any address, within the window) after which each "
        "further try must wait LOGIN_FIRST_DELAY_S, doubling per failure up to LOGIN_MAX_DELAY_S.",
    )
    login_window_s: int = Field(
        default=900, ge=10, le=86400, description="Window (seconds) in which failed logins are counted."
    )
    login_first_delay_s: int = Field(
        default=15, ge=1, le=3600, description="Wait (seconds) after the LOGIN_MAX_FAILURES-th failure."
    )
    login_max_delay_s: int = Field(
        default=300,
        ge=1,
        le=3600,
        description="Longest wait (seconds) between tries on one account: the real user is never locked "
        "out for longer.",
    )
    login_ip_max_failures: int = Field(
        default=50,
        ge=1,
        le=100_000,
        description="Failed logins from one client address (any usernames) within the window before that "
        "address is refused until older failures leave the window.",
    )
    export_max_per_window: int = Field(
        default=20,
        ge=1,
        le=10_000,
        description="CSV exports one user may make within EXPORT_WINDOW_S; further ones are refused (429) "
        "until older exports leave the window.",
    )
    export_window_s: int = Field(
        default=3600,
        ge=10,
        le=86400,
        description="Window (seconds) in which a user's CSV exports are counted.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="Addresses or networks (comma-separated, e.g. 127.0.0.1,10.0.0.0/8) of reverse proxies "
        "whose X-Forwarded-For names the client. Default empty: the header is never trusted.",
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        for part in value:
            ip_network(part, strict=False)  # ValueError names the bad entry
        return value
