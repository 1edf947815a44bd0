#!/bin/sh
# The sweeps that chose the shipped presets (issue 11), as they were run. Judge on the FINAL
# epoch's test accuracy, median over the 3 seeds (the table's "final median" column), not on the
# best epoch. Each takes an hour or more on 2 cores: run them on a quiet machine, and pass
# --db PATH to keep them apart from your own runs. Results are in the closing note.
set -e

# seed: the seed's sigmoid/avg-pool network, unchanged; target ≥ 87.3% final within 10 epochs.
# Chosen: lr 0.006, batch 32 (87.82% / 87.87% / 87.50%, median 87.82%).
npm run sweep -- --preset seed --epochs 10 --name "seed preset search" \
  --vary lr=0.003,0.006 --vary batch-size=32,64 --lr-schedule cosine \
  --seeds 3 --parallel 2 --yes "$@"

# modern: ReLU, max-pool, same layer sizes; target ≥ 91.0% final within 15 epochs.
# Round 1 (batch 64) was stopped after its first two runs ended at 90.03% and 90.58%. Round 2 (batch
# 32, lr 0.001, holding out 10% for validation): weight decay 2e-4 90.79/91.38/90.30 (median
# 90.79%), 5e-4 90.40/91.09/90.72 (median 90.72%).
npm run sweep -- --preset modern --epochs 15 --name "modern preset search" \
  --vary lr=0.001,0.002 --vary weight-decay=0.0001,0.0005 --batch-size 64 --validation-fraction 0.1 \
  --seeds 3 --parallel 2 --yes "$@"
npm run sweep -- --preset modern --epochs 15 --name "modern preset search, round 2" \
  --vary weight-decay=0.0002,0.0005 --batch-size 32 --lr 0.001 --validation-fraction 0.1 \
  --seeds 3 --parallel 2 --yes "$@"
# Round 3: train on all 60,000 images (as the seed did), one seed to screen lr × weight decay:
# lr 0.001: 91.01% (wd 2e-4), 91.11% (5e-4); lr 0.0015: 91.27% (2e-4), 91.45% (5e-4).
npm run sweep -- --preset modern --epochs 15 --name "modern screen, no validation" \
  --vary lr=0.001,0.0015 --vary weight-decay=0.0002,0.0005 --batch-size 32 --validation-fraction 0 \
  --seeds 1 --parallel 2 --yes "$@"
# Chosen: lr 0.0015, weight decay 5e-4, confirmed on seeds 43 and 44: 91.45% / 91.12% / 91.07%,
# median 91.12%.
npm run sweep -- --preset modern --epochs 15 --name "modern confirm, lr 0.0015 wd 5e-4, no validation" \
  --vary lr=0.0015 --weight-decay 0.0005 --batch-size 32 --validation-fraction 0 \
  --seed 43 --seeds 2 --parallel 2 --yes "$@"

# ── Issue 28: recipes (shift, flip, label smoothing), screened on held-out validation ──────────────
# Run on 2026-12-06 with --db /work/recipes.db --parallel 1 on a 2-core machine shared with other
# jobs (load average ~20: epochs took 40–450 s), so only seed 42 was screened and nothing reached
# a 3-seed confirmation: PRESETS are unchanged. Figures: final epoch, val / test, seed 42.
# Seed net, 10 epochs, batch 16, lr 0.006: 88.95% / 88.19% (the best val figure; the current
# preset, batch 32, is 87.82% test at seed 42). lr 0.012 and the batch-32 baseline were stopped
# unfinished (the load).
npm run sweep -- --preset seed --epochs 10 --name "seed screen 1: lr x batch" \
  --vary lr=0.006,0.012 --vary batch-size=16,32 --validation-fraction 0.1 \
  --seeds 1 --parallel 1 --yes "$@"
# Seed net with label smoothing 0.1 and horizontal flips (batch 32): 88.18% / 87.04%. The net
# underfits here (train 89.5% ≈ val 89.0% at epoch 10), so augmentation has little to cure.
# The flip=none run was stopped at epoch 2.
npm run sweep -- --preset seed --epochs 10 --name "seed screen 2: label smoothing 0.1, flip" \
  --label-smoothing 0.1 --vary flip=horizontal,none --validation-fraction 0.1 \
  --seeds 1 --parallel 1 --yes "$@"
