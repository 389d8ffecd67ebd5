"""The index on Milvus: one collection of sentence units per index, shared by every server that opens it.

``MilvusStore("milvus:PATH.db")`` runs milvus-lite on a local file; ``MilvusStore("http://host:19530")`` talks
to a Milvus server or cluster (token from ``QABOT_MILVUS_TOKEN``). An index named ``qabot`` (``URI#name``
for another) is three collections, found through the alias ``qabot``:

    qabot_<gen>          a row per sentence: its place in its document, text, stemmed tokens (searched by
                         Milvus's own BM25 function), dense vector, neighbours and section heading
    qabot_<gen>_clauses  the vectors of long sentences' clauses (small indexes only, as on disk)
    qabot_<gen>_meta     the manifest, the corpus summary (token document frequencies per lexical window,
                         word counts for the speller) and the documents' extracted texts, in JSON chunks

Re-indexing inserts a changed document's rows under a new ``version`` and then swaps the ``head`` row of the
meta collection (one upsert); readers see only rows born at or before the head's version, minus the dead
documents it lists, so a writer killed at any point leaves the previous version answering. ``--force``
builds a new ``<gen>`` beside the old and swaps the alias.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.documents.clauses import clauses_of
from bot.documents.documents import Document, load_folder
from bot.documents.sentences import Unit
from bot.documents.terms import document_facts, is_heading, tokenize, with_long_forms
from bot.embedding.embedder import Embedder
from bot.store.indexer import CLAUSE_LIMIT, Indexer, IndexReport, document_units, skipped_entries, vectors_match

log = logging.getLogger(__name__)

FORMAT = 5  # 2: irregular verbs as the verb in the stored tokens; 3: long list items no headings, text pages;
# 4: a memo's address fields one unit each, more sentences joined across page breaks, clauses with their subject;
# 5: the stored tokens hold the long forms of the abbreviations the document defines
TOKEN_ENV = "QABOT_MILVUS_TOKEN"
POSITION_BITS = 20  # a unit's id: its document's key << 20 | its position in the document
CHUNK_CHARS = 60_000
BATCH = 512  # rows per insert
FETCH = 16_000  # ids per query (Milvus answers at most 16,384 rows)
TIMEOUT = 10.0
TEXT_MAX = 65_535
EMBED_GROUP = 20_000  # sentences embedded in one call (one Ray job when embedding on a cluster), then written


class StoreError(RuntimeError):
    """The store cannot be used as asked; the message says why and what to do. Nothing was changed."""


def _pymilvus():
    try:
        import pymilvus
    except ImportError:
        raise StoreError("Milvus stores need the milvus extra: pip install 'qabot[milvus]'") from None
    return pymilvus


@dataclass(slots=True)
class Head:
    """The generation in use: its units collection, version and the document keys whose rows are dead."""

    collection: str
    version: int
    dead: list[int] = field(default_factory=list)

    @property
    def live(self) -> str:
        """The filter that shows only this version's rows."""
        expr = f"born <= {self.version}"
        return expr + (f" and key not in {self.dead}" if self.dead else "")


