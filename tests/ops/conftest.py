"""Real parts for the operations tests: a webhook receiver on 127.0.0.1 and the whole local
stack (`bash ops/serve.sh`: Prefect server, process worker, deployments, automations) on a
free port, with PREFECT_HOME and the data home in a temporary folder."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STACK_START_TIMEOUT = 150.0  # a cold server takes ~20 s, the CLI calls of serve.sh ~25 s


@dataclass
class Receiver:
    """A webhook endpoint that keeps every JSON body POSTed to it."""

    url: str
    received: list[dict] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, predicate: Callable[[dict], bool], timeout: float) -> dict | None:
        """The first notification matching predicate, waiting up to timeout seconds."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for message in self.received:
                    if predicate(message):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.arrived.wait(left)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    holder: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                message = json.loads(body)
            except ValueError:
                message = {"raw": body.decode("utf-8", "replace")}
            message["_path"] = self.path
            sink = holder["receiver"]
            with sink.arrived:
                sink.received.append(message)
                sink.arrived.notify_all()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_port}/hook")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder["receiver"]
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    """A running `ops/serve.sh` and how to reach it."""

    process: subprocess.Popen
    api_url: str
    env: dict[str, str]
    home: Path
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def stop(self, timeout: float = 60.0) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def stack_env(tmp: Path, port: int, webhook_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PATH=f"{REPO / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        PREFECT_HOME=str(tmp / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_WORKER_QUERY_SECONDS="1",  # pick up test runs at once, not every 10 s
        NEWSFIGURES_PREFECT_PORT=str(port),
        NEWSFIGURES_HOME=str(tmp / "data"),
        NEWSFIGURES_WEBHOOK_URL=webhook_url,
        NEWSFIGURES_STOP_TIMEOUT="5",
    )
    env.pop("NEWSFIGURES_CRON", None)
    env.pop("NEWSFIGURES_CRON_TZ", None)
    return env


def _stack_ready(api_url: str) -> bool:
    """Server up, three deployments, the automations, and a worker polling the pool."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            deployments = client.read_deployments()
            automations = client.read_automations()
            workers = client.read_workers_for_work_pool("newsfigures")
    except Exception:
        return False
    from ops.automations import automation_files

    expected = len(automation_files())
    return len(deployments) == 3 and len(automations) >= expected and bool(workers)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, receiver) -> Iterator[Stack]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    tmp = tmp_path_factory.mktemp("stack")
    port = free_port()
    env = stack_env(tmp, port, receiver.url)
    log = tmp / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["bash", "ops/serve.sh"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a failed test can kill it all
        )
    api_url = f"http://127.0.0.1:{port}/api"
    running = Stack(process, api_url, env, tmp, log)
    with temporary_settings({PREFECT_API_URL: api_url}):
        deadline = time.monotonic() + STACK_START_TIMEOUT
        while not _stack_ready(api_url):
            if process.poll() is not None or time.monotonic() > deadline:
                running.stop()
                pytest.fail(f"ops/serve.sh did not come up:\n{running.log_tail()}")
            time.sleep(1)
        try:
            yield running
        finally:
            running.stop()
