"""Fuzz for a while: the fuzz tests again and again with new seeds until the time is up, or until one
fails (Hypothesis then prints the smallest input that fails, and how to reproduce it).

    python tests/fuzz/run.py --minutes 10      # what `make fuzz` runs
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    end = time.monotonic() + args.minutes * 60
    environment = dict(os.environ, HYPOTHESIS_PROFILE="fuzz")
    rounds = 0
    while time.monotonic() < end:
        seed = random.randrange(2**32)
        rounds += 1
        print(f"fuzz round {rounds} (seed {seed}), {max(0, end - time.monotonic()) / 60:.1f} min left", flush=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-x",
                str(HERE),
                f"--hypothesis-seed={seed}",
            ],
            env=environment,
            cwd=HERE.parents[1],
        )
        if done.returncode:
            print(f"fuzz: a failure in round {rounds} (seed {seed}); see above", file=sys.stderr)
            return 1
    print(f"fuzz: {rounds} rounds clean in {args.minutes:g} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
