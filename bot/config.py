"""Settings from the environment (and an optional `.env`), with safe local defaults.

The Bot Framework names (`MicrosoftAppId`, ...) are kept so the settings an Azure Bot
resource shows can be pasted as they are. No app id means local development mode.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.links import derive_secret, random_secret

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "data" / "kompis.db"


class Settings(BaseSettings):
    """Everything Kompis reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    app_id: str = Field("", validation_alias=AliasChoices("MicrosoftAppId", "MICROSOFT_APP_ID"))
    app_password: str = Field(
        "", validation_alias=AliasChoices("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD")
    )
    app_type: str = Field(
        "MultiTenant", validation_alias=AliasChoices("MicrosoftAppType", "MICROSOFT_APP_TYPE")
    )
    app_tenant_id: str = Field(
        "", validation_alias=AliasChoices("MicrosoftAppTenantId", "MICROSOFT_APP_TENANT_ID")
    )
    host: str = Field("127.0.0.1", validation_alias="HOST")
    port: int = Field(3978, ge=0, le=65535, validation_alias="PORT")
    database_url: str = Field(
        f"sqlite+aiosqlite:///{DEFAULT_SQLITE}", validation_alias="DATABASE_URL"
    )
    # PostgreSQL schema to use (search_path); empty = the database's default.
    database_schema: str = Field("", validation_alias="DATABASE_SCHEMA")
    allowed_tenants: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(), validation_alias="ALLOWED_TENANTS"
    )
    # The first admins (Statsforvalteren): Entra ID object ids or UPNs, comma-separated.
    admins: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(), validation_alias="KOMPIS_ADMINS"
    )
    # Signs the coordinators' download links; every replica needs the same value. Empty:
    # derived from MicrosoftAppPassword, or random per process in local mode.
    export_secret: str = Field("", validation_alias="EXPORT_SECRET")
    export_link_minutes: float = Field(15.0, gt=0, le=24 * 60,
                                       validation_alias="EXPORT_LINK_MINUTES")
    # The address people and Teams reach Kompis at (calendar feeds, download links).
    public_url: str = Field("http://127.0.0.1:3978", validation_alias="PUBLIC_URL")
    max_body_bytes: int = Field(256 * 1024, ge=1024, validation_alias="MAX_BODY_BYTES")
    shutdown_timeout: float = Field(30.0, ge=0, validation_alias="SHUTDOWN_TIMEOUT")
    # Replies over one pooled keep-alive session (default) or botbuilder's stock sender,
    # which opens a connection per reply; kept switchable to compare them in bench/turns.py.
    connector_pool: bool = Field(True, validation_alias="CONNECTOR_POOL")
    # How long a turn keeps retrying its replies when the connector throttles or fails.
    reply_budget_seconds: float = Field(10.0, gt=0, validation_alias="REPLY_BUDGET_SECONDS")
    # Each replica runs its own scheduler; the outbox in the database keeps sends single.
    scheduler_enabled: bool = Field(True, validation_alias="SCHEDULER_ENABLED")
    outbox_interval_seconds: float = Field(15.0, gt=0, validation_alias="OUTBOX_INTERVAL_SECONDS")
    due_interval_seconds: float = Field(60.0, gt=0, validation_alias="DUE_INTERVAL_SECONDS")
    # The annual wheel; a broken edit is refused and the last good wheel kept.
    wheel_file: Path = Field(ROOT / "content" / "arshjul.yaml", validation_alias="WHEEL_FILE")
    # Answer each activity id once per conversation (Teams redelivers when the bot is
    # slow), remembered in the database for every replica; off only to measure its cost.
    redelivery_check: bool = Field(True, validation_alias="REDELIVERY_CHECK")
    # How long a replica keeps a person's roles before asking the database again: a grant
    # or revoke through this replica is seen at once, one through another within this.
    role_cache_seconds: float = Field(10.0, ge=0, le=300, validation_alias="ROLE_CACHE_SECONDS")
    # Spør Kompis' second opinion learned from content/eksempler.yaml (scikit-learn): off,
    # the rules alone answer; the engine builds about 3 s faster and uses about 40 MiB less.
    learned_answers: bool = Field(True, validation_alias="LEARNED_ANSWERS")
    # Where the fitted model is kept, so a restart or another replica with the same content
    # loads it (a fraction of a second) instead of fitting it again (a few seconds).
    learned_cache: Path = Field(ROOT / "data" / "cache", validation_alias="LEARNED_CACHE")
    # How long a replica holds claimed outbox rows before another may take them over.
    outbox_lease_seconds: float = Field(120.0, gt=0, validation_alias="OUTBOX_LEASE_SECONDS")

    @field_validator("allowed_tenants", "admins", mode="before")
    @classmethod
    def _split_tenants(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(t.strip().lower() for t in value.split(",") if t.strip())
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """Accept the plain URLs operators paste and pick the async driver for them."""
        for plain, driver in (
            ("postgresql://", "postgresql+asyncpg://"),
            ("postgres://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if value.startswith(plain):
                return driver + value[len(plain):]
        return value


    @property
    def local_mode(self) -> bool:
        """No app id: anonymous, as for the Emulator or the Agents Playground."""
        return not self.app_id

    def tenant_allowed(self, tenant_id: str | None) -> bool:
        """Empty ALLOWED_TENANTS admits every tenant; otherwise the tenant must be listed."""
        if not self.allowed_tenants:
            return True
        return tenant_id is not None and tenant_id.lower() in self.allowed_tenants

    def link_secret(self) -> bytes:
        """The key for signed links: from EXPORT_SECRET, else from the app password (shared
        by all replicas), else random (local mode: links die with the process)."""
        material = self.export_secret or self.app_password
        return derive_secret(material, "kompis-export-link") if material else random_secret()

    def bot_framework_config(self) -> object:
        """The attribute-style object botbuilder's ConfigurationBotFrameworkAuthentication reads."""

        class _Config:
            APP_ID = self.app_id
            APP_PASSWORD = self.app_password
            APP_TYPE = self.app_type
            APP_TENANTID = self.app_tenant_id

        return _Config()
