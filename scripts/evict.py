"""Drops the given files' pages from the operating system's cache (posix_fadvise DONTNEED, which
needs no privilege; clean pages only, so a SQLite ledger is checkpointed first), so that the next
read of them comes from disk: the cold requests of the benchmarks. Missing files are skipped."""
import os
import sys

for path in sys.argv[1:]:
    if os.path.exists(path):
        fd = os.open(path, os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
