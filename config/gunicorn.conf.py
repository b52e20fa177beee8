"""Gunicorn's settings, shared by docker-compose.yml, the Dockerfile and scripts/loadtest.

    gunicorn -c config/gunicorn.conf.py config.wsgi:application

Command-line flags override these (scripts/loadtest passes its own --bind and --workers).
`preload_app` imports the application once in the master, before the workers fork, so every
worker starts with the code already loaded.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
preload_app = True
accesslog = "-"
