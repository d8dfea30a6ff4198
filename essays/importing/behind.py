"""
The search documents and first versions of an import's new essays, written
behind the batches on PostgreSQL.

A 5,000-word essay's text vector and word pairs are most of the database's
work per essay imported. For an import of several batches on PostgreSQL, a
thread with a connection of its own writes each committed batch's documents
(search.index.update_many) and versions (versions.record_each) while the
import's connection writes the next batch, so that work runs on the other
processor. At most two batches wait; a document then commits a moment after
its essay, as a version always does (sergesite/versions.py records after
the commit).

Anywhere else each batch writes its own, in its transaction: SQLite has one
writer at a time, inside a transaction a second connection would see
nothing, and inside an editor's revision (reversion) the versions belong to
that revision.

If the import is cut off in between, essays are left without a document or
a first version; the next import writes them first (write_missing()). An
essay whose document or version cannot be written at all gets a warning on
its file's report; the import goes on.
"""

import queue
import threading

from django.db import DatabaseError, connection, transaction

from search import index as search_index
from sergesite import versions

from ..models import Essay

# Essays per chunk handed to the thread: small enough that both connections
# can share the last batch's.
CHUNK = 25
# Chunks that may wait: about two batches. A full queue makes the import
# wait for the thread rather than run ahead of it.
WAITING = 8


class Behind:
    """
    add([(essay id, its report), ...]) once a batch has committed; flush()
    waits until everything added is written.
    """

    def __init__(self, batches):
        self.active = (
            batches > 1
            and connection.vendor == "postgresql"
            and not connection.in_atomic_block
            and not versions.in_revision()
        )
        self.failed = []

    def __enter__(self):
        if self.active:
            self.queue = queue.Queue(maxsize=WAITING)
            self.thread = threading.Thread(target=self._run, name="import-behind", daemon=True)
            self.thread.start()
        return self

    def add(self, written):
        if not self.active:
            return
        for start in range(0, len(written), CHUNK):
            self._put(written[start : start + CHUNK])

    def flush(self):
        if self.active and self.thread.is_alive():
            self.queue.join()

    def _put(self, chunk):
        while True:
            try:
                self.queue.put(chunk, timeout=1)
                return
            except queue.Full:
                if not self.thread.is_alive():
                    self._write(chunk)
                    return

    def _run(self):
        try:
            self._take_until_done()
        finally:
            connection.close()  # this thread's own

    def _take_until_done(self):
        while (chunk := self.queue.get()) is not None:
            self._write(chunk)
            self.queue.task_done()
        self.queue.task_done()
        self.queue.put(None)  # for the other taker

    def _write(self, chunk):
        try:
            write([pk for pk, _ in chunk])
        except Exception:
            # Tried again at the end, one essay at a time (__exit__).
            self.failed += chunk

    def __exit__(self, exc_type, exc, traceback):
        if not self.active:
            return False
        if exc_type is not None:
            # The import failed: the thread finishes what it holds, and the
            # next import writes the rest. Nothing here may hide the error.
            self.queue.put(None)
            self.thread.join()
            return False
        # The last batch's: this connection helps the thread, so the
        # import's tail is half as long.
        self.queue.put(None)
        self._take_until_done()
        self.thread.join()
        for pk, report in self.failed:
            try:
                with transaction.atomic():
                    write([pk])
            except DatabaseError as error:
                report.warnings.append(
                    f"imported, but its search document or first version could not be written"
                    f" ({error}); the next import tries again"
                )
        return False


def write(pks):
    """The search documents and first versions of these new essays."""
    search_index.update_many(Essay, pks)
    versions.record_each(Essay, pks)


def write_missing():
    """
    The documents, and the first versions of imported essays, that an
    import cut off in the middle left unwritten. One that cannot be written
    is left for the next try: it must not stop this import.
    """
    for writer, missing in (
        (search_index.update_many, search_index.missing(Essay)),
        (versions.record_each, versions.missing(Essay.objects.exclude(import_source=""))),
    ):
        try:
            with transaction.atomic():
                writer(Essay, missing)
        except DatabaseError:
            for pk in missing:
                try:
                    with transaction.atomic():
                        writer(Essay, [pk])
                except DatabaseError:
                    pass
