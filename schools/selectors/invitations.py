"""Reads of invitations: the one an invitation link's token belongs to (only hashes are stored)."""

from __future__ import annotations

import hashlib

from schools.models import StudentInvitation


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> StudentInvitation | None:
    """The invitation a link's token belongs to, or None. Only the hash is compared."""
    if not token or len(token) > 100:
        return None
    return (
        StudentInvitation.objects.select_related("student__school", "student__user")
        .filter(token_hash=token_hash(token))
        .first()
    )
