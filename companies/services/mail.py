"""The messages companies send: notices about sign-ups, reviews and team requests.

Each function is the body of one Celery task of the same name (`companies.<function>`,
in `companies/tasks.py`); the other services enqueue them by that name once their
transaction commits. They take ids and read the row when they run, and send the message
that matches the row's state at that moment, or nothing when the state has moved on (a
company put back to pending, say), so a task that runs late never announces a stale
decision. Each returns how many messages it sent.

Bodies are templates under `templates/companies/email/`, rendered in the portal's language.
Each message comes from the sender of the district it is about (`District.sender`), and its
links point to that district's site (`District.link`).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Opening, OpeningRevision
from companies.selectors.signups import awaits_confirmation
from companies.selectors.team import join_approver, official_emails, recruiter_emails
from companies.tokens import signup_confirmation_path
from companies.validators import format_business_number
from district.mail import in_portal_language, render_body, send_to_each
from district.models import District, Membership, User
from district.selectors import district_of

logger = logging.getLogger(__name__)


def _send(
    addresses: list[str], subject: str, template: str, context: dict, *, district: District | None
) -> int:
    """Render `companies/email/<template>.txt` in the portal's language and send it to each
    address, from `district`'s sender."""
    body = render_body(f"companies/email/{template}.txt", context)
    return send_to_each(addresses, subject, body, from_email=district.sender if district else None)


def _portal_link(district: District | None, name: str, args=None) -> str:
    """The absolute link to the page `name` on `district`'s site."""
    path = reverse(name, args=args)
    return district.link(path) if district else settings.PORTAL_BASE_URL + path


# --- Officials' decisions, told to the company's recruiters ----------------------------------


def company_verification_email_send(company_id: int) -> int:
    """Tell a company's recruiters that an official verified or rejected it."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None or company.verification == Company.Verification.PENDING:
        return 0
    names = {"company": company.name, "reason": company.rejection_reason}
    if company.verification == Company.Verification.VERIFIED:
        subject = in_portal_language(_("[Innovation District Portal] %(company)s is verified"), names)
        template = "company_verified"
    else:
        subject = in_portal_language(_("[Innovation District Portal] %(company)s was not verified"), names)
        template = "company_rejected"
    sent = _send(
        recruiter_emails(company.pk), subject, template, names, district=district_of(company.district_id)
    )
    logger.info("company %s verification notice (%s) sent to %d", company.pk, company.verification, sent)
    return sent


def opening_review_email_send(opening_id: int) -> int:
    """Tell a company's recruiters that an official published or rejected their opening."""
    opening = Opening.objects.select_related("company").filter(pk=opening_id).first()
    if opening is None or opening.status not in (Opening.Status.PUBLISHED, Opening.Status.REJECTED):
        return 0
    names = {"opening": opening.title, "company": opening.company.name, "reason": opening.rejection_reason}
    if opening.status == Opening.Status.PUBLISHED:
        subject = in_portal_language(
            _("[Innovation District Portal] Your opening “%(opening)s” is published"), names
        )
        template = "opening_published"
    else:
        subject = in_portal_language(
            _("[Innovation District Portal] Your opening “%(opening)s” was not approved"), names
        )
        template = "opening_rejected"
    district = district_of(opening.company.district_id)
    sent = _send(recruiter_emails(opening.company_id), subject, template, names, district=district)
    logger.info("opening %s review notice (%s) sent to %d", opening.pk, opening.status, sent)
    return sent


def opening_revision_review_email_send(revision_id: int) -> int:
    """Tell a company's recruiters that an official approved or rejected changes to their opening."""
    revision = (
        OpeningRevision.objects.select_related("opening__company")
        .filter(
            pk=revision_id,
            status__in=(OpeningRevision.Status.APPROVED, OpeningRevision.Status.REJECTED),
        )
        .first()
    )
    if revision is None:
        return 0
    opening = revision.opening
    names = {"opening": opening.title, "company": opening.company.name, "reason": revision.reason}
    if revision.status == OpeningRevision.Status.APPROVED:
        subject = in_portal_language(
            _("[Innovation District Portal] Your changes to “%(opening)s” are published"), names
        )
        template = "opening_revision_approved"
    else:
        subject = in_portal_language(
            _("[Innovation District Portal] Your changes to “%(opening)s” were not approved"), names
        )
        template = "opening_revision_rejected"
    district = district_of(opening.company.district_id)
    sent = _send(recruiter_emails(opening.company_id), subject, template, names, district=district)
    logger.info("opening revision %s review notice (%s) sent to %d", revision.pk, revision.status, sent)
    return sent


# --- What awaits the officials ----------------------------------------------------------------


def company_signup_notice_send(company_id: int) -> int:
    """Tell the district's officials that a company signed up and awaits verification."""
    company = Company.objects.filter(pk=company_id, verification=Company.Verification.PENDING).first()
    if company is None:
        return 0
    names = {"company": company.name, "number": company.business_number_display}
    subject = in_portal_language(_("[Innovation District Portal] %(company)s awaits verification"), names)
    district = district_of(company.district_id)
    return _send(
        official_emails(company.district_id), subject, "company_signup_notice", names, district=district
    )


def opening_submitted_notice_send(opening_id: int) -> int:
    """Tell the district's officials that an opening awaits their review."""
    opening = (
        Opening.objects.select_related("company")
        .filter(pk=opening_id, status=Opening.Status.SUBMITTED)
        .first()
    )
    if opening is None:
        return 0
    names = {"opening": opening.title, "company": opening.company.name}
    subject = in_portal_language(_("[Innovation District Portal] “%(opening)s” awaits review"), names)
    district = district_of(opening.company.district_id)
    return _send(
        official_emails(opening.company.district_id),
        subject,
        "opening_submitted_notice",
        names,
        district=district,
    )


