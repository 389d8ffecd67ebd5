"""Batch evaluation on Ray: each actor holds a ``Bot`` on the shared store and answers whole pieces of work
(a batch of single questions, or one conversation in order), exactly as a single-process run does."""

from __future__ import annotations

import pickle
import sys

import numpy as np

from bot import Bot
from bot.answering.answer import Answer
from bot.evaluation.evalio import Item
from bot.evaluation.evaluate import Record, answer_unit, units
from bot.evaluation.progress import Progress


class AnswerUnits:
    """A Ray Data stateful transform: one ``Bot`` on the store, loaded once; each row is a pickled piece of
    work, answered in order. A piece that raises comes back as error answers naming the failure."""

    def __init__(self, source: str, index: str, model: str | None, store: str | None):
        self.bot = Bot(source=source, index=index, model=model, store=store)
        self.bot.use_index(self.bot.store.read())  # the driver made sure it is current: workers never build

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        pieces = [self._answer(pickle.loads(blob)) for blob in batch["items"]]
        return {"unit": batch["unit"], "records": np.array([pickle.dumps(r) for r in pieces], dtype=object)}

    def _answer(self, unit: list[Item]) -> list[Record]:
        """The piece's records; when it raises, a batch of single questions is answered one by one so that
        only the failing ones come back as errors (a conversation fails whole)."""
        try:
            return answer_unit(self.bot, unit)
        except Exception as err:  # reported by question id on the driver, never dropped
            if len(unit) > 1 and unit[0].conv is None:
                return [record for item in unit for record in self._answer([item])]
            message = f"failed on a Ray worker: {type(err).__name__}: {str(err)[:300]}"
            return [Record(item, Answer(str(item.question)[:200], message, [], True, "", error=message), None,
                           False if item.scored else None) for item in unit]


class RayRunner:
    """Answers a question file on ``workers`` actors (``ray.data`` ``map_batches`` with ``AnswerUnits``); Ray
    must be initialised (see ``ray_session``). Actors that die are restarted and their pieces run again (Ray
    Data's actor pools retry by default); every question comes back exactly once, or the run fails."""

    def __init__(self, workers: int = 2, store: str | None = None):
        self.workers, self.store = workers, store

    def __call__(self, bot: Bot, items: list[Item], quiet: bool = False) -> list[Record]:
        import ray.data

        from bot.cluster.session import worker_cpus

        bot.load()  # the index is brought up to date here, once, before any worker opens it
        pieces = units(items)
        rows = ray.data.from_items([{"unit": n, "items": pickle.dumps([items[i] for i in piece])}
                                    for n, piece in enumerate(pieces)])
        answered = rows.map_batches(
            AnswerUnits, fn_constructor_kwargs={"source": str(bot.source), "index": str(bot.index_dir),
                                                "model": bot.embedder.model, "store": self.store},
            batch_size=1, batch_format="numpy", num_cpus=worker_cpus(self.workers),
            compute=ray.data.ActorPoolStrategy(size=self.workers))
        progress = Progress(len(items), "questions", quiet)
        records: dict[int, Record] = {}
        for batch in answered.iter_batches(batch_format="numpy", batch_size=None):
            for n, blob in zip(batch["unit"], batch["records"]):
                piece = pieces[int(n)]
                if piece[0] in records:
                    raise RuntimeError(f"questions {items[piece[0]].id}… came back twice from Ray")
                records.update(zip(piece, pickle.loads(blob)))
                progress.advance(len(piece))
        progress.close()
        missing = [items[i].id for i in range(len(items)) if i not in records]
        if missing:
            raise RuntimeError(f"{len(missing)} questions never came back from Ray: {', '.join(missing[:20])}")
        for record in records.values():
            if record.answer.error and record.answer.error.startswith("failed on a Ray worker"):
                print(f"qabot eval: question {record.item.id} {record.answer.error}", file=sys.stderr)
        return [records[i] for i in range(len(items))]

