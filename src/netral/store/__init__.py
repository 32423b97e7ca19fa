"""Monitoring store: SQLAlchemy 2 models, sessions and migrations."""
