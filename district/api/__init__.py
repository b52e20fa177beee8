"""The district's REST API under /api/v1/: authentication, the scoped base viewset, the dashboard."""