class MilvusStore:
    """Read and write one index on Milvus (milvus-lite file or server)."""

    def __init__(self, uri: str, fingerprint: str | None = None):
        self.uri = uri
        location, _, name = uri.partition("#")
        self.name = name or "qabot"
        self.location = location.removeprefix("milvus:")
        self.fingerprint = fingerprint
        self._client = None
        self._loaded: set[str] = set()

    # -- the connection ------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            pymilvus = _pymilvus()
            logging.getLogger("pymilvus").setLevel(logging.CRITICAL)  # its errors are reported as StoreError
            remote = self.location.startswith(("http://", "https://"))
            if not remote:  # milvus-lite in this process: its server's log is ours to keep quiet
                Path(self.location).parent.mkdir(parents=True, exist_ok=True)
                logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
            token = os.environ.get(TOKEN_ENV, "") if remote else ""
            self._client = self._again(lambda: pymilvus.MilvusClient(uri=self.location, token=token,
                                                                     timeout=TIMEOUT))
        return self._client

    def _again(self, call):
        """``call()``, once more after a moment when the connection was dropped: a gRPC channel idle for a
        minute gets a GOAWAY from milvus-lite's server (too many keep-alive pings), and only its next use
        reconnects. Milvus's errors become a ``StoreError`` naming the URI."""
        for attempt in range(2):
            try:
                return call()
            except StoreError:
                raise
            except Exception as err:  # pymilvus raises MilvusException, grpc errors or plain ones
                if attempt or "Fail connecting" not in str(err):
                    raise self._error(err) from None
                time.sleep(0.5)

    def _error(self, err: Exception) -> StoreError:
        text = str(err)
        if any(word in text.lower() for word in ("auth", "token", "password", "credential", "permission")):
            return StoreError(f"Milvus at {self.uri} refused the token ({text.strip()[:200]}): set {TOKEN_ENV} "
                              f"to a valid token (user:password or API key)")
        return StoreError(f"cannot use Milvus at {self.uri} ({text.strip()[:200]}): check the URI and that "
                          f"the server is running")

    def _call(self, method: str, *args, **kwargs):
        """One client call, with Milvus's errors turned into a ``StoreError`` naming the URI."""
        return self._again(lambda: getattr(self.client, method)(*args, **kwargs))

    # -- reading ---------------------------------------------------------------------
    def head(self) -> Head | None:
        """The generation in use, ``None`` when there is no index yet."""
        if self.name not in self._call("list_aliases").get("aliases", []):
            return None
        collection = self._call("describe_alias", self.name)["collection_name"]
        self._load(collection)
        rows = self._call("query", f"{collection}_meta", filter='key == "head"', output_fields=["value"])
        if not rows:
            return None
        head = json.loads(rows[0]["value"])
        if head.get("format") != FORMAT:
            raise StoreError(f"the index {self.name} at {self.uri} has format {head.get('format')}, this qabot "
                             f"reads {FORMAT}: rebuild it with `qabot index --store {self.uri} --force`")
        return Head(collection, head["version"], head.get("dead", []))

    def _load(self, collection: str) -> None:
        """Load a generation's collections into the engine's memory (once per process: a restarted Milvus
        holds them released)."""
        if collection not in self._loaded:
            for name in (collection, f"{collection}_clauses", f"{collection}_meta"):
                self._call("load_collection", name)
            self._loaded.add(collection)

    def rows(self, head: Head, documents: list[tuple[int, int]], fields: list[str], suffix: str = "",
             where: str = "") -> Iterator[list[dict]]:
        """The live rows of ``documents`` (their keys and sentence counts) in ``head``'s collection (``suffix``:
        its clauses), matching ``where`` too, in batches of documents that fit in one query."""
        batch: list[int] = []
        size = 0
        for key, units in [*documents, (None, 0)]:
            if batch and (key is None or size + units > FETCH // 4):
                expr = f"{head.live} and key in {batch}" + (f" and {where}" if where else "")
                yield self._call("query", f"{head.collection}{suffix}", filter=expr, output_fields=fields,
                                 limit=FETCH)
                batch, size = [], 0
            if key is not None:
                if units > FETCH // 4:  # one long document: by ranges of ids
                    base = key << POSITION_BITS
                    for lo in range(0, units, FETCH // 4):
                        expr = (f"{head.live} and key == {key} and id >= {base + lo} and id < {base + lo + FETCH // 4}"
                                + (f" and {where}" if where and not suffix else ""))
                        if suffix:  # clauses: by owner
                            expr = expr.replace("id >=", "owner >=").replace("id <", "owner <")
                        yield self._call("query", f"{head.collection}{suffix}", filter=expr, output_fields=fields,
                                         limit=FETCH)
                    continue
                batch.append(key)
                size += units

    def generation(self) -> str | None:
        """A token that changes whenever a new version is swapped in."""
        head = self.head()
        return f"{head.collection}:{head.version}:{head.dead}" if head else None

    def read_manifest(self) -> dict | None:
        head = self.head()
        return self._json(head, "manifest") if head else None

    def read(self) -> MilvusIndex | None:
        """The generation in use, or ``None``; a ``StoreError`` when it was built with another model."""
        head = self.head()
        if head is None:
            return None
        manifest = self._json(head, "manifest")
        if self.fingerprint and manifest.get("model_hash") != self.fingerprint:
            raise StoreError(f"the index {self.name} at {self.uri} was built with another model "
                             f"({manifest.get('model')}); rebuild it with `qabot index --store {self.uri} --force`")
        return MilvusIndex(self, head, manifest)

    def _json(self, head: Head, what: str) -> dict:
        prefix = f"{what}/{head.version}/"
        rows = self._call("query", f"{head.collection}_meta", filter=f'key like "{prefix}%"',
                          output_fields=["key", "value"], limit=FETCH)
        rows.sort(key=lambda r: int(r["key"].rsplit("/", 1)[1]))
        return json.loads("".join(r["value"] for r in rows)) if rows else {}

    # -- writing -----------------------------------------------------------------------
    def writer(self, embedder: Embedder, previous: MilvusIndex | None = None,
               progress: bool = False) -> MilvusWriter:
        """A writer of the next version of ``previous`` (``None``: of a new generation)."""
        return MilvusWriter(self, embedder, previous.head if previous else None,
                            previous.manifest if previous else None, progress)

    def update(self, source: Path, previous: MilvusIndex | None, embedder: Embedder, progress: bool = False,
               must_save: bool = True) -> tuple[MilvusIndex, IndexReport]:
        """Index ``source`` over ``previous`` (``None``: a new generation from scratch, then the alias swapped):
        only the documents whose bytes changed are embedded and their rows replaced."""
        started = time.perf_counter()
        if previous is not None and not vectors_match(previous.manifest, embedder):
            previous = None  # a new generation: no vector of another model or encoder is kept
        old = previous.manifest if previous else None
        known = {doc: Document(doc, "", info["sha256"], info["kind"]) for doc, info in
                 (old or {}).get("documents", {}).items()}
        documents, problems = load_folder(source, known)
        writer = self.writer(embedder, previous, progress)
        report = writer.apply(documents)
        report.problems = problems
        report.seconds = time.perf_counter() - started
        skipped = skipped_entries(source, problems)
        if report.changed or previous is None or old.get("skipped") != skipped:
            writer.commit(skipped)
        else:
            writer.abandon()
        return self.read(), report


class MilvusWriter:
    """One indexing run: rows added under version ``head.version + 1`` (or into a new generation, ``head`` None),
    then ``commit`` swaps them in. ``add`` takes documents already split and embedded (a benchmark corpus,
    a distributed indexer); ``apply`` splits and embeds a folder's changed documents."""

    def __init__(self, store: MilvusStore, embedder: Embedder, head: Head | None, manifest: dict | None,
                 progress: bool):
        self.store, self.embedder, self.progress = store, embedder, progress
        self.fresh = head is None
        self.old = manifest or {}
        if self.fresh:
            stamp = f"{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
            self.head = Head(f"{store.name}_g{stamp}", 1)
            self._create(self.head.collection, embedder.dimension)
        else:
            self.head = Head(head.collection, head.version + 1, [])
            self._clean(head)
        self.previous = head
        self.summary = self.store._json(head, "summary") if head else {}
        self.documents: dict = {}
        self.dead: list[int] = []
        self.next_key = max([info["key"] for info in self.old.get("documents", {}).values()], default=0) + 1
        self.with_clauses = False

    def _create(self, name: str, dim: int) -> None:
        pymilvus = _pymilvus()
        DataType, Function, FunctionType = pymilvus.DataType, pymilvus.Function, pymilvus.FunctionType
        client, call = self.store.client, self.store._call
        schema = client.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        for column in ("key", "born", "start", "end", "line", "page", "length", "prev", "next", "section"):
            schema.add_field(column, DataType.INT64)
        schema.add_field("doc", DataType.VARCHAR, max_length=4096)
        schema.add_field("text", DataType.VARCHAR, max_length=TEXT_MAX)
        schema.add_field("tokens", DataType.VARCHAR, max_length=TEXT_MAX, enable_analyzer=True,
                         analyzer_params={"tokenizer": "standard"})
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["tokens"],
                                     output_field_names=["sparse"]))
        schema.add_field("rand", DataType.FLOAT)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        params = client.prepare_index_params()
        params.add_index("vector", index_type="AUTOINDEX", metric_type="IP")
        params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        call("create_collection", name, schema=schema, index_params=params, consistency_level="Strong")
        schema = client.create_schema(auto_id=True)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("owner", DataType.INT64)
        schema.add_field("key", DataType.INT64)
        schema.add_field("born", DataType.INT64)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        params = client.prepare_index_params()
        params.add_index("vector", index_type="AUTOINDEX", metric_type="IP")
        call("create_collection", f"{name}_clauses", schema=schema, index_params=params, consistency_level="Strong")
        schema = client.create_schema(auto_id=False)
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=512)
        schema.add_field("value", DataType.VARCHAR, max_length=TEXT_MAX)
        schema.add_field("dummy", DataType.FLOAT_VECTOR, dim=2)
        params = client.prepare_index_params()
        params.add_index("dummy", index_type="AUTOINDEX", metric_type="L2")
        call("create_collection", f"{name}_meta", schema=schema, index_params=params, consistency_level="Strong")

    def _clean(self, head: Head) -> None:
        """Remove what a killed run left: rows born after the head, and rows of documents it lists as dead."""
        call = self.store._call
        for collection in (head.collection, f"{head.collection}_clauses"):
            call("delete", collection, filter=f"born > {head.version}")
            if head.dead:
                call("delete", collection, filter=f"key in {head.dead}")

    # -- the run -------------------------------------------------------------------
    def apply(self, documents: list[Document]) -> IndexReport:
        """Insert the rows of new and changed documents; the summary follows."""
        report = IndexReport()
        old_docs = {} if self.fresh else self.old.get("documents", {})
        next_key = max([info["key"] for info in self.old.get("documents", {}).values()], default=0) + 1
        changed = []
        for document in documents:
            info = old_docs.get(document.doc)
            if info and info["sha256"] == document.sha256:
                self.documents[document.doc] = info
                report.unchanged.append(document.doc)
            else:
                (report.updated if info else report.added).append(document.doc)
                changed.append(document)
        report.removed = sorted(set(old_docs) - {d.doc for d in documents})
        self.dead = [old_docs[doc]["key"] for doc in report.updated + report.removed]
        self._forget(self.dead)
        units = {d.doc: document_units(d) for d in changed}
        total = sum(info["units"] for info in self.documents.values()) + sum(len(u) for u in units.values())
        self.with_clauses = total <= CLAUSE_LIMIT
        if not self.with_clauses and self.old.get("clauses") and not self.fresh:
            self.store._call("delete", f"{self.head.collection}_clauses", filter="born >= 0")
        if self.with_clauses:
            self._add_clauses([doc for doc, info in self.documents.items() if not info.get("clauses")])
        self.next_key = max(self.next_key, next_key)
        indexer = Indexer(self.embedder, self.progress)
        for group in _groups(changed, units):
            docs = [document.doc for document in group]
            vectors, clauses, embedded, clauses_embedded = indexer.embed(units, docs, docs if self.with_clauses else [])
            for document in group:
                self.add(document, units[document.doc], vectors[document.doc], clauses.get(document.doc))
            report.embedded += embedded
            report.clauses_embedded += clauses_embedded
        report.sentences = total
        return report

    def _forget(self, keys: list[int]) -> None:
        """Take the dead documents' rows out of the summary."""
        if not keys:
            return
        sizes = {info["key"]: info["units"] for info in self.old.get("documents", {}).values()}
        rows = [r for batch in self.store.rows(self.previous, [(k, sizes[k]) for k in keys], ["id", "key", "text"])
                for r in batch]
        for doc_rows in _by_document(rows):
            self._count([r["text"] for r in doc_rows], -1)

    def _count(self, texts: list[str], sign: int) -> None:
        """Add (``sign`` 1) or take away (-1) one document's sentences (in order) in the summary."""
        summary = self.summary
        summary["units"] = summary.get("units", 0) + sign * len(texts)
        summary["documents"] = summary.get("documents", 0) + sign
        facts = document_facts(texts)
        _add_counts(summary.setdefault("words", {}), facts.pop("words"), sign)
        for name, (token_sets, length) in facts.items():
            entry = summary.setdefault(name, {"df": {}, "length": 0})
            entry["length"] += sign * length
            _add(entry["df"], token_sets, sign)

    def add(self, document: Document, units: list[Unit], vectors: np.ndarray,
            clauses: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Insert one document's sentences (``units``, in order) with their vectors and, when given, its clauses'
        (the sentence of each clause, their vectors), in batches, under the next key."""
        if len(units) >= 1 << POSITION_BITS:
            raise StoreError(f"{document.doc} has more than {1 << POSITION_BITS} sentences")
        key, self.next_key = self.next_key, self.next_key + 1
        texts = [u.text for u in units]
        tokens = tokenize(with_long_forms(texts))
        sections = _sections(texts)
        base = key << POSITION_BITS
        rng = np.random.default_rng(key)
        rows = []
        for i, (unit, toks) in enumerate(zip(units, tokens)):
            rows.append({
                "id": base + i, "key": key, "born": self.head.version, "doc": document.doc, "start": unit.start,
                "end": unit.end, "line": unit.line, "page": -1 if unit.page is None else unit.page,
                "text": unit.text[:TEXT_MAX], "tokens": " ".join(toks)[:TEXT_MAX], "length": len(toks),
                "prev": base + i - 1 if i else -1, "next": base + i + 1 if i + 1 < len(units) else -1,
                "section": base + sections[i] if sections[i] >= 0 else -1, "rand": float(rng.random()),
                "vector": vectors[i].tolist(),
            })
        for start in range(0, len(rows), BATCH):
            self.store._call("insert", self.head.collection, rows[start:start + BATCH])
        if clauses is not None and len(clauses[0]):
            self._insert_clauses(*clauses, key)
        self._count(texts, 1)
        self.documents[document.doc] = {"sha256": document.sha256, "kind": document.kind,
                                         "title": document.title, "units": len(units), "key": key,
                                         "tokens": sum(len(t) for t in tokens), "clauses": clauses is not None}
        if document.text:
            self._put(f"text/{key}/", json.dumps({"text": document.text, "page_starts": document.page_starts}))

    def _embed_clauses(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        owner, parts = clauses_of(texts)
        vectors = self.embedder.encode_documents(parts, progress=self.progress) if parts else np.zeros((0, 1))
        return np.array(owner, np.int64), vectors

    def _insert_clauses(self, owner: np.ndarray, vectors: np.ndarray, key: int) -> None:
        base = key << POSITION_BITS
        rows = [{"owner": base + int(o), "key": key, "born": self.head.version, "vector": v.tolist()}
                for o, v in zip(owner, vectors)]
        for start in range(0, len(rows), BATCH):
            self.store._call("insert", f"{self.head.collection}_clauses", rows[start:start + BATCH])

    def _add_clauses(self, docs: list[str]) -> None:
        """Embed the clauses of unchanged documents indexed while the index was too large for clauses."""
        for doc in docs:
            info = self.documents[doc]
            rows = [r for batch in self.store.rows(self.previous, [(info["key"], info["units"])], ["id", "text"])
                    for r in batch]
            rows.sort(key=lambda r: r["id"])
            self._insert_clauses(*self._embed_clauses([r["text"] for r in rows]), info["key"])
            self.documents[doc] = {**info, "clauses": True}

    def _put(self, prefix: str, text: str) -> None:
        parts = [text[i:i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)] or [""]
        rows = [{"key": f"{prefix}{i}", "value": part, "dummy": [0.0, 0.0]} for i, part in enumerate(parts)]
        for start in range(0, len(rows), BATCH):
            self.store._call("upsert", f"{self.head.collection}_meta", rows[start:start + BATCH])

    def commit(self, skipped: dict) -> None:
        """Write the manifest and summary of the new version, then swap it in (and the alias, for a new
        generation); the dead rows go last."""
        embedder = self.embedder
        manifest = {"format": FORMAT, "model": embedder.spec.name, "model_hash": embedder.fingerprint,
                    "encoder": embedder.encoder, "dimension": embedder.dimension,
                    "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "clauses": self.with_clauses, "documents": self.documents, "skipped": skipped,
                    "count": sum(info["units"] for info in self.documents.values()), "vector_index": "milvus"}
        version, collection, call = self.head.version, self.head.collection, self.store._call
        self._put(f"manifest/{version}/", json.dumps(manifest, ensure_ascii=False))
        self._put(f"summary/{version}/", json.dumps(self.summary, ensure_ascii=False))
        head = {"format": FORMAT, "version": version, "dead": self.dead}
        call("upsert", f"{collection}_meta", [{"key": "head", "value": json.dumps(head), "dummy": [0.0, 0.0]}])
        for name in (collection, f"{collection}_clauses", f"{collection}_meta"):
            call("flush", name)
        if self.fresh:
            old = self._swap_alias(collection)
            for name in (old, f"{old}_clauses", f"{old}_meta") if old else ():
                call("drop_collection", name)
            return
        for name in (collection, f"{collection}_clauses"):
            if self.dead:
                call("delete", name, filter=f"key in {self.dead}")
        meta = f"{collection}_meta"
        for what in ("manifest", "summary"):
            call("delete", meta, filter=f'key like "{what}/{self.previous.version}/%"')
        for key in self.dead:
            call("delete", meta, filter=f'key like "text/{key}/%"')
        head["dead"] = []
        call("upsert", meta, [{"key": "head", "value": json.dumps(head), "dummy": [0.0, 0.0]}])

    def _swap_alias(self, collection: str) -> str | None:
        """Point the index's alias at ``collection``; the collection it named before, if any."""
        call, alias = self.store._call, self.store.name
        if alias not in call("list_aliases").get("aliases", []):
            call("create_alias", collection, alias)
            return None
        old = call("describe_alias", alias)["collection_name"]
        call("alter_alias", collection, alias)
        return old

    def abandon(self) -> None:
        """Nothing changed: a new generation built for nothing is dropped."""
        if self.fresh:
            for name in (self.head.collection, f"{self.head.collection}_clauses", f"{self.head.collection}_meta"):
                self.store._call("drop_collection", name)


def _groups(documents: list[Document], units: dict[str, list[Unit]]) -> Iterator[list[Document]]:
    """The documents in order, in groups of about ``EMBED_GROUP`` sentences."""
    group, size = [], 0
    for document in documents:
        group.append(document)
        size += len(units[document.doc])
        if size >= EMBED_GROUP:
            yield group
            group, size = [], 0
    if group:
        yield group


def _by_document(rows: list[dict]) -> Iterator[list[dict]]:
    """Rows grouped by document, each group in order."""
    groups: dict[int, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["key"], []).append(row)
    for group in groups.values():
        yield sorted(group, key=lambda r: r["id"])


def _sections(texts: list[str]) -> list[int]:
    """The position of each sentence's section heading in its document (-1 when none)."""
    out, last = [], -1
    for i, text in enumerate(texts):
        out.append(last)
        if is_heading(text):
            last = i
    return out


def _add(df: dict, token_sets: list[set], sign: int) -> None:
    for tokens in token_sets:
        for token in tokens:
            value = df.get(token, 0) + sign
            if value:
                df[token] = value
            else:
                df.pop(token, None)


def _add_counts(counts: dict, words: Counter, sign: int) -> None:
    for word, count in words.items():
        value = counts.get(word, 0) + sign * count
        if value:
            counts[word] = value
        else:
            counts.pop(word, None)


class MilvusIndex:
    """One version of a Milvus index, as answering reads it: the manifest, the corpus summary, and the
    engine's searches and look-ups restricted to this version's rows."""

    def __init__(self, store: MilvusStore, head: Head, manifest: dict):
        self.store, self.head, self.manifest = store, head, manifest
        self.collection = head.collection

    @property
    def docs(self) -> list[str]:
        return list(self.manifest["documents"])

    @cached_property
    def summary(self) -> dict:
        return self.store._json(self.head, "summary")

    @cached_property
    def documents(self) -> Mapping[str, Document]:
        return _Texts(self)

    def search_dense(self, vector: np.ndarray, k: int) -> list[int]:
        """The ids of the ``k`` sentences nearest ``vector``."""
        hits = self.store._call("search", self.collection, data=[vector.astype(np.float32).tolist()],
                                anns_field="vector", limit=k, filter=self.head.live, output_fields=["id"],
                                search_params={"metric_type": "IP"})
        return [int(h["id"]) for h in hits[0]]

    def search_lexical(self, tokens: list[str], limit: int, fields: list[str]) -> list[dict]:
        """Up to ``limit`` sentences holding any of the stemmed ``tokens``, best BM25 first, with ``fields``."""
        if not tokens:
            return []
        hits = self.store._call("search", self.collection, data=[" ".join(tokens)], anns_field="sparse",
                                limit=limit, filter=self.head.live, output_fields=fields,
                                search_params={"metric_type": "BM25"})
        return [{"id": int(h["id"]), **h["entity"]} for h in hits[0]]

    def fetch(self, ids, fields: list[str]) -> dict[int, dict]:
        """The rows with these ids, by id."""
        ids = [int(i) for i in ids]
        out = {}
        for start in range(0, len(ids), FETCH):
            for row in self.store._call("query", self.collection, ids=ids[start:start + FETCH],
                                        output_fields=fields):
                out[int(row["id"])] = row
        return out

    def doc_ids(self, doc: str) -> list[int]:
        """The ids of one document's sentences, in order."""
        info = self.manifest["documents"].get(doc)
        if not info:
            return []
        base = info["key"] << POSITION_BITS
        return list(range(base, base + info["units"]))

    def _documents(self) -> list[tuple[int, int]]:
        return [(info["key"], info["units"]) for info in self.manifest["documents"].values()]

    def rows(self, fields: list[str], fraction: float = 1.0) -> Iterator[list[dict]]:
        """Every live row (or about ``fraction`` of them, at random), in batches."""
        where = f"rand < {fraction}" if fraction < 1 else ""
        yield from self.store.rows(self.head, self._documents(), fields, where=where)

    def clauses(self) -> tuple[np.ndarray, np.ndarray]:
        """Every live clause: owner ids and vectors."""
        owners, vectors = [], []
        for batch in self.store.rows(self.head, self._documents(), ["owner", "vector"], "_clauses"):
            owners += [int(r["owner"]) for r in batch]
            vectors += [r["vector"] for r in batch]
        dim = self.manifest.get("dimension", 1)
        return np.array(owners, np.int64), np.array(vectors, np.float32).reshape(-1, dim)


class _Texts(Mapping):
    """The documents' extracted texts, read from the meta collection when asked for."""

    def __init__(self, index: MilvusIndex):
        self.index = index
        self._cache: dict[str, Document] = {}

    def __getitem__(self, doc: str) -> Document:
        if doc not in self._cache:
            info = self.index.manifest["documents"].get(doc)
            if info is None:
                raise KeyError(doc)
            data = self.index.store._json(Head(self.index.collection, info["key"]), "text")
            starts = tuple(data["page_starts"]) if data.get("page_starts") is not None else None
            self._cache[doc] = Document(doc, data.get("text", ""), info["sha256"], info["kind"], starts)
        return self._cache[doc]

    def __iter__(self):
        return iter(self.index.manifest["documents"])

    def __len__(self) -> int:
        return len(self.index.manifest["documents"])
