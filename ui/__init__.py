"""The interfaces over ``Assistant``: the web UI (``app``), the command line (``cli``) and the terminal quiz.

Gradio's analytics and the Hub's telemetry are switched off here, before any module of this package
can import Gradio: the page sends nothing out.

Gradio's queue also keeps per-event timings for its monitoring dashboard (off here) and, by default,
rebuilds a pandas table of the last 10,000 events after *every* event: measured under load, that was 28%
of the server's CPU. It is rebuilt every 1,000 events over the last 1,000 instead.
"""
import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
