"""Get a Prefect server ready for the deployments: wait until it answers, make sure the
process work pool exists, and apply the notification automations when a webhook URL is set.
One Python process instead of several `prefect` CLI calls (each costs seconds of imports).

    python -m ops.prepare [--pool newsfigures] [--timeout 120]

Uses PREFECT_API_URL (default: the local server of ops/serve.sh); run by ops/serve.sh before `prefect deploy --all`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.request

from ops.automations import WEBHOOK_URL_ENV

DEFAULT_POOL = "newsfigures"


def server_healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def wait_for_server(api_url: str, timeout: float) -> float:
    """Seconds waited until the server answered; TimeoutError if it never did."""
    start = time.monotonic()
    while not server_healthy(api_url):
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"no healthy Prefect server at {api_url} after {timeout:.0f} s")
        time.sleep(0.5)
    return time.monotonic() - start


def ensure_process_pool(name: str = DEFAULT_POOL) -> str:
    """ "created" or "exists"; an error if a pool of that name runs another kind of worker."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            pool = client.read_work_pool(name)
        except ObjectNotFound:
            template = ProcessWorker.get_default_base_job_template()
            client.create_work_pool(
                WorkPoolCreate(name=name, type="process", base_job_template=template)
            )
            return "created"
    if pool.type != "process":
        raise ValueError(f"work pool {name!r} exists with type {pool.type!r}, not 'process'")
    return "exists"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.prepare", description=__doc__)
    parser.add_argument("--pool", default=os.environ.get("NEWSFIGURES_POOL", DEFAULT_POOL))
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)

    from ops import prefect_server

    with prefect_server() as api_url:
        return _prepare(api_url, args.pool, args.timeout)


def _prepare(api_url: str, pool: str, timeout: float) -> int:
    try:
        waited = wait_for_server(api_url, timeout)
        print(f"[prepare] server healthy at {api_url} (waited {waited:.0f} s)", file=sys.stderr)
        state = ensure_process_pool(pool)
        print(f"[prepare] process work pool {pool!r}: {state}", file=sys.stderr)
        if os.environ.get(WEBHOOK_URL_ENV):
            from ops.automations import apply

            for item in apply():
                print(f"[prepare] {item.action} automation {item.name!r}", file=sys.stderr)
        else:
            print(
                f"[prepare] {WEBHOOK_URL_ENV} is not set: failure notifications not applied",
                file=sys.stderr,
            )
    except (TimeoutError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
