"""ASGI entry point for servers: ``uvicorn netral.web.asgi:app`` (settings from the environment)."""

from netral.web.app import create_app

app = create_app()
