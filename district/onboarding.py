"""Onboarding a district: the district, its host names, industry vocabulary, budget and first official.

One service, `district_create`, serves `manage.py district_create` and the admin's "add district"
page. The steps:

1. `district_plan_check` refuses bad input before anything is written: programme years out of
   order or out of range, a slug, name or host name another district has, a malformed host name,
   an unknown NCS unit or segment, an unknown budget category, or a username that is taken.
2. If a district with the slug already exists exactly as planned (same name, years, budget,
   host names, vocabulary and first official), nothing is written and the result says so: a
   second run with the same arguments is a no-op. If it exists otherwise, that is a clash.
3. In one transaction: the district, its host names, its industry segments and job roles, one
   budget line per category and programme year, and the first official (an account with no
   usable password, staff, with the district's official role).
4. Once committed, the official is sent an invitation by email (task
   `district.official_invitation_send`): a link to set their password on the district's site,
   the same password-reset link every account uses. Officials then add their second factor at
   /accounts/two-factor/ before the admin opens for them (OFFICIALS_REQUIRE_OTP).

The vocabulary and budget come from a small JSON file (see `read_vocabulary`), because a
district's industry is a list of records that options would make long and error-prone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from district.mail import in_portal_language, render_body
from district.models import (
    BudgetLine,
    District,
    DistrictHost,
    IndustrySegment,
    JobRole,
    Membership,
    NcsUnit,
    User,
)
from district.outbox import enqueue

# The programme began in 2021 (DESIGN.md); a year far outside this is a typing mistake.
EARLIEST_YEAR, LATEST_YEAR = 2020, 2100


class DistrictCreateError(Exception):
    """The district cannot be created as asked; the message says why in one line."""


@dataclass(frozen=True)
class RolePlan:
    name: str
    segment: str | None = None
    salary: int | None = None
    description: str = ""
    ncs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DistrictPlan:
    """Everything a new district starts with."""

    slug: str
    name: str
    region: str
    industry_focus: str
    start_year: int
    end_year: int
    official_username: str
    official_email: str
    official_name: str = ""
    annual_budget_krw: int = 0
    hosts: tuple[str, ...] = ()
    base_url: str = ""
    email_sender: str = ""
    description: str = ""
    segments: tuple[tuple[str, str], ...] = ()  # (code, name)
    job_roles: tuple[RolePlan, ...] = ()
    budget: dict[str, int] = field(default_factory=dict)  # category → planned KRW, each year

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


@dataclass(frozen=True)
class DistrictCreateResult:
    district: District
    official: User
    created: bool  # False: the district already existed exactly as planned, and nothing changed


def read_vocabulary(path: str | Path) -> dict:
    """The segments, job roles and budget of a vocabulary file, as `DistrictPlan` keyword arguments.

    The file is JSON::

        {"segments": [{"code": "robot-control", "name": "제어"}],
         "job_roles": [{"name": "로봇 제어 프로그래머", "segment": "robot-control",
                        "salary": 2900000, "ncs": ["1903020301_15v2"], "description": "..."}],
         "budget": {"support_centre": 90000000, "curriculum": 80000000}}

    Every key is optional. "budget" plans each category for every programme year.
    """
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DistrictCreateError(
            _("Cannot read the vocabulary file %(path)s: %(error)s.") % {"path": path, "error": exc.strerror}
        ) from exc
    except ValueError as exc:
        raise DistrictCreateError(
            _("The vocabulary file %(path)s is not JSON: %(error)s.") % {"path": path, "error": exc}
        ) from exc
    return parse_vocabulary(raw)


def parse_vocabulary(raw) -> dict:
    """`read_vocabulary` for the file's contents, already read as JSON (the admin's text box)."""
    try:
        segments = tuple((str(s["code"]), str(s["name"])) for s in raw.get("segments", []))
        roles = tuple(
            RolePlan(
                name=str(r["name"]),
                segment=r.get("segment") or None,
                salary=int(r["salary"]) if r.get("salary") is not None else None,
                description=str(r.get("description", "")),
                ncs=tuple(str(c) for c in r.get("ncs", [])),
            )
            for r in raw.get("job_roles", [])
        )
        budget = {str(k): int(v) for k, v in raw.get("budget", {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DistrictCreateError(
            _("The vocabulary is not in the expected form (%(error)s).")
            % {"error": f"{exc.__class__.__name__}: {exc}"}
        ) from exc
    return {"segments": segments, "job_roles": roles, "budget": budget}


def district_plan_check(plan: DistrictPlan) -> District | None:
    """Refuse a plan that cannot be carried out (DistrictCreateError); return the district if it exists
    exactly as planned already."""
    if not (EARLIEST_YEAR <= plan.start_year <= plan.end_year <= LATEST_YEAR):
        raise DistrictCreateError(
            _(
                "Programme years %(start)s–%(end)s are not valid: the start must come first, both "
                "between %(earliest)s and %(latest)s."
            )
            % {
                "start": plan.start_year,
                "end": plan.end_year,
                "earliest": EARLIEST_YEAR,
                "latest": LATEST_YEAR,
            }
        )
    _check_fields(plan)
    existing = District.objects.filter(slug=plan.slug).first()
    if existing is not None:
        if _matches(existing, plan):
            return existing
        raise DistrictCreateError(
            _("A district with the slug '%(slug)s' already exists (%(district)s).")
            % {"slug": plan.slug, "district": existing}
        )
    named = District.objects.filter(name=plan.name).first()
    if named is not None:
        raise DistrictCreateError(
            _("A district named '%(name)s' already exists (slug '%(slug)s').")
            % {"name": plan.name, "slug": named.slug}
        )
    taken = DistrictHost.objects.filter(host__in=plan.hosts).select_related("district").first()
    if taken is not None:
        raise DistrictCreateError(
            _("Host name '%(host)s' is already served by district %(district)s.")
            % {"host": taken.host, "district": taken.district}
        )
    if User.objects.filter(username=plan.official_username).exists():
        raise DistrictCreateError(
            _("The username '%(username)s' is taken.") % {"username": plan.official_username}
        )
    return None


def _check_fields(plan: DistrictPlan) -> None:
    try:
        validate_slug(plan.slug)
        for host in plan.hosts:
            DistrictHost(host=host).clean_fields(exclude=["district"])
        validate_email(plan.official_email)
    except ValidationError as exc:
        raise DistrictCreateError(" ".join(str(m) for m in exc.messages)) from exc
    if len(set(plan.hosts)) != len(plan.hosts):
        raise DistrictCreateError(_("A host name is given twice."))
    if not plan.name or not plan.region or not plan.industry_focus or not plan.official_username:
        raise DistrictCreateError(_("Name, region, industry focus and the official's username are required."))
    if plan.annual_budget_krw < 0 or any(amount < 0 for amount in plan.budget.values()):
        raise DistrictCreateError(_("Budget amounts cannot be negative."))
    unknown = set(plan.budget) - set(BudgetLine.Category.values)
    if unknown:
        raise DistrictCreateError(
            _("Unknown budget categories: %(unknown)s (known: %(known)s).")
            % {"unknown": ", ".join(sorted(unknown)), "known": ", ".join(BudgetLine.Category.values)}
        )
    codes = [code for code, _name in plan.segments]
    if len(set(codes)) != len(codes) or len({r.name for r in plan.job_roles}) != len(plan.job_roles):
        raise DistrictCreateError(_("A segment code or job role name is given twice."))
    for role in plan.job_roles:
        if role.segment is not None and role.segment not in codes:
            raise DistrictCreateError(
                _("Job role '%(role)s' names an unknown segment '%(segment)s'.")
                % {"role": role.name, "segment": role.segment}
            )
    wanted = {code for role in plan.job_roles for code in role.ncs}
    missing = wanted - set(NcsUnit.objects.filter(code__in=wanted).values_list("code", flat=True))
    if missing:
        raise DistrictCreateError(
            _("Unknown NCS units (add them to the national registry first): %(codes)s.")
            % {"codes": ", ".join(sorted(missing))}
        )


def _matches(district: District, plan: DistrictPlan) -> bool:
    """Whether `district` is what `plan` would create (so that creating it again changes nothing)."""
    same_fields = (
        district.name,
        district.region,
        district.industry_focus,
        district.program_start_year,
        district.program_end_year,
        district.annual_budget_krw,
        district.base_url,
        district.email_sender,
    ) == (
        plan.name,
        plan.region,
        plan.industry_focus,
        plan.start_year,
        plan.end_year,
        plan.annual_budget_krw,
        plan.base_url,
        plan.email_sender,
    )
    return (
        same_fields
        and set(district.hosts.values_list("host", flat=True)) == set(plan.hosts)
        and set(district.segments.values_list("code", flat=True)) == {c for c, _n in plan.segments}
        and set(district.job_roles.values_list("name", flat=True)) == {r.name for r in plan.job_roles}
        and Membership.objects.filter(
            district=district, role=Membership.Role.OFFICIAL, user__username=plan.official_username
        ).exists()
    )


def district_create(*, plan: DistrictPlan) -> DistrictCreateResult:
    """Create the district of `plan` with everything it starts with, or nothing (see the module)."""
    with transaction.atomic():
        existing = district_plan_check(plan)
        if existing is not None:
            official = User.objects.get(username=plan.official_username)
            return DistrictCreateResult(district=existing, official=official, created=False)
        district = District.objects.create(
            slug=plan.slug,
            name=plan.name,
            region=plan.region,
            industry_focus=plan.industry_focus,
            program_start_year=plan.start_year,
            program_end_year=plan.end_year,
            annual_budget_krw=plan.annual_budget_krw,
            base_url=plan.base_url,
            email_sender=plan.email_sender,
            description=plan.description,
        )
        DistrictHost.objects.bulk_create([DistrictHost(district=district, host=host) for host in plan.hosts])
        segments = {
            code: IndustrySegment.objects.create(district=district, code=code, name=name, order=order)
            for order, (code, name) in enumerate(plan.segments, start=1)
        }
        units = {
            u.code: u for u in NcsUnit.objects.filter(code__in={c for r in plan.job_roles for c in r.ncs})
        }
        for spec in plan.job_roles:
            role = JobRole.objects.create(
                district=district,
                name=spec.name,
                segment=segments[spec.segment] if spec.segment else None,
                typical_monthly_salary_krw=spec.salary,
                description=spec.description,
            )
            role.ncs_units.set([units[c] for c in spec.ncs])
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    district=district,
                    year=year,
                    category=category,
                    planned_krw=amount,
                )
                for year in plan.years
                for category, amount in plan.budget.items()
            ]
        )
        official = User(
            username=plan.official_username,
            email=plan.official_email,
            name=plan.official_name,
            is_staff=True,
        )
        official.set_unusable_password()
        official.save()
        Membership.objects.create(user=official, district=district, role=Membership.Role.OFFICIAL)
        transaction.on_commit(lambda: enqueue("district.official_invitation_send", official.pk, district.pk))
    return DistrictCreateResult(district=district, official=official, created=True)


def official_invitation_link(*, user: User, district: District) -> str:
    """The link on `district`'s site where `user` sets their password (the password-reset link)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return district.link(path)


def official_invitation_send(user_id: int, district_id: int) -> int:
    """Email a district's new official the link to set their password. Returns how many were sent.

    Sent only while the account still has no usable password, so a redelivered task, or one
    run after the official has signed in, sends nothing.
    """
    user = User.objects.filter(pk=user_id).first()
    district = District.objects.filter(pk=district_id).first()
    if user is None or district is None or not user.email or user.has_usable_password():
        return 0
    context = {
        "name": user.name or user.username,
        "username": user.username,
        "district": district.name,
        "link": official_invitation_link(user=user, district=district),
        "site": district.link("/"),
    }
    subject = in_portal_language(
        _("[Innovation District Portal] You are an official of the %(district)s district"),
        {"district": district.name},
    )
    body = render_body("district/email/official_invitation.txt", context)
    message = EmailMessage(subject=subject, body=body, from_email=district.sender, to=[user.email])
    return message.send() or 0
