"""Who may do what: pure rules over a person's roles, enforced by the services.

Identity is the Teams user's Entra ID (AAD) object id, never a display name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ADMIN, COORDINATOR, FORUM = "admin", "koordinator", "samarbeidsforum"


@dataclass(frozen=True)
class Principal:
    """A person and what they hold; `admin` comes from KOMPIS_ADMINS or a grant;
    `forum` is samarbeidsforum's read-only view across every network."""

    aad_object_id: str | None
    admin: bool = False
    coordinator_for: frozenset[str] = field(default_factory=frozenset)
    forum: bool = False

    @classmethod
    def from_grants(cls, aad_object_id: str | None, grants: list[tuple[str, str]],
                    *, env_admin: bool = False) -> Principal:
        admin = env_admin or any(role == ADMIN for role, _ in grants)
        networks = frozenset(network for role, network in grants
                             if role == COORDINATOR and network)
        forum = any(role == FORUM for role, _ in grants)
        return cls(aad_object_id, admin, networks, forum)

    @property
    def known(self) -> bool:
        return bool(self.aad_object_id)

    def may_manage_roles(self) -> bool:
        return self.admin

    def may_coordinate(self, network_id: str | None = None) -> bool:
        """Coordinator tools: for one network, or for any when `network_id` is None."""
        if self.admin:
            return True
        if network_id is None:
            return bool(self.coordinator_for)
        return network_id in self.coordinator_for

    def may_read_network(self, network_id: str) -> bool:
        return self.may_coordinate(network_id)

    def may_view_all_networks(self) -> bool:
        """Samarbeidsforum's overview and the export of every network (read-only)."""
        return self.admin or self.forum
