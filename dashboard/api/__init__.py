"""The dashboard API: /api/v1/dashboard/, mounted in the "api" namespace by the API urls."""
