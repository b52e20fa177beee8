"""One demo account per role, for trying the portal locally.

Passwords are random. A new account gets one, which is printed once; a later run keeps
the existing password unless asked to reset it. Demo accounts sign in only while
DEMO_ACCOUNTS_ENABLED (DEBUG) is on: district.backends.PortalBackend refuses them
otherwise.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from district.models import District, Membership, User


class DemoDataError(Exception):
    """The demo data cannot be loaded as asked; the message says why in one line."""


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str
    name: str
    is_staff: bool = False


R = Membership.Role
ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("demo_official", R.OFFICIAL, "포항시 혁신지구 담당자(데모)", is_staff=True),
    AccountSpec("demo_school", R.SCHOOL_STAFF, "흥해공고 혁신지구 담당 교사(데모)"),
    AccountSpec("demo_company", R.COMPANY_RECRUITER, "에코프로비엠 채용 담당자(데모)"),
    AccountSpec("demo_university", R.UNIVERSITY_COORDINATOR, "포항대학교 후학습 담당자(데모)"),
    AccountSpec("demo_student", R.STUDENT, "데모 학생"),
)
# The Ministry of Education's reader of every district (no district of its own).
NATIONAL_ACCOUNT = AccountSpec("demo_ministry", R.NATIONAL_OFFICIAL, "교육부 혁신지구 담당자(데모)")


@dataclass
class AccountResult:
    username: str
    role: str
    organisation: str
    password: str | None  # set only when this run created the account or reset its password
    created: bool


def account_results(
    users: dict[str, User], passwords: dict[str, tuple[str | None, bool]], labels: dict[str, str]
) -> list[AccountResult]:
    """What the command prints of each demo account: from `ensure_demo_users` and `ensure_memberships`."""
    return [
        AccountResult(
            username=users[role].username,
            role=role,
            organisation=labels[role],
            password=passwords[role][0],
            created=passwords[role][1],
        )
        for role in users
    ]


def new_password() -> str:
    return secrets.token_urlsafe(12)


def ensure_demo_users(
    *, reset_passwords: bool, accounts: tuple[AccountSpec, ...] = ACCOUNTS
) -> tuple[dict[str, User], dict[str, tuple[str | None, bool]]]:
    """Create or refresh a district's demo users (Pohang's by default), one per role.

    Returns them by role, and (password, created) by role.
    """
    users: dict[str, User] = {}
    secrets_by_role: dict[str, tuple[str | None, bool]] = {}
    for spec in accounts:
        user = User.objects.filter(username=spec.username).first()
        if user is not None and not user.is_demo:
            raise DemoDataError(
                f"User {spec.username!r} exists and is not a demo account; rename it or remove it first."
            )
        created = user is None
        password = None
        if created:
            user = User(username=spec.username, is_demo=True)
        if created or reset_passwords:
            password = new_password()
            user.set_password(password)
        user.name = spec.name
        user.email = f"{spec.username}@example.com"
        user.is_demo = True
        user.is_staff = spec.is_staff
        user.is_active = True
        user.save()
        users[spec.role] = user
        secrets_by_role[spec.role] = (password, created)
    return users, secrets_by_role


def ensure_memberships(
    *, district: District, users: dict[str, User], school, company, university
) -> dict[str, str]:
    """Give each demo user their one role; returns a label of the organisation by role."""
    orgs = {
        R.OFFICIAL: {},
        R.SCHOOL_STAFF: {"school": school},
        R.COMPANY_RECRUITER: {"company": company},
        R.UNIVERSITY_COORDINATOR: {"university": university},
        R.STUDENT: {"school": school},
    }
    labels = {}
    for role, org in orgs.items():
        membership, _ = Membership.objects.get_or_create(
            user=users[role], district=district, role=role, **org, defaults={"is_active": True}
        )
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
        labels[role] = str(next(iter(org.values()), district))
    return labels


def ensure_national_demo_user(*, reset_passwords: bool) -> AccountResult:
    """The demo Ministry of Education official: the national role, which belongs to no district."""
    users, passwords = ensure_demo_users(reset_passwords=reset_passwords, accounts=(NATIONAL_ACCOUNT,))
    user = users[R.NATIONAL_OFFICIAL]
    membership, _ = Membership.objects.get_or_create(
        user=user, role=R.NATIONAL_OFFICIAL, district=None, defaults={"is_active": True}
    )
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    password, created = passwords[R.NATIONAL_OFFICIAL]
    return AccountResult(
        username=user.username,
        role=R.NATIONAL_OFFICIAL,
        organisation="교육부 · 전체 지구",
        password=password,
        created=created,
    )
