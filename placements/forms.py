"""Forms of the student's pages (the ranking, the profile and saved searches), of the school
staff's placements pages (retention at 6 and 12 months, a hire agreed outside the portal) and
the recruiter's applicant moves."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from district.filters import integer_range, ranged
from district.models import Area, IndustrySegment
from placements.models import NOTE_REQUIRED, Application, RetentionReview, company_next_statuses
from placements.selectors.preferences import MAX_PREFERENCES
from placements.services.applications import clean_own_answer
from schools.forms import DateInput
from schools.models import FieldPractice, Student

# A posted list longer than this is not even parsed; the service refuses more than 30 anyway.
_MAX_POSTED = MAX_PREFERENCES * 2


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise ValidationError(_("The list could not be read; reload the page and try again.")) from None
    return ids


class PreferenceListForm(forms.Form):
    """The ranking page's one form: the list in its current order, plus the button that was pressed.

    Without JavaScript every button posts the whole list: "up", "down" and "remove" carry
    the opening's id, "add" the id of an opening to append. With JavaScript the list is
    reordered in the page and "save" posts it. Either way the result is saved whole.
    """

    def clean(self):
        posted = self.data.getlist("opening")
        if len(posted) > _MAX_POSTED:
            raise ValidationError(
                _("You can rank at most %(max)d openings.") % {"max": MAX_PREFERENCES}, code="too_many"
            )
        ids = _ids(posted)
        for action in ("up", "down", "remove", "add"):
            if action in self.data:
                (target,) = _ids([self.data[action]])
                ids = self._apply(ids, action, target)
                self.cleaned_data["action"] = action
                break
        else:
            self.cleaned_data["action"] = "save"
        self.cleaned_data["opening_ids"] = ids
        return self.cleaned_data

    @staticmethod
    def _apply(ids: list[int], action: str, target: int) -> list[int]:
        ids = list(ids)
        if action == "add":
            return ids if target in ids else [*ids, target]
        if target not in ids:
            return ids
        i = ids.index(target)
        if action == "remove":
            del ids[i]
        elif action == "up" and i > 0:
            ids[i - 1], ids[i] = ids[i], ids[i - 1]
        elif action == "down" and i < len(ids) - 1:
            ids[i + 1], ids[i] = ids[i], ids[i + 1]
        return ids


# --- School staff: retention and the students' applications ------------------------------------


class RetentionFilterForm(forms.Form):
    """The retention list's `?cohort=`."""

    cohort = ranged(forms.IntegerField)(
        label=_("Cohort"),
        required=False,
        integer_range=integer_range(Student._meta.get_field("cohort")),
    )

    def filters(self) -> dict:
        return {"cohort": self.cleaned_data["cohort"]} if self.is_valid() else {}


class RetentionReviewForm(forms.Form):
    """School staff confirm or correct a 6- or 12-month record (`retention_review_save`)."""

    status = forms.ChoiceField(label=_("Status on the check date"), choices=RetentionReview.Status.choices)
    ended_on = forms.DateField(
        label=_("Left the job on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when the graduate had left this job before the check date."),
    )
    end_reason = forms.CharField(label=_("Reason for leaving"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class OutsideHireForm(forms.Form):
    """A hire agreed outside the portal, recorded by the student's school."""

    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    student_agreed = forms.BooleanField(
        label=_("The student agreed to this job"),
        required=False,  # the service refuses without it, with its own message on this field
    )
    note = forms.CharField(
        label=_("How and when the student agreed"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GuardianConsentForm(forms.Form):
    """The guardian's consent to a job, recorded by the student's school."""

    consent_on = forms.DateField(
        label=_("Date of the guardian's consent"), widget=DateInput(), required=False
    )
    method = forms.ChoiceField(
        label=_("How the guardian consented"),
        choices=[("", _("Choose one"))] + list(FieldPractice.ConsentMethod.choices),
        required=False,  # the service refuses without them, each with its own message
    )


class ApplyForm(forms.Form):
    """The confirmation step of applying: the answer to the opening's own question, when it asks
    one (required, at most PROFILE_ANSWER_MAX_CHARS characters, kept in the profile snapshot
    only), and the student's short note to the company."""

    answer = forms.CharField(
        required=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Answer the company's question.")},
    )
    note = forms.CharField(
        label=_("A short note to the company (optional)"),
        required=False,
        max_length=Application._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, why you want this job. The company reads it with your application."),
    )

    def __init__(self, *args, opening, **kwargs):
        super().__init__(*args, **kwargs)
        self.opening = opening
        if not opening.own_question:
            del self.fields["answer"]
            return
        limit = settings.PROFILE_ANSWER_MAX_CHARS
        field = self.fields["answer"]
        field.label = opening.own_question
        field.widget.attrs["maxlength"] = str(limit)
        field.help_text = _(
            "The company's own question, at most %(max)d characters. Only this company reads your answer."
        ) % {"max": limit}

    def clean_answer(self):
        # The service holds the rule (required, the limit, line breaks counted once).
        try:
            return clean_own_answer(self.opening, self.cleaned_data["answer"])
        except ValidationError as error:
            raise ValidationError(error.error_dict["answer"]) from None


# --- Saved searches and the profile -----------------------------------------------------------------


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the search"),
        max_length=100,
        required=False,
        help_text=_("Optional. Without a name, the filters make one."),
    )


class ProfileForm(forms.Form):
    """What a student may change about themselves: their field of interest and commute area."""

    field_of_interest = forms.ModelChoiceField(
        label=_("Field of interest"), queryset=IndustrySegment.objects.none(), required=False
    )
    commute_area = forms.ModelChoiceField(
        label=_("Commute area"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Where you would travel to work from; openings show the commute time from here."),
    )

    def __init__(self, *args, areas, segments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commute_area"].queryset = areas
        self.fields["field_of_interest"].queryset = segments


# --- The recruiter's applicant pipeline (/company/, namespace "companies") ------------------


def company_move_choices(status: str) -> list[tuple[str, str]]:
    """The moves a company may make from `status` (the applications service's table), labelled
    as a recruiter reads them: "not selected" from an open offer is withdrawing the offer."""
    labels = dict(Application.Status.choices)
    labels[Application.Status.CANCELLED] = _("Cancel the job")
    if status == Application.Status.OFFERED:
        labels[Application.Status.REJECTED] = _("Withdraw the offer")
    return [(value, labels[value]) for value in company_next_statuses(status)]


def move_needs_note(to_status: str) -> bool:
    return to_status in NOTE_REQUIRED


class ApplicationMoveForm(forms.Form):
    """One step of an applicant through the company's pipeline."""

    to_status = forms.ChoiceField(label=_("Move to"), choices=())
    note = forms.CharField(
        label=_("Feedback or note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The student reads it word for word, on their page and by email. Required when the applicant "
            "is not selected, an offer is withdrawn or a job is cancelled."
        ),
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        choices = company_move_choices(application.status)
        if application.status == Application.Status.ACCEPTED and application.needs_guardian_consent():
            # The hire waits for the guardian's consent (the service refuses it too).
            choices = [(value, label) for value, label in choices if value != Application.Status.HIRED]
        self.fields["to_status"].choices = choices
