"""The interfaces over ``Assistant``: the web UI (``app``), the command line (``cli``) and the terminal quiz.

Gradio's analytics and the Hub's telemetry are switched off here, before any module of this package
can import Gradio: the page sends nothing out.
"""
import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
