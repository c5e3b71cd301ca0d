"""Stage progress reaches the terminal's bars, and nothing when nobody watches."""

import io

from rich.console import Console
from rich.progress import Progress

from flows import progress


def test_reports_go_to_the_installed_reporter_only_while_it_is_installed():
    seen = []
    with progress.reporting(lambda *args: seen.append(args)):
        progress.report("process", "demo-wp", 3, 10)
    progress.report("process", "demo-wp", 4, 10)
    assert seen == [("process", "demo-wp", 3, 10)]


def test_rich_reporter_keeps_one_bar_per_stage_and_source():
    with Progress(console=Console(file=io.StringIO())) as bars:
        reporter = progress.RichReporter(bars)
        reporter("crawl", "demo-wp", 0, None)
        reporter("crawl", "demo-wp", 42, 42)
        reporter("process", "demo-wp", 10, 42)
        by_name = {t.description.split()[0] + "/" + t.description.split()[1]: t for t in bars.tasks}
    assert set(by_name) == {"crawl/demo-wp", "process/demo-wp"}
    assert by_name["crawl/demo-wp"].completed == 42 and by_name["crawl/demo-wp"].total == 42
    assert by_name["process/demo-wp"].completed == 10