# More steps: batch 16 at lr 0.01 stayed at chance (10.5% val after 2 epochs: too high a rate
# for the sigmoid net); batch 8 at lr 0.004 was stopped after epoch 1 (81.23% val).
npm run sweep -- --preset seed --epochs 10 --name "seed screen 3: more steps" \
  --vary batch-size=16 --vary lr=0.01 --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"
npm run sweep -- --preset seed --epochs 10 --name "seed screen 3: batch 8" \
  --vary batch-size=8 --vary lr=0.004 --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"
# Next (not run): confirm batch 16, lr 0.006 on seeds 43 and 44 (seed 42's 88.19% test is below
# the 88.5% target, so both would have to exceed it), and screen batch 16 with label smoothing.
# Modern net, 20 epochs, shift 1 + flip + label smoothing 0.1: stopped at epoch 5. At epoch 4 it
# had 88.07% val / 87.54% test against the plain preset's 89.27% / 88.12% ("modern screen 1",
# same seed, also stopped at epoch 4): augmentation slows early epochs; whether it passes the plain
# recipe by epoch 20 is not known. BN and dropout builder options are not written yet.
npm run sweep -- --preset modern --epochs 20 --name "modern screen 2: shift 1, flip, ls 0.1" \
  --shift 1 --flip horizontal --label-smoothing 0.1 --vary lr=0.0015 --validation-fraction 0.1 \
  --seeds 1 --parallel 1 --yes "$@"

# ── Issue 28, round 2: batch norm and dropout (builder options), one training process at a time ─
# Run with --db /work/recipes2.db --parallel 1 on the shared 2-core machine. Validation (10% held
# out) decides; the test figure only reports. Figures: final epoch, val / test.
# Seed net: more, smaller steps (the net underfits: train ≈ val). Batch 8 was stopped after one
# epoch in round 1 (81.23% val, ahead of batch 16's 79.55%). Seed 42, 10 epochs (~50 s each):
# 89.52% val / 88.63% test (train 90.07%), against batch 16 lr 0.006's 88.95% / 88.19%: chosen.
npm run sweep -- --preset seed --epochs 10 --name "seed screen 4: batch 8, lr 0.004" \
  --vary batch-size=8 --lr 0.004 --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"
# Confirmed on seeds 43 and 44: 88.85% / 88.12% and 88.87% / 88.44% (val / test). Test, seeds
# 42–44: 88.63 / 88.12 / 88.44%, median 88.44%: up from the preset's 87.82%, short of 88.5%.
npm run sweep -- --preset seed --epochs 10 --name "seed confirm: batch 8, lr 0.004, seeds 43-44" \
  --vary batch-size=8 --lr 0.004 --validation-fraction 0.1 --seed 43 --seeds 2 --parallel 1 --yes "$@"
# The same recipe on all 60,000 training images (as the modern preset trains): 88.45 / 88.34 /
# 88.02%, median 88.34%: no better. PRESETS.seed is unchanged (batch 8 takes 4× the steps of
# the shipped batch 32; the lead decides whether +0.6 points is worth that).
npm run sweep -- --preset seed --epochs 10 --name "seed confirm: batch 8, lr 0.004, all 60,000 images" \
  --vary batch-size=8 --lr 0.004 --validation-fraction 0 --seeds 3 --parallel 1 --yes "$@"
# Modern net: batch norm after C1 and C3, dropout 0.25 after C5 and F6, horizontal flips; batch 64
# (tfjs's step trains batch norm and dropout: fewer, larger steps cost less per epoch there).
# Seed 42, 20 epochs (45–125 s each): 91.93% val / 91.37% test, train 93.31%: still below the
# training accuracy a 92% test needs, so the regularisation is on the strong side for 62k
# parameters. Per epoch it tracked the plain recipe (epoch 4: 89.20% / 87.91% against 89.27% /
# 88.12%). Next (not run): dropout 0.1 or none with batch norm, lr 0.005; then seeds 43 and 44.
npm run sweep -- --preset modern --epochs 20 --name "modern screen 3: bn conv, dropout 0.25, flip, batch 64" \
  --batch-norm conv --dropout 0.25 --flip horizontal --batch-size 64 --vary lr=0.003 \
  --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"

