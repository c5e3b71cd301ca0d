"""Failure notifications as files: the automations in `ops/automations/*.yaml|json`, applied
to the Prefect server (`make automations`, i.e. `python -m ops.automations apply`).

`apply` saves a webhook notification block (a Custom Webhook that POSTs JSON with `subject`
and `body` to `NEWSFIGURES_WEBHOOK_URL`) and creates or updates, by name, one automation per
file; every `send-notification` action in the files is pointed at that block. Running it
again changes nothing but the webhook URL and the automations' definitions.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import yaml

AUTOMATIONS_DIR = Path(__file__).resolve().parent / "automations"
WEBHOOK_BLOCK_NAME = "newsfigures-webhook"
WEBHOOK_URL_ENV = "NEWSFIGURES_WEBHOOK_URL"
# What the receiver gets: the action's rendered subject and body, and where it came from.
WEBHOOK_PAYLOAD = {"source": "newsfigures", "subject": "{{subject}}", "body": "{{body}}"}


class AutomationFileError(ValueError):
    """An automation file that cannot be read or is not a valid automation."""


@dataclass(frozen=True, slots=True)
class AppliedAutomation:
    name: str
    automation_id: UUID
    action: str  # "created" or "updated"
    path: Path


def webhook_url(url: str | None = None) -> str:
    """The webhook URL given, or from NEWSFIGURES_WEBHOOK_URL; an http(s) URL or an error."""
    url = url or os.environ.get(WEBHOOK_URL_ENV, "")
    if not url:
        raise ValueError(
            f"no webhook URL: set {WEBHOOK_URL_ENV} (e.g. a Slack or ntfy webhook) or pass --url"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{WEBHOOK_URL_ENV} must be an http(s) URL, got {url!r}")
    return url


def automation_files(directory: Path = AUTOMATIONS_DIR) -> list[Path]:
    files = sorted(
        p for p in directory.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file()
    )
    if not files:
        raise AutomationFileError(f"no automation files (*.yaml, *.json) in {directory}")
    return files


def read_spec(path: Path) -> dict[str, Any]:
    """One automation file as a dict (YAML or JSON), with a name."""
    text = path.read_text(encoding="utf-8")
    try:
        spec = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise AutomationFileError(f"{path}: not valid {path.suffix[1:]}: {error}") from error
    if not isinstance(spec, dict) or not spec.get("name"):
        raise AutomationFileError(f"{path}: an automation needs a mapping with a `name`")
    return spec


def automation_from_spec(spec: dict[str, Any], block_id: UUID, path: Path | None = None):
    """The spec as a Prefect AutomationCore, its notifications sent through block_id."""
    from prefect.events.schemas.automations import AutomationCore
    from pydantic import ValidationError

    actions = [
        action | {"block_document_id": str(block_id)}
        if action.get("type") == "send-notification"
        else action
        for action in spec.get("actions", [])
    ]
    try:
        return AutomationCore.model_validate(spec | {"actions": actions})
    except ValidationError as error:
        raise AutomationFileError(f"{path or spec['name']}: {error}") from error


def save_webhook_block(url: str, block_name: str = WEBHOOK_BLOCK_NAME) -> UUID:
    """Create or overwrite the Custom Webhook block; returns its id (stable across saves)."""
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    # The URL often carries a token (Slack, ntfy, ...): keep it in the block's secrets, which
    # the API and the UI mask, and let the block put it in at send time.
    block = CustomWebhookNotificationBlock(
        name="newsfigures",
        url="{{webhook_url}}",
        method="POST",
        json_data=dict(WEBHOOK_PAYLOAD),
        secrets={"webhook_url": url},
    )
    return block.save(block_name, overwrite=True)


def upsert_automation(client, automation) -> tuple[UUID, str]:
    """Update the automation of the same name (dropping duplicates), or create it."""
    existing = client.read_automations_by_name(automation.name)
    if not existing:
        return client.create_automation(automation), "created"
    keep, *duplicates = existing
    client.update_automation(keep.id, automation)
    for duplicate in duplicates:
        client.delete_automation(duplicate.id)
    return keep.id, "updated"


def apply(
    url: str | None = None,
    directory: Path = AUTOMATIONS_DIR,
    block_name: str = WEBHOOK_BLOCK_NAME,
) -> list[AppliedAutomation]:
    """Save the webhook block and every automation file of `directory` to the server."""
    from prefect.client.orchestration import get_client

    url = webhook_url(url)
    # Read and validate every file before changing anything on the server.
    specs = [(path, read_spec(path)) for path in automation_files(directory)]
    names = [spec["name"] for _, spec in specs]
    if len(set(names)) != len(names):
        raise AutomationFileError(f"two automation files share a name: {names}")
    for path, spec in specs:
        automation_from_spec(spec, UUID(int=0), path)

    block_id = save_webhook_block(url, block_name)
    applied = []
    with get_client(sync_client=True) as client:
        for path, spec in specs:
            automation = automation_from_spec(spec, block_id, path)
            automation_id, action = upsert_automation(client, automation)
            applied.append(AppliedAutomation(automation.name, automation_id, action, path))
    return applied


def stored_automations(names: list[str] | None = None) -> list[dict[str, Any]]:
    """The automations on the server (those named, or all), as JSON-ready dicts."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        automations = client.read_automations()
    return [a.model_dump(mode="json") for a in automations if names is None or a.name in names]


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}/..."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.automations", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    apply_cmd = commands.add_parser("apply", help="save the webhook block and the automations")
    apply_cmd.add_argument("--url", help=f"webhook URL (default: ${WEBHOOK_URL_ENV})")
    apply_cmd.add_argument("--dir", type=Path, default=AUTOMATIONS_DIR)
    commands.add_parser("show", help="print the newsfigures automations stored on the server")
    args = parser.parse_args(argv)

    from ops import prefect_server

    try:
        with prefect_server() as api_url:
            return _run(args, api_url)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, api_url: str) -> int:
    from ops.prepare import server_healthy

    if not server_healthy(api_url):
        raise ValueError(f"no Prefect server answers at {api_url}: start one with `make serve`")
    if args.command == "show":
        names = [read_spec(p)["name"] for p in automation_files()]
        print(json.dumps(stored_automations(names), indent=2))
        return 0
    applied = apply(args.url, args.dir)
    print(
        f"webhook block {WEBHOOK_BLOCK_NAME!r} -> {_redacted(webhook_url(args.url))} on {api_url}"
    )
    for item in applied:
        print(f"{item.action} automation {item.name!r} ({item.automation_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
