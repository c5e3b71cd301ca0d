"""docs/data-dictionary.md, generated from the schema's own comments: `python -m warehouse.dictionary`.

Every table and view column carries a COMMENT in its migration, so the dictionary cannot
drift from the schema (a test checks the file is current).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from warehouse.db import OFFLINE_CONFIG, apply_migrations
from warehouse.examples import EXAMPLES

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"

INTRO = """\
# Data dictionary

The warehouse is one DuckDB file. The nightly writes a private copy
(`$NEWSFIGURES_HOME/private/newsfigures.duckdb`) and publishes a read-only copy,
`$NEWSFIGURES_HOME/newsfigures.duckdb` (`NEWSFIGURES_HOME` defaults to `./data`), which is
the one to query:

```
newsfigures sql "SELECT * FROM facts LIMIT 10" [--format table|csv|json] [--limit N]
duckdb -readonly data/newsfigures.duckdb
```

Opening the published copy never blocks the nightly: each night it is replaced by a new file
(atomic rename), and a session that still has the old one open keeps reading the old one;
reopen to see the new night. Never open the private file yourself: the nightly would fail to
get its write lock (it retries, then names your process).

Times are UTC (`TIMESTAMP` without time zone). Duplicates: an article whose text is a near
copy (SimHash within 11 bits, the clean stage's measured threshold) or an exact copy of an earlier one has `duplicate_of` set; `facts`
and figure counts leave duplicates' figures out. `search(q)` needs the fts extension (the
`duckdb-extension-fts` package; `newsfigures sql` loads it); in a plain `duckdb` CLI use
`search_plain(q)`, which has the same columns.

This file is generated from the comments in `warehouse/migrations/*.sql` by
`python -m warehouse.dictionary`; edit the comments, not this file.
"""

MACROS = """\
## Macros

| macro | returns |
|---|---|
| `search(q)` | table `article_id, title, published, source, duplicate_of, score`: articles matching `q`, best first. BM25 over title and text (Porter stemming, English stop words) when the fts extension was present at load time, else the same as `search_plain(q)`. Needs the extension loaded to call. |
| `search_plain(q)` | the same columns: articles whose title or text contain every word of `q` (case-insensitive); score = 2 per word in the title + 1 per word in the text. Works everywhere. |
| `rounding_step(v)` | the place value of the last significant digit of `v` (18700000 -> 100000): `v` may be off by half of it through rounding alone. |
| `figure_low(value, value_high, qualifier)` / `figure_high(...)` | the interval of amounts a figure is compatible with, given rounding, its qualifier (`approx` widened to at least 5%, `at_least`/`at_most` open-ended) and ranges; `facts.conflict` compares these intervals across articles. |
"""


def schema_rows() -> tuple[list[tuple], list[tuple]]:
    """(relations, columns) of a freshly migrated warehouse, with their comments."""
    con = duckdb.connect(config=dict(OFFLINE_CONFIG))
    try:
        apply_migrations(con)
        relations = con.execute(
            """
            SELECT table_name, 'table', comment FROM duckdb_tables() WHERE schema_name = 'main'
            UNION ALL
            SELECT view_name, 'view', comment FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal
            ORDER BY 2, 1
            """
        ).fetchall()
        columns = con.execute(
            """
            SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
            WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index
            """
        ).fetchall()
    finally:
        con.close()
    return relations, columns


def render() -> str:
    relations, columns = schema_rows()
    parts = [INTRO]
    for kind, heading in (("table", "Tables"), ("view", "Views")):
        parts.append(f"## {heading}\n")
        for name, rel_kind, comment in relations:
            if rel_kind != kind:
                continue
            parts.append(
                f"### `{name}`\n\n{comment or ''}\n\n| column | type | meaning |\n|---|---|---|"
            )
            for table, column, data_type, col_comment in columns:
                if table == name:
                    meaning = (col_comment or "").replace("|", "\\|")
                    parts.append(f"| `{column}` | {data_type} | {meaning} |")
            parts.append("")
    parts.append(MACROS)
    parts.append("## Example queries\n")
    for example in EXAMPLES:
        parts.append(f"{example.title}:\n\n```sql\n{example.sql};\n```\n")
    return "\n".join(parts).rstrip() + "\n"


def main() -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
