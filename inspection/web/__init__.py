"""The web UI and JSON API (FastAPI, Jinja2, htmx): build it with `inspection.web.app.create_app`."""
