"""Joining a Ray cluster for one run, and the store URI its workers open."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from bot.store.milvus import StoreError
from bot.store.stores import is_milvus

LOCAL_CPUS = 2  # a local Ray started for the run, as the tests run it


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise StoreError("--ray needs the ray extra: pip install 'qabot[ray]'") from None
    return ray


@contextmanager
def ray_session(address: str | None, workers: int = 1) -> Iterator[None]:
    """Ray for the run: a local one started now (``address`` None, stopped at the end), or the cluster at
    ``address`` (``auto``, ``ray://host:10001``). An already initialised Ray (a test's) is used as it is."""
    ray = _ray()
    started = False
    if not ray.is_initialized():
        logging.getLogger("ray").setLevel(logging.WARNING)
        try:
            if address is None:
                ray.init(num_cpus=max(LOCAL_CPUS, workers), include_dashboard=False, log_to_driver=False,
                         logging_level=logging.WARNING)
            else:
                ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        except (ConnectionError, RuntimeError, ValueError) as err:
            raise StoreError(f"cannot join the Ray cluster at {address} ({str(err).strip()[:200]}): start it "
                             f"with `ray start --head` or check the address") from None
        started = True
    for handler in logging.getLogger("ray.data").handlers:  # its notes stay in ray-data.log, off the terminal
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the run shows its own progress line
    context.print_on_execution_start = False
    try:
        yield
    finally:
        if started:
            ray.shutdown()


def worker_cpus(workers: int) -> int:
    """The CPUs each of ``workers`` actors asks for: the cluster's CPUs shared out (each at least one)."""
    ray = _ray()
    return max(1, int(ray.cluster_resources().get("CPU", 1)) // max(workers, 1))


def shared_uri(uri: str | None, address: str | None) -> str | None:
    """The URI the workers open for the store ``uri``: a milvus-lite file is opened by one process only, so
    workers of a local Ray reach it through the gRPC server milvus-lite runs in this process (on 127.0.0.1);
    a Milvus server's URI and an index folder are opened as they are."""
    if uri is None or not is_milvus(uri):
        return uri
    location, hash_, name = uri.partition("#")
    location = location.removeprefix("milvus:")
    if location.startswith(("http://", "https://")):
        return uri
    if address is not None:
        raise StoreError(f"{uri} is a milvus-lite file, which only this machine can open: give the Ray cluster's "
                         f"workers a Milvus server (--store http://host:19530)")
    from milvus_lite.server_manager import server_manager_instance

    served = server_manager_instance.start_and_get_uri(os.path.abspath(location))
    if served is None:
        raise StoreError(f"cannot serve {uri} to the Ray workers: milvus-lite did not start its server")
    return served + hash_ + name
