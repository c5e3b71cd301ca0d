"""Operations: deployments, the local Prefect server, failure notifications, the canary.

See docs/operations.md. `ops.automations` applies the notification automations kept in
`ops/automations/`; `ops.prepare` readies a server for the deployments; `ops.canary` finds
sources that stopped producing articles.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


def local_api_url() -> str:
    """The API of the server ops/serve.sh starts (NEWSFIGURES_PREFECT_HOST/PORT)."""
    host = os.environ.get("NEWSFIGURES_PREFECT_HOST", "127.0.0.1")
    port = os.environ.get("NEWSFIGURES_PREFECT_PORT", "4200")
    return f"http://{host}:{port}/api"


@contextmanager
def prefect_server() -> Iterator[str]:
    """The configured PREFECT_API_URL, or the local server's when none is configured.

    Without one, a Prefect client starts a throw-away ephemeral server: automations or a work
    pool saved there would vanish with the process, and nobody would notice."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    url = local_api_url()
    with temporary_settings({PREFECT_API_URL: url}):
        yield url
