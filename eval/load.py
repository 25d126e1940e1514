"""Load bench: start ``assistant serve`` on a free loopback port, drive it with Locust (``eval/locustfile.py``,
headless) and report errors, per-turn p50/p95/p99 and throughput, for web turns and API calls apart.
``assistant load`` runs the full bench (100 users for 60 s); the test suite runs a reduced one (10 users
for 10 s). ``think`` is each user's pause between questions, in seconds."""
from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_load(users: int = 100, seconds: int = 60, home: str | None = None, echo=print,
             think: tuple[float, float] = (0.5, 1.5), steady: bool = False) -> dict:
    """Serve, load, and return the web turns' figures ("turns", "p50_ms", …), the API calls' under "api",
    and "failures" over both. ``steady`` counts only turns after every user has arrived (Locust's
    ``--reset-stats``), leaving out the arrival of the crowd."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1",
               LOAD_THINK=f"{think[0]},{think[1]}")
    if home:
        env["ASSISTANT_HOME"] = home
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(240):  # the first start may build the index
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            else:
                raise RuntimeError(f"assistant serve did not start on {url}")
            echo(f"load: {users} users for {seconds} s against {url}, {think[0]}–{think[1]} s between questions")
            prefix = Path(tmp) / "stats"
            subprocess.run([sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
                            "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", url, "--csv", str(prefix),
                            "--only-summary", "--stop-timeout", "30"] + (["--reset-stats"] if steady else []), check=False, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=seconds + 120)
            rows = {r["Name"]: r for r in csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8"))}
            failed = [f"{r['Name']}: {r['Error']} ×{r['Occurrences']}"
                      for r in csv.DictReader(open(f"{prefix}_failures.csv", encoding="utf-8"))]
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    errors = sum(int(r.get("Failure Count", 0) or 0) for name, r in rows.items() if name != "Aggregated")
    web, api = _figures(rows.get("turn", {})), _figures(rows.get("api", {}))
    return {"users": users, "seconds": seconds, "think_s": f"{think[0]}–{think[1]}", "steady": steady,
            "failures": errors, "failure_kinds": failed[:5], **web,
            "api": api}


def _figures(row: dict) -> dict:
    return {"turns": int(row.get("Request Count", 0) or 0), "p50_ms": float(row.get("50%", 0) or 0),
            "p95_ms": float(row.get("95%", 0) or 0), "p99_ms": float(row.get("99%", 0) or 0),
            "turns_per_s": round(float(row.get("Requests/s", 0) or 0), 2)}


if __name__ == "__main__":
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    think = tuple(float(x) for x in sys.argv[3].split(",")) if len(sys.argv) > 3 else (0.5, 1.5)
    print(run_load(users, seconds, think=think, steady="steady" in sys.argv[4:]))
