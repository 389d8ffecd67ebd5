"""``qabot bench load``: many conversations at once against the served app, on 127.0.0.1 only."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import numpy as np

SCRIPTS = [
    [("Who is Igor Komarov?", None), ("Who did he meet?", "Igor Komarov")],
    [("What did Thomas Pesquet do in 2016?", None), ("How did he come back?", "Thomas Pesquet")],
    [("Who is Jean-Yves Le Gall?", None), ("What did he say?", "Jean-Yves Le Gall")],
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, source: str | None, index: str | None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--source", source] if source else []
    cmd += ["--index", index] if index else []
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped: {proc.stderr.read()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the server did not start within 180 s")


def conversation(url: str, script: list, until: float, out: dict, lock: threading.Lock) -> None:
    """One browser-like session asking its script in a loop; follow-ups must resolve to its own topic."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    turns = 0
    while time.time() < until and turns < 10_000:
        for question, must_mention in script:
            started = time.perf_counter()
            try:
                result = client.predict(question, [], api_name="/respond")
                answer = result[-1]
                ok = must_mention is None or must_mention in answer["query"]
                error = None if ok else f"history mixed: {question!r} read as {answer['query']!r}"
            except Exception as err:  # every failure is counted, none stops the run
                error = f"{type(err).__name__}: {err}"
            with lock:
                out["latency_ms"].append((time.perf_counter() - started) * 1000)
                if error:
                    out["errors"].append(error)
            turns += 1


def run(args) -> dict:
    """Serve the app in a child process and drive ``--conversations`` sessions for ``--seconds``."""
    conversations = getattr(args, "conversations", None) or 50
    seconds = getattr(args, "seconds", None) or 60
    port = free_port()
    server = start_server(port, getattr(args, "source", None), getattr(args, "index", None))
    url = f"http://127.0.0.1:{port}/"
    out, lock = {"latency_ms": [], "errors": []}, threading.Lock()
    try:
        until = time.time() + seconds
        threads = [threading.Thread(target=conversation, args=(url, SCRIPTS[i % len(SCRIPTS)], until, out, lock))
                   for i in range(conversations)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 300)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    lat = out["latency_ms"]
    figures = {
        "conversations": conversations, "seconds": round(elapsed, 1), "requests": len(lat),
        "requests_per_s": len(lat) / elapsed if elapsed else 0.0, "errors": len(out["errors"]),
        "error_examples": out["errors"][:5],
        "latency_ms": {"p50": float(np.percentile(lat, 50)) if lat else None,
                       "p95": float(np.percentile(lat, 95)) if lat else None},
    }
    print(f"{figures['conversations']} conversations for {figures['seconds']} s: {figures['requests']} answers "
          f"({figures['requests_per_s']:.1f}/s), {figures['errors']} errors, latency p50 "
          f"{figures['latency_ms']['p50']:.0f} ms, p95 {figures['latency_ms']['p95']:.0f} ms", file=sys.stderr)
    return figures
