"""The bundled demo news site ("Demo Tech Daily") served on 127.0.0.1 for `make demo` and tests.

`demo.site.DemoSite` loads the articles of `demo/content/`; `demo.server.serve(site)` runs it
over HTTP (HTML pages, WordPress REST API, RSS/Atom feeds, sitemaps, robots.txt and the faults
under `/faults/`). See `demo/server.py` for the URL map.
"""
