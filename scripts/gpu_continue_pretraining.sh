#!/usr/bin/env bash
# Does more MLM pretraining lift PEYMA toward 90? (issue 7) One device call, on one GPU:
#   1. the committed encoder (300 s of MLM on an H200, 2026-11-27) pretrains BUDGET s more
#      (default 300: 600 s in all, twice the first run), on the same token stream;
#   2. recipe stage 1 (gold x3 + PEYMA + NSURL + ARMAN, 3 epochs, as in build_default_model.sh)
#      fine-tunes both the committed encoder (in the background, from the start) and the new one;
#   3. both are scored with `parsclaim evaluate` on gold dev, PEYMA dev and ARMAN dev.
# The two stage-1 scores differ only by the extra pretraining. About 9 min on an H200 with BUDGET=300, estimated from the 2026-11-27 run (300 s MLM, 163 s per stage-1 fine-tune).
#
# Prepare here first (CPU): `bash scripts/device_payload.sh pack` (token stream + CoNLL splits into
# .gpu_payload/, the bundled model out of the working tree so that it fits the 64 MiB limit), then
# the device call: command `bash scripts/gpu_continue_pretraining.sh`, carry [".gpu_payload"],
# timeout_s 600; afterwards `bash scripts/device_payload.sh restore`, and
# `bash scripts/device_payload.sh unpack FILES_AT` to join the encoder parts into runs/continued-encoder.
# Needs only torch, transformers, tokenizers and accelerate (all on the GPU image).
# Dry run on a CPU: BUDGET=5 BF16= FT_EXTRA="--max_steps 2" OUT=/tmp/dry bash scripts/gpu_continue_pretraining.sh
set -euo pipefail
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
OUT=${OUT:-/tmp/out}
W=${WORK:-/tmp/continue-work}
BUDGET=${BUDGET:-300}
LR=${LR:-5e-4}  # peak rate of the continued run (the first run's was 1e-3): it warms up and decays again
BF16=${BF16---bf16}
FT_EXTRA=${FT_EXTRA:-}
ENCODER=encoders/parsclaim-small-mlm
mkdir -p "$OUT"
python3 -c "import parsclaim.training.train, parsclaim.training.pretrain, parsclaim.evaluate.cli"
nvidia-smi -L 2>/dev/null || echo "no GPU"
date +%T
bash scripts/device_payload.sh extract $W  # -> $W/stream, $W/split

stage1() {  # name, encoder
  python3 -m parsclaim.training.train --output_dir $W/$1 --encoder $2 \
    --train jsonl:corpus/train.jsonl@3 conll:peyma:$W/split/peyma/train.conll conll:peyma:$W/split/nsurl600k/train.conll conll:arman:$W/split/arman/train.conll \
    --dev jsonl:corpus/dev.jsonl conll:peyma:$W/split/peyma/dev.conll conll:arman:$W/split/arman/dev.conll \
    --dev_fraction 0 --epochs 3 --batch_size 32 --learning_rate 1e-4 --max_length 256 $BF16 \
    --logging_steps 200 --save_total_limit 1 --dataloader_num_workers 2 $FT_EXTRA > $W/$1.log 2>&1 \
    || { echo "$1: training failed"; tail -5 $W/$1.log; return 1; }
  python3 -m parsclaim.evaluate.cli $W/$1 corpus/dev.jsonl conll:peyma:$W/split/peyma/dev.conll conll:arman:$W/split/arman/dev.conll \
    --output_dir $W/$1/eval > $W/$1/eval.log 2>&1 || { echo "$1: evaluation failed"; tail -5 $W/$1/eval.log; return 1; }
  echo "$1 done at $(date +%T):"; grep -h "^# Evaluation\|entity F1 (exact" $W/$1/eval/report.md || tail -3 $W/$1.log
}

results() {  # whatever exists so far, without weights
  tar cf "$OUT/results.tar" -C $W --exclude='*.safetensors' --exclude='checkpoint-*' --exclude='tokens.npy' --exclude='split' . 2>/dev/null || true
}
trap results EXIT
trap 'results; exit 143' TERM  # a timeout still returns what there is (the encoder parts are written first)

stage1 stage1-committed-encoder $ENCODER &
python3 -m parsclaim.training.pretrain --output_dir $W/encoder --prepared_dir $W/stream --init_from $ENCODER \
  --time_budget $BUDGET --learning_rate $LR --log_every 500 > $W/pretrain.log 2>&1
grep -h "dev_mlm_loss" $W/pretrain.log || tail -3 $W/pretrain.log
cp $W/pretrain.log $W/encoder/pretrain_stdout.log
tar cf - -C $W encoder | split -b 15000000 -d - "$OUT/encoder.tar.part-"
results
stage1 stage1-continued-encoder $W/encoder
wait
date +%T
