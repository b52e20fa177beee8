"""The ground floor: districts, users and roles, access rules, and the shared infrastructure."""
