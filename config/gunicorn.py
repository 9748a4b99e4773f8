"""gunicorn's settings for `make serve` (`gunicorn -c config/gunicorn.py config.wsgi`).

Sync workers handle one request at a time, so a client that sends or reads slowly holds a
worker: run Kontor behind a reverse proxy that buffers whole requests and responses (the
README's production section has an nginx configuration) and keep these limits short.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
# A request still running after this many seconds gets its worker restarted (the client gets
# an error from the proxy instead of waiting for ever).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# The proxy keeps connections to gunicorn open; more than a few seconds only ties up workers.
keepalive = 5
# Request line and headers: gunicorn's defaults, written out because the proxy should match.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
# Recycle workers now and then so that nothing a long-lived process collects grows unbounded.
max_requests = 2000
max_requests_jitter = 200
