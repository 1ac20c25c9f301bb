"""The competence networks, as data: ids, names people type, codes for reference numbers."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.content import CONTENT_DIR, load_model

NETWORKS_FILE = CONTENT_DIR / "nettverk.yaml"


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[/\-–,]+", " ", text).split())


class NetworkEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    name: str = Field(min_length=2, max_length=80)
    code: str = Field(pattern=r"^[A-ZÆØÅ]{3}$")
    aliases: tuple[str, ...] = ()
    # Where the network is named (seed and place); required in content/ by a unit test.
    source: str | None = Field(None, min_length=5, max_length=300)


class NetworkCatalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    county: str
    networks: tuple[NetworkEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> NetworkCatalog:
        for field in ("id", "code"):
            values = [getattr(n, field) for n in self.networks]
            if len(values) != len(set(values)):
                raise ValueError(f"samme {field} er brukt to ganger")
        return self

    def find(self, text: str) -> NetworkEntry | None:
        """'fosen', 'Trondheim og Malvik', 'trondheim-malvik' -> the network."""
        wanted = _key(text)
        for network in self.networks:
            if wanted in {_key(network.name), _key(network.id), *map(_key, network.aliases)}:
                return network
        return None

    def get(self, network_id: str) -> NetworkEntry | None:
        return next((n for n in self.networks if n.id == network_id), None)


def load_networks(path: Path | None = None) -> NetworkCatalog:
    return load_model(path or NETWORKS_FILE, NetworkCatalog)
