"""ASGI entry point for servers: ``uvicorn netral.web.asgi:app`` (settings from the environment).

The detector (and its statistical model) is loaded here, at server start, so the first
visitor does not wait for it.
"""

from netral.web.app import create_app

app = create_app()

try:  # warm-up: build the detector once per worker process
    from netral.detect.detector import get_detector

    get_detector().check("Ayo pilih nomor 2, pemanasan detektor", kind="post")
except ImportError:  # pragma: no cover - detector not installed
    pass
