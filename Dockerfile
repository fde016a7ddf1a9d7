# The one image behind web, worker and beat in docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/var/lib/disclosure MEDIA_ROOT=/var/lib/disclosure/media \
    STATIC_ROOT=/app/staticfiles
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --quiet .

COPY . .
# collectstatic needs a key to import the settings; the real one comes at run time.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput \
    && useradd --system --home /app disclosure \
    && mkdir -p /var/lib/disclosure/media \
    && chown -R disclosure /var/lib/disclosure
USER disclosure

EXPOSE 8000
# Workers, their kind and threads: gunicorn.conf.py (read from /app), chosen by measurement.
CMD ["gunicorn", "disclosure.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
