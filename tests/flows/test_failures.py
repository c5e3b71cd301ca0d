"""One night with a source that errors, one that times out and one that returns nothing:
the others still load, and the run's final state and artifacts say what failed."""

from __future__ import annotations

import duckdb
import pytest

from demo.server import serve
from demo.site import DemoSite
from flows.nightly import nightly

pytestmark = pytest.mark.slow

SOURCES = """
[[source]]
name = "good"
kind = "wordpress"
start_url = "{demo}/wp-json/wp/v2/posts"
allow_private = true
demo = true

[[source]]
name = "broken"
kind = "gopher"
start_url = "{demo}/feed/"
allow_private = true
demo = true

[[source]]
name = "stalled"
kind = "feed"
start_url = "{demo}/faults/timeout"
allow_private = true
demo = true

[[source]]
name = "silent"
kind = "feed"
start_url = "{demo}/faults/empty"
allow_private = true
demo = true
"""


@pytest.fixture(scope="module")
def night(prefect_harness, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    sources = home / "sources.toml"
    sources.write_text(SOURCES)
    patch = pytest.MonkeyPatch()
    patch.setenv("NEWSFIGURES_HOME", str(home))
    with serve(DemoSite()) as url:
        state = nightly(
            demo_url=url,
            sources_file=str(sources),
            polite=False,
            crawl_timeout=15,
            crawl_retries=1,
            return_state=True,
        )
    patch.undo()
    return state, state.result(raise_on_failure=False), home


def test_the_run_fails_naming_the_sources_that_failed(night):
    state, _, _ = night
    assert state.is_failed()
    assert "broken" in state.message and "stalled" in state.message
    assert "good" not in state.message and "silent" not in state.message


def test_each_source_has_the_outcome_it_earned(night):
    _, info, _ = night
    crawls = info["crawls"]
    assert crawls["good"]["crawl_status"] == "ok" and crawls["good"]["pages"] >= 40
    assert crawls["broken"]["crawl_status"] == "failed" and crawls["broken"]["error"]
    assert crawls["stalled"]["crawl_status"] == "timeout"
    assert crawls["silent"]["crawl_status"] == "ok" and crawls["silent"]["pages"] == 0


def test_the_good_source_is_loaded_and_published_despite_the_others(night):
    _, _, home = night
    db = duckdb.connect(str(home / "newsfigures.duckdb"), read_only=True)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] >= 40
    assert db.execute("SELECT status FROM runs").fetchall() == [("complete",)]
    db.close()


def test_the_summary_artifact_tells_what_failed(night):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["nightly-summary"])),
            limit=1,
        )
    assert "broken failed" in artifact.data
    assert "| good | ok |" in artifact.data
