"""A progress line on stderr with rate and time left, shown once work takes a few seconds."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, unit: str, quiet: bool = False, after: float = 2.0, callback=None):
        self.total, self.unit, self.quiet, self.after = total, unit, quiet, after
        self.callback = callback
        self.done = 0
        self.started = time.perf_counter()
        self.shown = False

    def advance(self, n: int) -> None:
        self.done += n
        if self.callback:
            self.callback(self.done, self.total)
        elapsed = time.perf_counter() - self.started
        if self.quiet or elapsed < self.after or not self.total:
            return
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        width = 30
        filled = int(width * self.done / self.total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {self.unit} "
                         f"{rate:.1f}/s, {left:.0f} s left ")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
