"""
Rendering an import's essays, and finding the people and works they
mention, in worker processes.

Rendering the Markdown and scanning the text for names is most of the
processor time of importing an essay, and needs no database once the names
are read: worker processes do it for the next batch while this process
writes the current batch. A small import (or a machine with one processor)
does it all here: starting the workers costs more than it saves.
"""

import functools
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from sergesite.markup import render

from .. import mention_scan

# Fewer essays than this are rendered here, without workers.
MIN_FOR_WORKERS = 40
MAX_WORKERS = 4

_render_essay = functools.partial(render, anchors=True)


def _processors():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Workers:
    """
    submit(bodies) starts rendering and scanning a batch; results(handle)
    waits for it: [(Rendered, body_html with mentions linked, [mention_scan.Found])],
    or [(Rendered, None, None)] without workers, when this process scans.
    """

    def __init__(self, total):
        self.total = total
        self.pool = None
        self.count = 1
        self.scan = self.payload = self.first_version = None

    def __enter__(self):
        count = min(_processors(), MAX_WORKERS)
        if self.total >= MIN_FOR_WORKERS and count > 1:
            self.count = count
            self._read_names()
            self.first_version = self.scan.version
            # forkserver: never fork a process that holds database connections
            # and threads. The workers never set Django up nor open a
            # connection: rendering and mention_scan need neither.
            self.pool = ProcessPoolExecutor(
                max_workers=count,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start,
                initargs=(self.scan.version, self.payload),
            )
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        return False

    def _read_names(self):
        from .. import mentions

        # Megabytes for ten thousand people: pickled once, given to each
        # worker as it starts, and sent with tasks only if the names change.
        self.scan = mentions.new_scan()
        self.payload = pickle.dumps(self.scan, protocol=pickle.HIGHEST_PROTOCOL)

    def submit(self, bodies):
        if self.pool is None:
            return [(None, bodies)], None
        from .. import mentions

        if not mentions.scan_is_current(self.scan):
            self._read_names()
        # A few chunks per worker: big enough to pay for the pickling, small
        # enough that the workers finish together.
        size = max(1, len(bodies) // (self.count * 4))
        chunks = [bodies[start : start + size] for start in range(0, len(bodies), size)]
        # Any worker may take any task: once the names have changed, every
        # task carries them, and a worker unpickles them once.
        payload = self.payload if self.scan.version != self.first_version else None
        try:
            tasks = [
                (self.pool.submit(_work, chunk, self.scan.version, payload), chunk)
                for chunk in chunks
            ]
        except BrokenProcessPool:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
            return [(None, bodies)], None
        return tasks, self.scan

    def results(self, handle):
        """(results, the names the workers scanned with, or None if this process must scan)."""
        tasks, scan = handle
        done = []
        for future, chunk in tasks:
            if future is not None:
                try:
                    done += future.result()
                    continue
                except Exception:
                    # A worker that died, or failed on this chunk: do it here,
                    # as without workers (a real error in a body then shows).
                    scan = None
            done += [(_render_essay(body), None, None) for body in chunk]
        return done, scan


_names = {"version": None, "scan": None}


def _start(version, payload):
    # No django.setup(): rendering and scanning need neither models nor the
    # database (essays/mention_scan.py), and setting Django up would cost
    # each worker most of a second before its first essay.
    _names["scan"], _names["version"] = pickle.loads(payload), version


def _work(bodies, version, payload):
    if _names["version"] != version:
        _names["scan"], _names["version"] = pickle.loads(payload), version
    results = []
    for body in bodies:
        rendered = _render_essay(body)
        html, found = mention_scan.link_in(rendered.html, _names["scan"])
        results.append((rendered, html, found))
    return results