def opening_revision_submitted_notice_send(revision_id: int) -> int:
    """Tell the district's officials that changes to a published opening await their review."""
    revision = (
        OpeningRevision.objects.select_related("opening__company")
        .filter(pk=revision_id, status=OpeningRevision.Status.PENDING)
        .first()
    )
    if revision is None:
        return 0
    opening = revision.opening
    names = {"opening": opening.title, "company": opening.company.name}
    subject = in_portal_language(
        _("[Innovation District Portal] Changes to “%(opening)s” await review"), names
    )
    return _send(
        official_emails(opening.company.district_id),
        subject,
        "opening_revision_submitted_notice",
        names,
        district=district_of(opening.company.district_id),
    )


# --- Joining a company ------------------------------------------------------------------------


def join_request_email_send(membership_id: int) -> int:
    """Ask the approvers to let a colleague who asked to join act for the company."""
    membership = (
        Membership.objects.select_related("user", "company")
        .filter(pk=membership_id, is_active=False, company__isnull=False)
        .first()
    )
    if membership is None:
        return 0
    names = {
        "person": membership.user.name or membership.user.email,
        "email": membership.user.email,
        "company": membership.company.name,
    }
    subject = in_portal_language(_("[Innovation District Portal] %(person)s asks to join %(company)s"), names)
    district = district_of(membership.company.district_id)
    recruiter = join_approver(membership.company)
    if recruiter is not None:
        # The company's first recruiter decides on the team page.
        names["link"] = _portal_link(district, "companies:team")
        return _send([recruiter.email], subject, "join_request", names, district=district)
    # No recruiter could: the district's officials decide, on the request's own admin page.
    names["link"] = _portal_link(district, "admin:district_membership_change", args=[membership.pk])
    return _send(
        official_emails(membership.company.district_id),
        subject,
        "join_request_official",
        names,
        district=district,
    )


def join_approved_email_send(membership_id: int) -> int:
    """Tell a recruiter that their request to join a company was approved."""
    membership = (
        Membership.objects.select_related("user", "company")
        .filter(pk=membership_id, is_active=True, company__isnull=False)
        .first()
    )
    if membership is None or not membership.user.email:
        return 0
    names = {"company": membership.company.name}
    subject = in_portal_language(_("[Innovation District Portal] You can now act for %(company)s"), names)
    district = district_of(membership.company.district_id)
    return _send([membership.user.email], subject, "join_approved", names, district=district)


def join_declined_email_send(address: str, company_id: int) -> int:
    """Tell someone that their request to join a company was declined.

    Takes the address rather than an id: the declined request, and usually its account,
    no longer exist.
    """
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not address:
        return 0
    names = {"company": company.name}
    subject = in_portal_language(_("[Innovation District Portal] Your request to join %(company)s"), names)
    return _send([address], subject, "join_declined", names, district=district_of(company.district_id))


# --- Sign-up and joining: what the typed address is told -------------------------------------
#
# The sign-up and join pages answer every visitor alike; these messages tell the owner of the
# typed address what happened and what to do next. Only that inbox learns whether the address
# had an account, or the business number a company.


def signup_confirmation_email_send(user_id: int) -> int:
    """Mail the link that confirms a new recruiter's address, while the account awaits it."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email or not awaits_confirmation(user):
        return 0
    membership = (
        Membership.objects.filter(user=user, role=Membership.Role.COMPANY_RECRUITER)
        .select_related("company")
        .order_by("pk")
        .first()
    )
    district = district_of(membership.company.district_id)
    context = {
        "name": user.name,
        "company": membership.company,
        "joining": not membership.is_active,
        "link": district.link(signup_confirmation_path(user)) if district else "",
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    subject = in_portal_language(_("[Innovation District Portal] Confirm your email address"), {})
    return _send([user.email], subject, "signup_confirm", context, district=district)


def signup_account_exists_email_send(address: str, form: str, district_id: int | None = None) -> int:
    """Tell an address that signed up or asked to join again that it already has an account.

    `form` is "signup" or "join"; `district_id` is the district whose site the form was sent
    on (None, from a task queued before districts had sites: the default one). Takes the
    address: no row was made for this attempt.
    """
    district = district_of(district_id)
    context = {
        "email": address,
        "joining": form == "join",
        "login_link": _portal_link(district, "login"),
        "reset_link": _portal_link(district, "password_reset"),
    }
    subject = in_portal_language(_("[Innovation District Portal] You already have an account"), {})
    return _send([address], subject, "account_exists", context, district=district)


def signup_company_registered_email_send(address: str, business_number: str, district_id: int) -> int:
    """Tell an address that signed up a company already registered in this district how to join it."""
    district = district_of(district_id)
    context = {
        "number": format_business_number(business_number),
        "district": district.name if district else "",
        "join_link": _portal_link(district, "companies:join"),
    }
    subject = in_portal_language(_("[Innovation District Portal] This company is already registered"), {})
    return _send([address], subject, "company_registered", context, district=district)


def join_no_company_email_send(address: str, business_number: str, district_id: int | None = None) -> int:
    """Tell an address that asked to join a company no one can join in the district whose site
    it used (unknown there or rejected) what to do.

    One message for both cases, so the inbox does not learn a rejected company's fate; nor
    whether another district has a company with this number.
    """
    district = district_of(district_id)
    context = {
        "number": format_business_number(business_number),
        "district": district.name if district else "",
        "signup_link": _portal_link(district, "companies:signup"),
    }
    subject = in_portal_language(_("[Innovation District Portal] Your request to join a company"), {})
    return _send([address], subject, "join_no_company", context, district=district)
