"""A writer killed with SIGKILL in the middle of its writes leaves a cache that opens and reads."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from app.cache.disk_store import DiskStore
from tests.cache.conftest import CONTEXT

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import numpy as np

    from app.cache.disk_store import DiskStore
    from app.cache.entry import CacheEntry
    from tests.cache.conftest import CONTEXT, verified_result

    store = DiskStore(Path(sys.argv[1]))
    start = int(sys.argv[2])
    fingerprint = CONTEXT.fingerprint()
    big = "x" * 40_000  # some entries go to files next to the database
    for index in range(start, start + 100_000):
        vector = np.random.default_rng(index).standard_normal(384).astype(np.float32)
        result = verified_result(f"prompt {index}", code=f"def solve(x):\\n    return x + {index}\\n")
        if index % 3 == 0:
            result["explanation"] = big
        entry = CacheEntry(f"{index:064x}", fingerprint, f"prompt {index}", "verified", result,
                           vector=vector / np.linalg.norm(vector))
        store.put(entry, ttl_s=None)
        print(index, flush=True)
    """
)


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return vector / np.linalg.norm(vector)


@pytest.mark.parametrize("round_", range(3))
def test_sigkill_during_writes_leaves_a_readable_cache(tmp_path: Path, round_: int) -> None:
    root = tmp_path / "cache"
    written: list[int] = []
    for attempt in range(2):  # two writers in turn, each killed mid-stream
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), str(attempt * 1_000_000)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
        assert writer.stdout is not None
        target = 40 + 37 * round_ + attempt * 11
        for line in writer.stdout:
            written.append(int(line))
            if len(written) >= target * (attempt + 1):
                break
        time.sleep(0.002 * round_)  # land the kill at different points of a write
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        assert writer.returncode == -signal.SIGKILL

    store = DiskStore(root)
    try:
        keys = list(store._cache.iterkeys())
        assert len(keys) >= len(written)  # every acknowledged write survived
        for key in keys:
            loaded = store.get(key)
            assert loaded is not None, key  # no torn entry
            assert loaded.result["answers"][0]["code"].startswith("def solve")
        for index in written:
            found = store.nearest(unit(index), CONTEXT.fingerprint(), threshold=0.99)
            assert [key for key, _ in found] == [f"{index:064x}"]
        store.put(store.get(keys[0]), ttl_s=None)  # and it still takes writes
    finally:
        store.close()
