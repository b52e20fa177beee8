"""The placements part of the REST API under /api/v1/."""
