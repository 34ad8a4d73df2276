"""Core settings: where data, sources and the database live, the keys, logging."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings


class CoreSettings(BaseSettings):
    """Folders, the database, the secret and audit keys, logging."""

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the SQLite database, model files, uploads and chart images.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("LABOURWATCH_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL of the database (also read from DATABASE_URL). Default: a SQLite file "
        "DATA_DIR/labourwatch.db. PostgreSQL: postgresql://user@host:5432/db (psycopg 3).",
    )
    sources_dir: Path = Field(
        default=Path("sources"), description="Folder of source configuration files (one TOML file a site)."
    )
    secret_key: str | None = Field(
        default=None,
        min_length=32,
        description="Key that signs session cookies and CSRF tokens (32+ characters). Default: a random "
        "key created once in DATA_DIR/secret_key.",
    )
    audit_key: str | None = Field(
        default=None,
        min_length=32,
        description="Key of the audit chain's HMAC (32+ characters), kept outside the database. Default: a "
        "random key created once in DATA_DIR/audit_key. Every process writing the same database needs the same key.",
    )
    audit_anchor: Path | None = Field(
        default=None,
        description="Append-only file where the audit chain's head (last id and hash) is written after each "
        "commit, so deleting the newest events is detected. Default: DATA_DIR/audit_anchor.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=10_000, ge=0, le=600_000, description="How long SQLite waits for a lock before failing (ms)."
    )
    log_level: str = Field(default="INFO", description="Logging level: DEBUG, INFO, WARNING or ERROR.")

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return level

    @field_validator("database_url")
    @classmethod
    def _known_dialect(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value

    @property
    def db_url(self) -> str:
        """The database URL in force (the SQLite default when none is set)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'labourwatch.db').as_posix()}"

    def session_secret(self) -> str:
        """The configured secret key, or one created once and kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            import secrets

            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def audit_secret(self) -> bytes:
        """The audit chain's HMAC key: the setting, or one created once and kept in the data folder."""
        if self.audit_key:
            return self.audit_key.encode("utf-8")
        return _key_file(self.data_dir / "audit_key").encode("utf-8")

    def audit_anchor_path(self) -> Path:
        """Where the audit chain's head is anchored."""
        return self.audit_anchor or self.data_dir / "audit_anchor"


def _key_file(path: Path) -> str:
    """A random key created once at PATH (owner-only), read back on every later call."""
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(draft, path)  # atomic and refuses to replace: two processes racing agree on one key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()
