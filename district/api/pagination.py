from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """50 rows a page by default; a client may ask for up to 200 with `page_size`.

    A `page` or `page_size` that is not a whole number of at least 1 is refused with 400, rather
    than silently replaced by the default as DRF does: a client that sends `page_size=all` or
    `page=` should learn that it got the first 50 rows for a reason (found by the fuzz test).
    Sizes above 200 are cut to 200; a page past the end is 404, as in DRF.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def _whole_number(self, name: str) -> int | None:
        raw = self.request_params.get(name)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({name: [_("Enter a whole number of at least 1.")]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.request_params = request.query_params
        self._whole_number(self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        self.request_params = request.query_params
        size = self._whole_number(self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(
                    _("Number of results to return per page: 50 unless asked, at most 200.")
                )
        return parameters
