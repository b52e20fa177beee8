"""The dashboard, a top app: the KPIs (dashboard.kpis), /dashboard/ with its tables and downloads,
the Ministry's evaluation pack and the dashboard API (/api/v1/dashboard/).

It may import every app below it (placements, universities, schools, companies, privacy,
district); no app below imports it.
"""
