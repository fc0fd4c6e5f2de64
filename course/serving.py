"""gunicorn's settings for Family Course: `gunicorn -c python:course.serving 'course:create_app()'`.

Every value can be changed from the environment; `make serve` uses this file.
"""

import os

bind = os.environ.get("COURSE_BIND", "127.0.0.1:8000").split(",")
# Processes, each with a few threads: a page waiting on the database doesn't hold up others.
workers = int(os.environ.get("COURSE_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("COURSE_THREADS", "4"))
timeout = int(os.environ.get("COURSE_WORKER_TIMEOUT", "30"))
graceful_timeout = 20
# TLS straight from gunicorn, for a site with no proxy in front.
certfile = os.environ.get("COURSE_CERTFILE") or None
keyfile = os.environ.get("COURSE_KEYFILE") or None
# X-Forwarded-* is trusted by the app (COURSE_PROXY_HOPS), not by gunicorn.
forwarded_allow_ips = ""
# One line a request on standard output. The path is the route's pattern
# ("/reset-password/<token>"), set by the app, so no token, id or query string is written.
accesslog = os.environ.get("COURSE_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %({course.route}e)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# No control socket: several sites (or nodes) on one machine would share its one path.
control_socket_disable = True
