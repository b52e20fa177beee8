"""Writes for placements, one module per entity.

- `applications`: the application lifecycle, offers, hires and placements;
- `runs`: starting, executing and publishing matching runs;
- `preferences`: students' ranked lists for a round.

Import from the module: `from placements.services.applications import application_submit`.
"""
