"""gunicorn's settings for the product, read by gunicorn from the working directory (the
Dockerfile and scripts/stack start `gunicorn disclosure.wsgi` and need no flags for these).

Chosen by measurement (benchmarks/load.py, figures in benchmarks/README.md): threaded
workers, one process per core with one thread each. Under the mixed load at 40 clients that
served 2.2× the requests/s of the 4 sync workers the issue measured, 1.3× as many as 8
threads per process, with the shortest and most even tail of every setup tried: each
process answers its connections one request at a time, in order, so a page waits its turn
instead of sharing the core with seven others (with 8 threads the Python threads of a
process contend for its one interpreter lock, and a heavy page took eight times as long).
The threaded worker keeps connections alive between requests without tying up the process
(a sync worker closes each, or blocks on an idle one), and a connection waiting for its
next request costs nothing. More processes than cores (4×1) did worse; 2 threads served
the browsers quickly and the API clients three times slower, 3 did no better than 8.
The cost: a slow request holds its process until done, as a sync worker's would; give
WEB_THREADS more where long requests are common. WEB_WORKER_CLASS, WEB_WORKERS and
WEB_THREADS override them (README's environment table).
"""

import os

worker_class = os.environ.get("WEB_WORKER_CLASS", "gthread")
workers = int(os.environ.get("WEB_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("WEB_THREADS", "1"))
# A request still running after this many seconds has its worker restarted.
timeout = 30
