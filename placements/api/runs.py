"""/api/v1/match-runs/: officials list, start, read and publish their district's matching runs.

Reading is the scoped viewset of `placements.api.views` (officials; dashboard tokens read the
runs' statistics at /api/v1/dashboard/matching/). This subclass adds the two writes, each a call
to one service:

- ``POST /api/v1/match-runs/`` with ``{"district": <slug or id>, "cohort": 2026}`` queues a run
  (201, the run); a district the caller is not an official of answers 404, like a missing one.
  The run uses its round's lottery seed: a request that names a ``seed`` is refused with a 400
  and a message on the field, rather than silently run with another seed than the one asked for;
- ``POST /api/v1/match-runs/<id>/publish/`` publishes a run that succeeded (200, the run).

Refusals: 401 without credentials, 403 for anyone but officials (and for dashboard tokens),
404 out of scope, 409 when the run's state forbids it (a run already active in the district,
a run not succeeded, rankings still open, already published), 400 for invalid input.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from district.korean import fix_particles
from placements.api import views
from placements.api.serializers import MatchRunSerializer
from placements.selectors.runs import district_for_official
from placements.services.runs import match_run_publish, match_run_start

# Refusals caused by the state of a run or a round rather than by the input.
CONFLICT_CODES = {
    "run_active",
    "already_published",
    "not_publishable",
    "rankings_open",
    "trial_run",
    "changed_meanwhile",
}


class MatchRunStartSerializer(serializers.Serializer):
    district = serializers.CharField(max_length=50, help_text="The district's slug (e.g. pohang) or id.")
    cohort = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        help_text="The cohort of the round: the school year (2026 graduates in February 2027).",
    )

    def validate(self, attrs):
        # The seed belongs to the round (fixed when its rankings opened); nobody picks one per run.
        if "seed" in self.initial_data:
            raise serializers.ValidationError(
                {
                    "seed": _(
                        "The lottery seed belongs to the round and was fixed when its rankings opened; "
                        "a run cannot choose another."
                    )
                },
                code="seed_not_choosable",
            )
        return attrs


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


def _refusal(error: ValidationError) -> Response:
    code = getattr(error, "code", None) or "invalid"
    if hasattr(error, "error_dict"):
        fields = {name: [fix_particles(m) for m in messages] for name, messages in error.message_dict.items()}
        code = next(iter(error.error_dict.values()))[0].code or code
        return Response({**fields, "code": code}, status=status.HTTP_400_BAD_REQUEST)
    http = status.HTTP_409_CONFLICT if code in CONFLICT_CODES else status.HTTP_400_BAD_REQUEST
    return Response({"detail": fix_particles(" ".join(error.messages)), "code": code}, status=http)


REFUSED = {
    400: OpenApiResponse(description="Invalid input, such as a cohort without a round."),
    403: OpenApiResponse(description="Only officials may; dashboard tokens may not."),
    404: OpenApiResponse(description="Not one of the caller's districts or runs."),
    409: OpenApiResponse(RefusalSerializer, description="The run's or round's state forbids it."),
}


@extend_schema_view(
    list=extend_schema(summary="Matching runs (officials only)", tags=["matching"]),
    retrieve=extend_schema(summary="A matching run with its statistics (officials only)", tags=["matching"]),
)
class MatchRunViewSet(views.MatchRunViewSet):
    @extend_schema(
        summary="Start a matching run for a district's cohort",
        tags=["matching"],
        request=MatchRunStartSerializer,
        responses={201: MatchRunSerializer, **REFUSED},
    )
    def create(self, request):
        form = MatchRunStartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        district = district_for_official(request.user, data["district"])
        try:
            run = match_run_start(district=district, cohort=data["cohort"], by=request.user)
        except ValidationError as error:
            return _refusal(error)
        location = request.build_absolute_uri(f"{run.pk}/")
        return Response(
            MatchRunSerializer(run).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    @extend_schema(
        summary="Publish a run that succeeded: every match becomes an offer",
        tags=["matching"],
        request=None,
        responses={200: MatchRunSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        run = self.get_object()
        try:
            run = match_run_publish(run=run, by=request.user)
        except ValidationError as error:
            return _refusal(error)
        return Response(MatchRunSerializer(run).data)
