"""The automation files and what `ops.automations` makes of them, without a server."""

from datetime import timedelta
from uuid import uuid4

import pytest

from ops.automations import (
    AutomationFileError,
    apply,
    automation_files,
    automation_from_spec,
    read_spec,
    webhook_url,
)


def test_every_file_is_a_valid_automation_whose_notifications_use_the_webhook_block():
    block_id = uuid4()
    automations = [automation_from_spec(read_spec(p), block_id, p) for p in automation_files()]
    names = [a.name for a in automations]
    assert len(set(names)) == len(names) >= 3
    notifications = [
        action for a in automations for action in a.actions if action.type == "send-notification"
    ]
    assert notifications and all(n.block_document_id == block_id for n in notifications)


def test_failures_and_crashes_of_the_nightly_flow_notify_at_once():
    spec = read_spec(next(p for p in automation_files() if p.name == "nightly-failed.yaml"))
    automation = automation_from_spec(spec, uuid4())
    trigger = automation.trigger
    assert trigger.posture == "Reactive" and trigger.threshold == 1
    assert trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"}
    assert trigger.match_related.model_dump() == {
        "prefect.resource.role": "flow",
        "prefect.resource.name": "nightly",
    }


def test_the_missing_nightly_window_is_26_hours():
    spec = read_spec(next(p for p in automation_files() if p.name == "nightly-missing.yaml"))
    trigger = automation_from_spec(spec, uuid4()).trigger
    assert trigger.posture == "Proactive"
    assert trigger.within == timedelta(hours=26)


def test_a_broken_file_is_named_in_the_error(tmp_path):
    (tmp_path / "bad.yaml").write_text("name: x\ntrigger: [unclosed\n")
    with pytest.raises(AutomationFileError, match=r"bad\.yaml: not valid yaml"):
        read_spec(tmp_path / "bad.yaml")
    (tmp_path / "nameless.json").write_text('{"trigger": {}}')
    with pytest.raises(AutomationFileError, match="needs a mapping with a `name`"):
        read_spec(tmp_path / "nameless.json")
    (tmp_path / "wrong.yaml").write_text("name: w\ntrigger: {type: event, posture: Sideways}\n")
    with pytest.raises(AutomationFileError, match=r"wrong\.yaml"):
        automation_from_spec(read_spec(tmp_path / "wrong.yaml"), uuid4(), tmp_path / "wrong.yaml")


def test_apply_refuses_to_start_without_a_usable_webhook_url(monkeypatch, tmp_path):
    monkeypatch.delenv("NEWSFIGURES_WEBHOOK_URL", raising=False)
    with pytest.raises(ValueError, match="set NEWSFIGURES_WEBHOOK_URL"):
        apply()
    with pytest.raises(ValueError, match="must be an http"):
        webhook_url("ftp://example.org/hook")
    monkeypatch.setenv("NEWSFIGURES_WEBHOOK_URL", "https://hooks.example.org/T0/B0")
    assert webhook_url() == "https://hooks.example.org/T0/B0"
    # An empty folder is an error before anything is sent to a server.
    with pytest.raises(AutomationFileError, match="no automation files"):
        apply(directory=tmp_path)
