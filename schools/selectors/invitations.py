"""Reads of invitations: the one an invitation link's token belongs to (only hashes are stored)."""

from __future__ import annotations

import hashlib

from schools.models import StudentInvitation


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str, *, district=None) -> StudentInvitation | None:
    """The invitation a link's token belongs to, or None. Only the hash is compared.

    With `district` (the site's), another district's invitation is None too (issue 16): the
    student signs in on their own district's site, the one the emailed link names.
    """
    if not token or len(token) > 100:
        return None
    invitations = StudentInvitation.objects.select_related("student__school", "student__user")
    if district is not None:
        invitations = invitations.filter(student__school__district=district)
    return invitations.filter(token_hash=token_hash(token)).first()
