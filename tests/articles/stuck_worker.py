"""A stand-in worker entry point that hangs where SIGALRM cannot reach (for the pool tests).

It lives in an importable module because the pool's spawned workers import what they run.
"""

from __future__ import annotations

import signal
import time

from articles.pool import clean_batch


def batch_with_a_stuck_page(tasks, timeout):
    if any(task["id"] == "stuck" for task in tasks):
        # Blocking the signal mimics a page stuck inside C code: the alarm never lands.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)
    return clean_batch(tasks, timeout)