# ── Issue 28, round 3: the seed net's rate at batch 8 and 4; the modern net with batch norm alone ─
# Run with --db /work/recipes3.db --parallel 1 --threads 1 under `nice -n 19`, two training
# processes at once on the shared 2-core machine (load average 8–12: the seed net's epochs took
# 17–75 s, the modern net's 120–310 s). Seed 42, 10 epochs, batch 8 unless said; figures: final
# epoch, val / test (train).
# lr 0.003: 89.00% / 88.10% (89.58%); lr 0.005: 89.65% / 88.62% (90.29%); lr 0.006: 89.43% /
# 88.64% (90.01%); round 2's lr 0.004: 89.52% / 88.63% (90.07%). Batch 4, lr 0.003 (twice the
# steps): 89.03% / 87.74% (89.82%). Validation picks batch 8, lr 0.005.
npm run sweep -- --preset seed --epochs 10 --name "seed screen 5: batch 8, lr 0.003 / 0.005" \
  --batch-size 8 --vary lr=0.003,0.005 --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"
npm run sweep -- --preset seed --epochs 10 --name "seed screen 6: batch 8, lr 0.006" \
  --batch-size 8 --vary lr=0.006 --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"
npm run sweep -- --preset seed --epochs 10 --name "seed screen 7: batch 4, lr 0.003" \
  --batch-size 4 --vary lr=0.003 --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"
# Confirmed on seeds 43 and 44: 88.82% / 88.47% (90.13%) and 88.65% / 88.40% (89.92%). Test,
# seeds 42–44: 88.62 / 88.47 / 88.40%, median 88.47%: 0.03 short of 88.5% (round 2's lr 0.004:
# median 88.44%). PRESETS.seed is unchanged: the target is not met on 3 seeds, and the gain over
# lr 0.004 is within seed noise (seed 43 +0.35, seed 44 −0.04, seed 42 −0.01).
npm run sweep -- --preset seed --epochs 10 --name "seed confirm: batch 8, lr 0.005, seeds 43-44" \
  --batch-size 8 --vary lr=0.005 --validation-fraction 0.1 --seed 43 --seeds 2 --parallel 1 --yes "$@"
# The same recipe on all 60,000 training images (no validation; the recipe was chosen above):
# 88.05 / 88.51 / 88.37% (train 89.78 / 90.15 / 90.04%), median 88.37%: no better, as with lr
# 0.004 in round 2. The seed net stays ~0.05 short of 88.5% at every rate tried; what is left is
# seed noise (±0.2), not recipe.
npm run sweep -- --preset seed --epochs 10 --name "seed confirm: batch 8, lr 0.005, all 60,000 images" \
  --batch-size 8 --vary lr=0.005 --validation-fraction 0 --seeds 3 --parallel 1 --yes "$@"
# Modern net: batch norm after C1 and C3 alone (no dropout, no flips), batch 64, lr 0.003, cosine,
# weight decay 5e-4, 20 epochs, seed 42: 91.30% val / 91.27% test, train 96.72%. It led round 2's
# BN + dropout 0.25 + flips at every epoch to 16 (epoch 8: 90.07% / 89.66% against 88.85% /
# 87.62%; epoch 16: 91.30% / 91.17% against 91.48% / 91.03%), then overfitted (train 95.5% → 96.7%,
# val flat): validation prefers round 2's 91.93%. Between the two, not run: dropout 0.1 or shift 1
# with batch norm. A seed-43 run of this recipe was stopped at epoch 5 (89.18% / 88.94%): with
# epochs of 100–300 s on the loaded machine it could not finish by the deadline.
npm run sweep -- --preset modern --epochs 20 --name "modern screen 4: bn conv, no dropout, batch 64, lr 0.003, cosine" \
  --batch-norm conv --batch-size 64 --vary lr=0.003 --lr-schedule cosine --weight-decay 0.0005 \
  --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"

# ── Issue 28, round 4: label smoothing for the seed net; a wider modern net (width options) ─────
# Run with --db /work/recipes4.db --threads 1 under `nice -n 19` on the shared 2-core machine (the
# modern net's epochs took 190–500 s there, ~70 s alone). Validation (10% held out) decides; the
# test figure only reports. Figures: final epoch, val / test (train). These start from the presets
# as they are after this round: to repeat an earlier round's command, give it that round's options
# (rounds 1–3 started from seed = batch 32, lr 0.006; modern = 6/16/120/84, no batch norm, dropout
# or flips, batch 32, lr 0.0015, 15 epochs, all 60,000 images).
# Seed net, seed 42, batch 8, lr 0.005 (round 3's pick: 89.65% / 88.62% (90.29%)):
#   flips:                           88.23% / 87.32% (88.99%)  (tfjs's step)
#   label smoothing 0.1:             89.85% / 89.12% (90.25%)  (tfjs's step)
#   label smoothing 0.1, fused step: 89.82% / 89.15% (90.20%)  (the fused step learnt smoothing here)
#   label smoothing 0.2, fused step: 89.40% / 88.45% (90.03%)
#   label smoothing 0.05: stopped before it started (no time). Validation picks 0.1.
npm run sweep -- --preset seed --epochs 10 --batch-size 8 --lr 0.005 --name "seed screen 8: batch 8, lr 0.005, flip" \
  --flip horizontal --label-smoothing 0 --vary seed=42 --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"
