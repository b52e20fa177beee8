"""Admin for the students' own rows: notifications, saved searches, suggested openings and offer emails.

Officials see their district's rows (through the student's school) and cannot add, change
or delete them; superusers can, as everywhere else. Every changelist page and every record
opened is written to the personal-data access log, as the students' own admin is.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from district.admin_base import DistrictScopedAdmin, ReadOnlyAdminMixin
from placements.admin.base import StudentDataAccessLogMixin, SuperuserWritesMixin
from placements.models import Notification, OfferEmail, SavedSearch, Suggestion
from schools.models import Student


class _UsersStudentsMixin(StudentDataAccessLogMixin):
    """Rows that belong to a user: the students are those users' student records (one query)."""

    def students_of(self, rows) -> list:
        user_ids = {row.user_id for row in rows}
        if not user_ids:
            return []
        return list(Student.objects.filter(user_id__in=user_ids).order_by("pk").values_list("pk", flat=True))


@admin.register(Notification)
class NotificationAdmin(_UsersStudentsMixin, SuperuserWritesMixin, DistrictScopedAdmin):
    district_lookup = "user__student__school__district"
    access_what = "notification"
    list_display = ("text", "user", "kind", "created_at", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("text", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"


@admin.register(SavedSearch)
class SavedSearchAdmin(_UsersStudentsMixin, SuperuserWritesMixin, DistrictScopedAdmin):
    district_lookup = "user__student__school__district"
    access_what = "savedsearch"
    list_display = ("name", "user", "querystring", "created_at", "last_notified_at", "emails_digest")
    list_filter = (("unsubscribed_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "querystring", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "unsubscribe_token")

    @admin.display(description=_("email digest"), boolean=True)
    def emails_digest(self, obj):
        return obj.emails_digest


@admin.register(Suggestion)
class SuggestionAdmin(StudentDataAccessLogMixin, SuperuserWritesMixin, DistrictScopedAdmin):
    district_lookup = "student__school__district"
    access_what = "suggestion"
    list_display = ("student", "rank", "opening", "company", "score", "computed_at")
    list_filter = (("student__school", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("student__name", "student__student_number", "opening__title")
    list_select_related = ("student", "opening__company")
    raw_id_fields = ("student", "opening")
    ordering = ("student", "rank")

    @admin.display(description=_("company"), ordering="opening__company__name")
    def company(self, obj):
        return obj.opening.company


@admin.register(OfferEmail)
class OfferEmailAdmin(StudentDataAccessLogMixin, ReadOnlyAdminMixin, DistrictScopedAdmin):
    """Each offer email of a published run and how its sending went (the run's page counts them
    and re-sends the failed ones); written by the publication and the mail task only."""

    district_lookup = "run__district"
    access_what = "offeremail"
    list_display = ("application", "run", "status", "attempts", "last_error", "queued_at", "sent_at")
    list_filter = ("status", ("run", admin.RelatedOnlyFieldListFilter))
    search_fields = ("application__student__name", "application__opening__title")
    list_select_related = ("application__student", "application__opening", "run__round")
    date_hierarchy = "queued_at"

    def students_of(self, rows) -> list:
        return [row.application.student_id for row in rows]
