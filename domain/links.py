"""Signed, expiring links: a download link that only Kompis could have made.

A Teams bot cannot attach a file in a channel without the file-consent flow, so the
compiled spreadsheet is served by Kompis itself behind a link. The link names what it
gives and until when; an HMAC-SHA256 over exactly those values, with a secret only the
replicas share, makes any change to them (another network, a later expiry) detectable.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def signature(secret: bytes, *parts: str) -> str:
    """The hex HMAC of the parts, unambiguously joined (a part cannot absorb the next)."""
    message = "\x1f".join(f"{len(p)}:{p}" for p in parts).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def valid(secret: bytes, given: str, *parts: str) -> bool:
    """True only for the signature `signature(secret, *parts)`, compared in constant time."""
    expected = signature(secret, *parts).encode()
    return hmac.compare_digest(expected, given.encode("utf-8", "replace"))


def derive_secret(material: str, purpose: str) -> bytes:
    """A key for one purpose from a configured secret (never the secret itself)."""
    return hmac.new(material.encode(), purpose.encode(), hashlib.sha256).digest()


def random_secret() -> bytes:
    return secrets.token_bytes(32)
