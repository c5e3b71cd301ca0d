"""Operations: deployments, the local Prefect server, failure notifications, the canary.

See docs/operations.md. `ops.automations` applies the notification automations kept in
`ops/automations/`; `ops.canary` finds sources that stopped producing articles.
"""
