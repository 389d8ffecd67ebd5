"""``qabot bench load``: many conversations at once against the served app, and the same load against a no-op
floor (an endpoint of the same shape whose handler does nothing), each server in its own process on 127.0.0.1.

The server's CPU time per answer (psutil, on the server's pid) is the figure the clients' share of the machine
does not distort; latency is what a client waits, queueing included.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field

import numpy as np

SCRIPTS = [
    [("Who is Igor Komarov?", None), ("Who did he meet?", "Igor Komarov")],
    [("What did Thomas Pesquet do in 2016?", None), ("How did he come back?", "Thomas Pesquet")],
    [("Who is Jean-Yves Le Gall?", None), ("What did he say?", "Jean-Yves Le Gall")],
]
WARM_SHARE = 0.1  # resident memory is compared from the point where this share of the answers is done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server in a child process; its CPU time and resident memory read from its pid."""

    def __init__(self, cmd: list[str], port: int):
        self.cmd, self.port = cmd, port
        self.url = f"http://127.0.0.1:{port}/"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        import psutil

        self.log = tempfile.TemporaryFile(mode="w+")  # not a pipe: a long run's warnings never block the server
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=self.log, text=True)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"the server stopped: {self.log.read()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                time.sleep(0.5)
                continue
            time.sleep(0.5)
            if self.proc.poll() is None:  # listening, and not another program on that port
                self.ps = psutil.Process(self.proc.pid)
                return self
        self.proc.kill()
        raise RuntimeError("the server did not start within 180 s")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()

    def cpu_s(self) -> float:
        t = self.ps.cpu_times()
        return t.user + t.system

    def rss_mb(self) -> float:
        return self.ps.memory_info().rss / 2**20


@dataclass
class Tally:
    """What the conversations report; ``limit`` answers in all (else the clock) end the run."""

    limit: int | None
    until: float = 0.0
    latency_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    panel_bytes: int = 0

    def running(self) -> bool:
        return time.time() < self.until if self.limit is None else len(self.latency_ms) < self.limit


class Session:
    """One browser session, speaking the page's own queue protocol: join the queue with the question and the
    chat history, then read the session's event stream to the completed event. Its server-side state (the
    conversation) is the server's, keyed by the session hash, as for a browser tab."""

    def __init__(self, http, url: str, fn_index: int, trigger: int):
        self.http, self.url, self.fn_index, self.trigger = http, url, fn_index, trigger
        self.session_hash = uuid.uuid4().hex

    async def ask(self, question: str, history: list) -> list:
        """The endpoint's outputs for ``question``."""
        body = {"data": [question, history, None], "event_data": None, "fn_index": self.fn_index,
                "trigger_id": self.trigger, "session_hash": self.session_hash}
        joined = await self.http.post(f"{self.url}gradio_api/queue/join", json=body)
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        params = {"session_hash": self.session_hash}
        async with self.http.stream("GET", f"{self.url}gradio_api/queue/data", params=params) as stream:
            async for line in stream.aiter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message["msg"] == "process_completed" and message["event_id"] == event_id:
                    if not message.get("success"):
                        raise RuntimeError(f"the server failed: {message['output'].get('error')}")
                    return message["output"]["data"]
        raise RuntimeError("the event stream closed before the answer")


async def conversation(session: Session, script: list, check: bool, think: float, tally: Tally, warmed: list,
                       go: asyncio.Event) -> None:
    """Ask ``script`` in a loop, passing the chat history back as the page does, ``think`` seconds on average
    between an answer and the next question (and, at random up to ``think``, before the first); with ``check``,
    each follow-up must be read against this session's own earlier question."""
    try:
        for attempt in range(3):  # warm-up, not counted
            try:
                await session.ask(script[0][0], [])
                break
            except Exception as err:
                if attempt == 2:
                    tally.errors.append(f"could not start: {type(err).__name__}: {err}")
                    return
    finally:
        warmed.append(session)
    await go.wait()
    pause = random.Random(session.session_hash)
    if think:  # people arrive at their own moments, not all at the same instant
        await asyncio.sleep(pause.uniform(0.0, think))
    while tally.running():
        history: list = []
        for question, must_mention in script:
            started = time.perf_counter()
            try:
                outputs = await session.ask(question, history)
                history, answer = outputs[1], outputs[-1]
                tally.panel_bytes += len(outputs[3]) if isinstance(outputs[3], str) else 0
                ok = not check or must_mention is None or must_mention in answer["query"]
                error = None if ok else f"history mixed: {question!r} read as {answer['query']!r}"
            except Exception as err:  # every failure is counted, none stops the run
                error = f"{type(err).__name__}: {err}"
            tally.latency_ms.append((time.perf_counter() - started) * 1000)
            if error:
                tally.errors.append(error)
            if think:
                await asyncio.sleep(pause.uniform(0.5, 1.5) * think)


