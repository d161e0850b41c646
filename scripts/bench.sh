#!/usr/bin/env bash
# Run the benchmarks (benchmarks/run.py) and write benchmarks/RESULTS.md; arguments go to it,
# e.g. --sizes 100,1000. At 10,000 entries a run takes about half an hour on 2 cores.
source "$(dirname "$0")/env.sh" bench
source scripts/browser.sh
python -m benchmarks.run "$@"