npm run sweep -- --preset seed --epochs 10 --batch-size 8 --lr 0.005 --name "seed screen 10: label smoothing (fused step)" \
  --vary label-smoothing=0.1,0.2,0.05 --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"
# The 1998 network (PRESETS.lecun1998 as shipped: Adam 0.001, cosine, batch 32, 20 epochs, RBF
# output, a tenth held out), stop 24's run into /work/lecun98.db: final val / test (train) 90.53% /
# 89.43% (93.54%), 89.95% / 89.62% (93.01%), 89.88% / 89.78% (93.46%) for seeds 42–44: median test
# 89.62%. Nothing was tuned for it: it is reported, not chosen.
npm run sweep -- --preset lecun1998 --vary output=rbf --seeds 3 --parallel 1 --yes "$@"
# Seed net, chosen recipe (batch 8, lr 0.005, label smoothing 0.1; the fused step), seeds 43 and 44:
# 89.57% / 88.95% (90.51%) and 89.35% / 88.53% (90.26%). Test, seeds 42–44: 89.15 / 88.95 / 88.53%,
# median 88.95% (target 88.5%): PRESETS.seed is this recipe. `npm run sweep -- --preset seed --seeds 3`
# repeats all three.
npm run sweep -- --preset seed --epochs 10 --name "seed confirm: label smoothing 0.1, seeds 43-44" \
  --vary seed=43,44 --validation-fraction 0.1 --seeds 1 --parallel 1 --yes "$@"
# Modern net, 20 epochs, batch 64, lr 0.003, cosine, weight decay 5e-4, tensorflow backend. Round 2's
# best at the seed's widths (batch norm after C1/C3, dropout 0.25, flips: 62,158 parameters) ended at
# 91.93% / 91.37% (93.31%): near its training accuracy, so the network got more room (the new width
# options) rather than more regularisation. Wider, 16/32/96/84 (99,238 parameters), same recipe, seed
# 42: 93.07% / 92.33% (94.78%); it led the narrow network by about a point from epoch 6 (epoch 12:
# 91.12% / 90.76% against 90.22% / 89.73%). The same plus ±1-pixel shifts trailed it by 0.6–1.5
# points through epoch 4 and was stopped there (its core went to the confirmations).
npm run sweep -- --preset modern --epochs 20 --name "modern screen 5: 16/32/96/84, bn conv, dropout 0.25, flip" \
  --c1-maps 16 --c3-maps 32 --c5-units 96 --batch-norm conv --dropout 0.25 --flip horizontal --batch-size 64 \
  --lr 0.003 --lr-schedule cosine --weight-decay 0.0005 --validation-fraction 0.1 --vary seed=42 \
  --seeds 1 --parallel 1 --yes "$@"
npm run sweep -- --preset modern --epochs 20 --name "modern screen 6: the same, shift 1" \
  --c1-maps 16 --c3-maps 32 --c5-units 96 --batch-norm conv --dropout 0.25 --flip horizontal --shift 1 \
  --batch-size 64 --lr 0.003 --lr-schedule cosine --weight-decay 0.0005 --validation-fraction 0.1 \
  --vary seed=42 --seeds 1 --parallel 1 --yes "$@"
# Confirmed on seeds 43 and 44: 92.07% / 92.10% (94.69%) and 92.42% / 92.03% (94.61%). Test, seeds
# 42–44: 92.33 / 92.10 / 92.03%, median 92.10% (target 92.0%; 91.12% before): PRESETS.modern is this
# recipe (its configuration equals these runs' but for the seed).
npm run sweep -- --preset modern --name "modern confirm: seeds 43-44" --vary seed=43,44 --seeds 1 --parallel 2 --yes "$@"
