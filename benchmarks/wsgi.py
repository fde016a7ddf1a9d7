"""The product's WSGI application as the benchmark serves it over HTTP (gunicorn, as in
production): the benchmark's URLs (benchmarks/urls.py: the product's plus the baselines)
and "now" set to BENCH_NOW, inside the seeded plan's year. Never used by the product."""

import os

import time_machine

time_machine.travel(os.environ.get("BENCH_NOW", "2016-10-19T10:00:00+08:00")).start()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")

from django.conf import settings  # noqa: E402 - after the clock is set
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
settings.ROOT_URLCONF = "benchmarks.urls"
