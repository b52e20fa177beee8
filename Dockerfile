# The portal's image: one image for web, worker and beat; the command decides the role.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 portal

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings that import cleanly (DEBUG off needs a secret and a Redis URL, which
# it never connects to); the real values come at run time.
RUN SECRET_KEY=build-only-not-secret REDIS_URL=redis://build-only:6379/0 python manage.py collectstatic --noinput \
    && mkdir -p /app/var/uploads && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
# config/gunicorn.conf.py: 0.0.0.0:8000, 4 workers of 4 threads (GUNICORN_WORKERS, GUNICORN_THREADS), the app preloaded and warmed in the
# master, every connection closed before each fork.
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