def drive(server: Server, conversations: int, seconds: float, answers: int | None = None, check: bool = True,
          think: float = 0.0, scripts: list = SCRIPTS) -> dict:
    """Warm every conversation up, then measure ``seconds`` (or ``answers`` in all) of load on ``server``."""
    return asyncio.run(_drive(server, conversations, seconds, answers, check, think, scripts))


async def _drive(server: Server, conversations: int, seconds: float, answers: int | None, check: bool,
                 think: float, scripts: list) -> dict:
    import httpx
    import psutil

    tally, warmed, go, me = Tally(answers), [], asyncio.Event(), psutil.Process()
    limits = httpx.Limits(max_connections=2 * conversations + 10, max_keepalive_connections=2 * conversations)
    async with httpx.AsyncClient(timeout=httpx.Timeout(120.0), limits=limits) as http:
        config = (await http.get(f"{server.url}config")).json()
        respond = next(d for d in config["dependencies"] if d.get("api_name") == "respond")
        sessions = [Session(http, server.url, respond["id"], respond["targets"][0][0]) for _ in range(conversations)]
        tasks = [asyncio.create_task(conversation(s, scripts[i % len(scripts)], check, think, tally, warmed, go))
                 for i, s in enumerate(sessions)]
        while len(warmed) < conversations:
            await asyncio.sleep(0.05)
        cpu0, own0, started = server.cpu_s(), sum(me.cpu_times()[:2]), time.perf_counter()
        tally.until = time.time() + seconds
        go.set()
        samples = []  # (answers done, resident MiB), every second
        sampler = asyncio.create_task(_sample(server, tally, samples))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
        cpu, own = server.cpu_s() - cpu0, sum(me.cpu_times()[:2]) - own0
        sampler.cancel()
    samples.append((len(tally.latency_ms), server.rss_mb()))
    lat, n = np.array(tally.latency_ms), len(tally.latency_ms)
    if not n:
        raise RuntimeError(f"no answer from {server.cmd[2]}: {tally.errors[:3]}")
    warm = next(rss for done, rss in samples if done >= WARM_SHARE * n)
    return {
        "answers": n, "seconds": round(elapsed, 1), "answers_per_s": n / elapsed, "errors": len(tally.errors),
        "error_examples": tally.errors[:5],
        "latency_ms": {q: float(np.percentile(lat, int(q[1:]))) if n else None for q in ("p50", "p95", "p99")},
        "server_cpu_ms_per_answer": cpu * 1000 / n if n else None,
        "server_cpu_share": cpu / elapsed,  # of one core
        "clients_cpu_ms_per_answer": own * 1000 / n if n else None,
        "rss_mb": {"after_warm_up": warm, "end": samples[-1][1], "max": max(r for _, r in samples),
                   "growth": samples[-1][1] / warm - 1,
                   "trace": [(done, round(rss, 1)) for done, rss in samples[:: max(1, len(samples) // 20)]]},
        "panel_kb": tally.panel_bytes / max(n, 1) / 1024,
    }


async def _sample(server: Server, tally: Tally, samples: list) -> None:
    while True:
        samples.append((len(tally.latency_ms), server.rss_mb()))
        await asyncio.sleep(1.0)


def run(args) -> dict:
    """The same load against the no-op floor (served like the chat page, then as Gradio comes) and against
    ``qabot serve``; with ``--answers`` only the chat page, for its memory over a long run; with ``--pdf-pages``
    also one conversation's answers with a large PDF in the document panel."""
    conversations = getattr(args, "conversations", None) or 50
    seconds = getattr(args, "seconds", None) or 60
    answers, think = getattr(args, "answers", None), getattr(args, "think", None) or 0.0
    port = free_port()
    floor = [sys.executable, "-m", "bot.web.floor", str(port)]
    bot = _bot_cmd(port, getattr(args, "source", None), getattr(args, "index", None))
    servers = [("floor", floor, False), ("bot", bot, True),
               ("floor_gradio_defaults", floor + ["--gradio-defaults"], False)]
    from bot.benchmarks.bench import machine

    result: dict = {"conversations": conversations, "think_s": think, "machine": machine()}
    for name, cmd, check in servers[1:2] if answers else servers:
        with Server(cmd, port) as server:
            result[name] = drive(server, conversations, seconds, answers, check, think)
        _print(name, conversations, result[name])
    if not answers:
        cpu = {name: result[name]["server_cpu_ms_per_answer"] for name, _, _ in servers}
        result["cpu_over_floor"] = cpu["bot"] / cpu["floor"]
        result["cpu_over_gradio_defaults_floor"] = cpu["bot"] / cpu["floor_gradio_defaults"]
        print(f"server CPU per answer over the floor's: {result['cpu_over_floor']:.2f} "
              f"(over Gradio as it comes: {result['cpu_over_gradio_defaults_floor']:.2f})", file=sys.stderr)
    if getattr(args, "pdf_pages", None):
        result["large_pdf"] = large_pdf(args.pdf_pages, min(seconds, 30))
    return result


def _bot_cmd(port: int, source: str | None, index: str | None) -> list[str]:
    cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return cmd + (["--source", source] if source else []) + (["--index", index] if index else [])


def large_pdf(pages: int, seconds: float) -> dict:
    """One conversation asking the scripts about a generated PDF of ``pages`` pages (the release document on its
    first page, numbered report lines after it), so that every answer shows the whole PDF in the panel."""
    from pathlib import Path

    from bot.answering.pipeline import ROOT

    with tempfile.TemporaryDirectory(prefix="qabot-load-") as tmp:
        source, index = Path(tmp) / "source", Path(tmp) / "index"
        source.mkdir()
        release = (ROOT / "source" / "cnes-maks-2017.txt").read_text(encoding="utf-8")
        write_pdf(source / "report.pdf", [release.splitlines()] + [_filler(p) for p in range(2, pages + 1)])
        pdf_bytes = (source / "report.pdf").stat().st_size
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "index", "--source", str(source), "--index", str(index)],
                       check=True, capture_output=True)
        index_s = time.perf_counter() - started
        port = free_port()
        with Server(_bot_cmd(port, str(source), str(index)), port) as server:
            figures = drive(server, 1, seconds)
    figures = {"pages": pages, "pdf_kb": round(pdf_bytes / 1024), "index_s": round(index_s, 1), **figures}
    print(f"  pdf: {pages} pages in the panel ({figures['panel_kb']:.0f} KiB of HTML an answer): one conversation, "
          f"latency p50 {figures['latency_ms']['p50']:.0f} ms p95 {figures['latency_ms']['p95']:.0f} ms, "
          f"server CPU {figures['server_cpu_ms_per_answer']:.1f} ms/answer", file=sys.stderr)
    return figures


WORDS = (["budget", "launch", "orbit", "payload", "station", "mission", "treaty", "satellite", "engine", "crew"],
         ["reviewed", "approved", "postponed", "funded", "tested", "extended", "audited", "planned", "signed", "moved"],
         ["Toulouse", "Kourou", "Moscow", "Paris", "Baikonur", "Bremen", "Turin", "Madrid", "Oslo", "Lisbon"])


def _filler(page: int) -> list[str]:
    """Thirteen numbered report lines for one page, varied enough to rank like prose."""
    out = []
    for line in range(13):
        n = page * 13 + line
        noun, verb, place = (w[(n * k) % 10] for w, k in zip(WORDS, (1, 3, 7), strict=True))
        out.append(f"Item {page}.{line}: the {noun} of the {place} office was {verb} on day {n % 365 + 1}.")
    return out


def write_pdf(path, pages: list[list[str]]) -> None:
    """A plain PDF of text pages (Helvetica, one line of text a line), written without a PDF library."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        text = "".join(f"({_pdf_string(line)}) '\n" for line in lines)
        stream = f"BT /F1 9 Tf 12 TL 40 800 Td\n{text}ET".encode("cp1252", "replace")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R "
                       b">> >> /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{k} 0 R" for k in kids).encode(), len(kids))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def _pdf_string(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _print(name: str, conversations: int, f: dict) -> None:
    print(f"{name:>5}: {conversations} conversations, {f['answers']} answers in {f['seconds']} s "
          f"({f['answers_per_s']:.1f}/s), {f['errors']} errors, latency p50 {f['latency_ms']['p50']:.0f} ms "
          f"p95 {f['latency_ms']['p95']:.0f} ms, server CPU {f['server_cpu_ms_per_answer']:.1f} ms/answer, "
          f"resident {f['rss_mb']['after_warm_up']:.0f} → {f['rss_mb']['end']:.0f} MiB "
          f"({f['rss_mb']['growth']:+.1%})", file=sys.stderr)
