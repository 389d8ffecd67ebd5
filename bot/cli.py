"""The ``qabot`` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", help="folder of documents (default: the repository's source/)")
    parser.add_argument("--index", help="index folder (default: the repository's index/)")
    parser.add_argument("--store", help="where the index lives: an index folder (default), milvus:PATH.db "
                        "(milvus-lite), or http(s)://host:19530 (a Milvus server; token from QABOT_MILVUS_TOKEN)")
    parser.add_argument("--model", help="sentence-transformers model folder or hub name "
                        "(default: the bundled, verified all-MiniLM-L6-v2)")


def _count(text: str) -> int:
    """A count such as 20000, 1m or 10M."""
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    try:
        value = int(float(text[:-1] if scale > 1 else text) * scale)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a count: {text!r} (say 20000, 1m or 10m)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"not a positive count: {text!r}")
    return value


LOCAL = "local"


def _ray(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--ray", nargs="?", const=LOCAL, metavar="ADDRESS",
                        help=f"{what} on a Ray cluster: no address starts a local Ray for the run; auto or "
                        "ray://host:10001 joins one (needs the ray extra)")
    parser.add_argument("--workers", type=int, default=2, help="with --ray: Ray actors (default 2)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qabot", description="Answer questions about documents "
                                     "with cited source sentences.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="build or update the index")
    _common(p)
    p.add_argument("--force", action="store_true", help="re-embed every document")
    _ray(p, "embed the sentences")
    p.add_argument("--batch-size", type=int, default=256, help="with --ray: sentences per call of an actor")

    p = sub.add_parser("ask", help="answer one question")
    _common(p)
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print Answer.to_dict() as JSON")

    p = sub.add_parser("chat", help="a conversation in the terminal")
    _common(p)

    p = sub.add_parser("serve", help="serve the chat page")
    _common(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help="user:password required to open the page (or QABOT_AUTH)")

    p = sub.add_parser("eval", help="answer a file of questions and score them")
    _common(p)
    p.add_argument("file", nargs="?", help=".jsonl, .csv or .tsv questions")
    p.add_argument("--out", help="folder for answers.jsonl, answers.csv, metrics.json, report.html")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--compare", nargs=2, metavar=("RUN_A", "RUN_B"), help="compare two --out folders")
    _ray(p, "answer the questions")
    for metric in ("p-at-1", "mrr", "decline-recall"):
        p.add_argument(f"--min-{metric}", type=float, help=f"exit 1 when {metric} is below this")

    p = sub.add_parser("bench", help="benchmarks")
    p.add_argument("what", choices=["reqa", "spans", "perf", "calibrate", "rerank", "load", "weights", "store", "ray"])
    p.add_argument("--data", default=None, help="benchmark folder (reqa-squad)")
    p.add_argument("--limit", type=int, help="use only the first N questions")
    p.add_argument("--out", help="write the figures to this JSON file")
    p.add_argument("--scale", type=_count, help="perf, store: vectors in the synthetic corpus (default 1,000,000; "
                   "perf 10m: the compressed index, generated on disk, about 16 GB there and 20 minutes); "
                   "ray: sentences of the ReQA corpus indexed (default 2,000)")
    p.add_argument("--conversations", type=int, help="load: concurrent conversations (default 50)")
    p.add_argument("--seconds", type=int, help="load: how long to run (default 60)")
    p.add_argument("--answers", type=int, help="load: the long run: the chat page only, until this many answers "
                   "in all (e.g. 20000), its resident memory reported")
    p.add_argument("--think", type=float, help="load: seconds a person takes between an answer and the next "
                   "question, on average (default 0: back to back)")
    p.add_argument("--pdf-pages", type=int, help="load: also time answers with a generated PDF of this many pages "
                   "in the document panel")
    p.add_argument("--source", help="load: documents folder served; weights: a folder to fit on (with --questions)")
    p.add_argument("--questions", help="weights: the questions file of --source")
    p.add_argument("--index", help="load: index folder served; calibrate --users, rerank: where the sets' "
                   "indexes are kept")
    p.add_argument("--store", help="store: the Milvus store to measure beside the embedded one (milvus:PATH.db, "
                   "http(s)://host:19530)")
    p.add_argument("--cache", help="calibrate: keep the corpus embeddings in this folder between runs")
    p.add_argument("--install", action="store_true", help="calibrate, rerank: write the fitted model into the "
                   "package")
    p.add_argument("--users", action="store_true", help="calibrate: fit on the user-style development questions "
                   "(tests/data, ../shared/eval) instead of ReQA SQuAD")
    p.add_argument("--method", default="hybrid", help="reqa: hybrid (the product), all, or one of "
                   "bm25-default, bm25, dense")
    return parser


def _bot(args):
    from bot import Bot

    return Bot(source=args.source, index=args.index, model=args.model, store=args.store)


def _address(args) -> str | None:
    return None if args.ray == LOCAL else args.ray


def _bad_workers(args) -> bool:
    if args.ray is not None and (args.workers < 1 or getattr(args, "batch_size", 1) < 1):
        print("qabot: --workers and --batch-size must be at least 1", file=sys.stderr)
        return True
    return False


def cmd_index(args) -> int:
    if _bad_workers(args):
        return 2
    if args.ray is None:
        return _index(_bot(args), args.force)
    from bot import Bot
    from bot.cluster.embedder import RayEmbedder
    from bot.cluster.session import ray_session

    with ray_session(_address(args), args.workers):
        embedder = RayEmbedder(args.model, args.workers, args.batch_size)
        return _index(Bot(source=args.source, index=args.index, store=args.store, embedder=embedder), args.force)


def _index(bot, force: bool) -> int:
    from bot.store.store import IndexWriteError

    try:
        report = bot.reindex(force=force)
    except IndexWriteError as err:
        print(f"qabot: {err}", file=sys.stderr)
        return 1
    print(report.summary())
    for problem in report.problems:
        print(f"skipped {problem.doc}: {problem.reason}", file=sys.stderr)
    return 0


def format_answer(answer) -> str:
    """An answer as plain text for the terminal, citations with document and line."""
    lines = ([f"→ {answer.short}"] if answer.short else []) + [answer.text]
    for i, c in enumerate(answer.citations, 1):
        lines.append(f"  [{i}] {c.location}, characters {c.start}-{c.end} (score {c.score:.2f})")
    if answer.query and answer.query != answer.question:
        lines.append(f"  (understood as: {answer.query})")
    return "\n".join(lines)


def cmd_ask(args) -> int:
    answer = _bot(args).ask(args.question)
    print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1) if args.json else format_answer(answer))
    return 2 if answer.error else 0


def cmd_chat(args) -> int:
    conversation = _bot(args).conversation()
    print("Ask about the documents. An empty line or Ctrl-D ends the chat; /new starts over.")
    while True:
        try:
            question = input("you> ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        if question == "/new":
            conversation = conversation.bot.conversation()
            continue
        print(format_answer(conversation.ask(question)))


def cmd_serve(args) -> int:
    from bot.web.app import serve

    return serve(_bot(args), host=args.host, port=args.port, auth=args.auth)


def cmd_eval(args) -> int:
    from bot.evaluation.evaluate import main

    if _bad_workers(args):
        return 2
    if args.ray is None or args.compare:
        return main(args)
    from bot.cluster.evaluate import RayRunner
    from bot.cluster.session import ray_session, shared_uri

    with ray_session(_address(args), args.workers):
        return main(args, RayRunner(args.workers, shared_uri(args.store, _address(args))))


def cmd_bench(args) -> int:
    from bot.benchmarks.bench import main

    return main(args)


def main(argv: list[str] | None = None) -> int:
    from bot.store.milvus import StoreError

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = build_parser().parse_args(argv)
    handler = globals()[f"cmd_{args.command}"]
    try:
        return handler(args)
    except (FileNotFoundError, StoreError) as err:
        print(f"qabot: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
