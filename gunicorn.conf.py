"""gunicorn's settings for the product, read by gunicorn from the working directory (the
Dockerfile and scripts/stack start `gunicorn disclosure.wsgi` and need no flags for these).

Chosen by measurement (benchmarks/load.py, figures in benchmarks/README.md): threaded
workers, one process per core with 8 threads each, served the mixed load at 40 clients with
as many requests per second as 4 sync workers (within the rounds' spread) and a shorter
tail than they in every run: sync workers' queue is unfair (a client waiting for a free
process may wait many seconds); a request waiting on the database leaves the core to
another thread. Fewer threads (2×4) or more processes (4×4) did no better on 2 cores.
WEB_WORKER_CLASS, WEB_WORKERS and WEB_THREADS override them (README's environment table).
"""

import os

worker_class = os.environ.get("WEB_WORKER_CLASS", "gthread")
workers = int(os.environ.get("WEB_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("WEB_THREADS", "8"))
# A request still running after this many seconds has its worker restarted.
timeout = 30
