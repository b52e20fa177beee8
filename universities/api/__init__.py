"""The universities part of the REST API under /api/v1/."""
