"""Orchestrate: the Prefect flows (nightly, backfill, reprocess) and the `newsfigures` CLI.

The only package that knows all four stages.
"""

import os

# Offline, Prefect's telemetry only logs errors; on a busy 2-core machine its temporary
# (ephemeral) server can take longer than the default 20 s to start.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
