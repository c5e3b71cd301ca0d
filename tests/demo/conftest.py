"""Fixtures for the demo site's tests: a small fixture site served on 127.0.0.1:0."""

from __future__ import annotations

import pytest

from demo.server import serve
from demo.site import DemoSite
from tests.demo.demo_http import FIXTURE_CONTENT


@pytest.fixture
def site() -> DemoSite:
    return DemoSite(FIXTURE_CONTENT)


@pytest.fixture
def base(site: DemoSite):
    with serve(site) as url:
        yield url
