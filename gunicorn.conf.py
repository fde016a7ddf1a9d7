"""gunicorn's settings for the product, read by gunicorn from the working directory (the
Dockerfile and scripts/stack start `gunicorn disclosure.wsgi` and need no flags for these).

Chosen by measurement (benchmarks/load.py, figures in benchmarks/README.md): sync workers,
two processes per core. Under the mixed load at 40 clients that served 2.05× the
requests/s the issue measured when the setups were compared (session 7; 2.0–2.35× since),
with a p99 of 0.39 s and the most even tail of every setup tried: a sync worker takes a
connection only when it is idle, so each request goes to the first free process, and no
client waits behind another's queue. One threaded process per core kept alive connections
and served 6% more requests, but each connection stays with the process that took it, and
whichever process held more of the clients made them wait: p99 0.51–0.60 s. Eight threads
per process did worst (its threads contend for the interpreter lock: a heavy page shared
its core with seven others). 3 or 6 sync workers did no better.
A slow request holds its process until done. WEB_WORKER_CLASS, WEB_WORKERS and WEB_THREADS
override them (README's environment table); more than one thread makes gunicorn use its
threaded worker.
"""

import gc
import os

worker_class = os.environ.get("WEB_WORKER_CLASS", "sync")
workers = int(os.environ.get("WEB_WORKERS", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("WEB_THREADS", "1"))
# A request still running after this many seconds has its worker restarted.
timeout = 30

# Python's cycle collector, tuned once the worker has loaded the product: what was loaded
# (Django, the apps, the settings: most of a worker's objects, and they live as long as it)
# is moved out of the collector's sight, and it runs every 10,000 new objects instead of
# 700. A page makes thousands of short-lived objects, so the default ran it several times
# per request and each full pass walked the whole loaded code again: 3.6% of the mixed
# load's CPU went to it, 1.4% after (benchmarks/README.md, session 8). Long-lived garbage
# is still collected, only less often.
GC_THRESHOLD = (10_000, 10, 10)


def post_worker_init(worker):
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
