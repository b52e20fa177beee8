"""The allow-listed public site: home, pathways, openings, companies and credit programmes.

A top app (DESIGN.md §3): it may import every app below it. What is public is decided by
the read selectors of the app that owns each entity (`companies.selectors.public`,
`placements.selectors.pathways`, `universities.selectors`), which the public API calls too.
"""
