"""Writes for placements, one module per entity.

- `applications`: the application lifecycle, offers, hires and placements;
  `application_notices`: what the student and their school are told about the company's decisions;
- `runs`: starting and publishing matching runs; `run_execution`: executing one;
  `run_emails`: the offer emails of a published run;
- `preferences`: students' ranked lists for a round;
- `saved_searches`, `notifications`, `suggestions`.

Services never import a tasks module: they enqueue tasks by name
(`district.outbox.enqueue("placements.match_run_execute", run_id)`).

Import from the module: `from placements.services.applications import application_submit`.
"""
