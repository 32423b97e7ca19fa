"""netral's version (one place; the facade and every component that stamps it read it here)."""

__version__ = "0.1.0"
