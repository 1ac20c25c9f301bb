"""Anonymous mode (no MicrosoftAppId) is for one developer's machine, and nothing else.

Without an app id nobody is authenticated: whoever can post to /api/messages can claim
any `from.aadObjectId`, and the reply goes wherever the activity's `serviceUrl` points.
So in that mode Kompis listens on loopback only and talks only to a loopback Bot
Connector (the Agents Playground, the Emulator, the tests' recording connector).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

REFUSED_HOST = (
    "Kompis starter ikke: uten MicrosoftAppId (anonym lokal modus) lytter Kompis bare på "
    "127.0.0.1/::1, ikke på HOST={host}. Sett MicrosoftAppId, eller HOST=127.0.0.1. / "
    "Kompis will not start: without MicrosoftAppId (anonymous local mode) it listens on "
    "loopback only, not on HOST={host}."
)
REFUSED_SERVICE_URL = "anonymous mode accepts only a loopback serviceUrl"


def is_loopback_host(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (names other than localhost are not looked
    up: a name could resolve anywhere)."""
    if not host:
        return False
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@lru_cache(maxsize=256)  # asked on every turn, of the few serviceUrls a connector uses
def is_loopback_url(url: str | None) -> bool:
    """True when `url` is an http(s) URL whose host is loopback."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and is_loopback_host(host)


def start_refusal(app_id: str, host: str) -> str | None:
    """The one line to print when the settings may not start a server, else None."""
    if not app_id and not is_loopback_host(host):
        return REFUSED_HOST.format(host=host)
    return None


def service_url_refused(app_id: str, service_url: str | None) -> bool:
    """In anonymous mode, True for any serviceUrl that is not on loopback."""
    return not app_id and not is_loopback_url(service_url)
