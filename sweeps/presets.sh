#!/bin/sh
# The sweeps that choose the shipped presets (issue 11). Long: run them on a quiet machine and
# judge on the FINAL epoch's test accuracy, median over the 3 seeds (the table prints mean ± std;
# read the per-run lines for the median). Pass --db PATH to keep them apart from your own runs.
set -e

# seed: the seed's sigmoid/avg-pool network, unchanged; target ≥ 87.3% final within 10 epochs.
npm run sweep -- --preset seed --epochs 10 --name "seed preset search" \
  --vary lr=0.001..0.01:log:4 --vary batch-size=32,64,128 --vary lr-schedule=cosine,constant \
  --seeds 3 --parallel 2 "$@"

# modern: ReLU, max-pool, same layer sizes; target ≥ 91.0% final within 15 epochs.
npm run sweep -- --preset modern --epochs 15 --name "modern preset search" \
  --vary lr=0.0005..0.004:log:4 --vary batch-size=32,64 --vary weight-decay=0,0.0001 \
  --seeds 3 --parallel 2 "$@"
