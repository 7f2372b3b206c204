"""gunicorn settings for ICRS (override any of them with GUNICORN_CMD_ARGS or env vars below).

Sync workers: requests are short and CPU-bound (templates, AES-GCM), the database does the
waiting. Rule of thumb 2 x cores + 1; each worker keeps its own small connection pool.
"""
import multiprocessing
import os

bind = os.environ.get("ICRS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ICRS_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("ICRS_WORKER_TIMEOUT", 60))  # long exports stream within this
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers: bounded memory over weeks of uptime
max_requests_jitter = 200
limit_request_line = 8190
limit_request_fields = 100
forwarded_allow_ips = os.environ.get("ICRS_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# No query strings in the access log: searches could carry a phone or ID number.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
wsgi_app = "icrs:create_app()"
