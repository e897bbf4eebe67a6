#!/usr/bin/env bash
# Whole-word vs token masking (issue 7). Same data, seed, model size, budget and fine-tuning for
# both variants; only --whole_word_masking differs. GPU work: defaults are the default model's
# encoder (hidden 384, 6 layers, 32 k-token steps) and its 300 s budget: ~6-7 min per variant on one
# H200, so run one variant per device call (a call may last 10 min):
#   VARIANTS=whole_word bash scripts/compare_masking.sh; VARIANTS=token bash scripts/compare_masking.sh
# (needs .prep/encoder_data and .prep/split, see README).
# On the device (no ../shared, no installed `parsclaim` command there): `bash scripts/device_payload.sh pack`
# here, then the call `FROM_PAYLOAD=1 BUDGET=150 OUT=/tmp/masking RESULTS_TAR=$OUT/masking.tar bash scripts/compare_masking.sh` with carry
# [".gpu_payload"]: both variants in one call (about 9 min, estimated), at half the default model's budget (a from-scratch
# encoder on the committed tokenizer's stream; logs and reports come back in masking.tar, not the encoders);
# then `bash scripts/device_payload.sh restore`. FT_EXTRA adds fine-tuning options (a dry run: "--max_steps 2").
# On a 2-core CPU an 11.6 M encoder runs ~4 k tokens/s (loss 7.44 after 100 steps of 8 k tokens,
# docs/runs/2026-11-27-cpu-masking-not-run/); the GPU run's loss only left its plateau after
# ~1,500 steps x 32 k tokens, so a CPU-sized comparison would compare two unpretrained encoders.
set -euo pipefail
OUT=${OUT:-runs/compare-masking}
PREPARED=${PREPARED:-.prep/encoder_data}
SPLIT=${SPLIT:-.prep/split}
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
parsclaim() { python3 -m parsclaim.cli "$@"; }
if [ -n "${FROM_PAYLOAD:-}" ]; then  # the .gpu_payload of scripts/device_payload.sh pack
  bash scripts/device_payload.sh extract /tmp/masking-data
  PREPARED=/tmp/masking-data/stream SPLIT=/tmp/masking-data/split
fi
BUDGET=${BUDGET:-300}
HIDDEN=${HIDDEN:-384}
LAYERS=${LAYERS:-6}
HEADS=${HEADS:-6}
BATCH_TOKENS=${BATCH_TOKENS:-32768}
for variant in ${VARIANTS:-whole_word token}; do
  flag=$([ $variant = whole_word ] && echo --whole_word_masking || echo --no_whole_word_masking)
  mkdir -p $OUT/$variant
  parsclaim pretrain --output_dir $OUT/$variant/encoder --prepared_dir $PREPARED $flag \
    --hidden_size $HIDDEN --num_layers $LAYERS --num_heads $HEADS --batch_tokens $BATCH_TOKENS --time_budget $BUDGET \
    > $OUT/$variant/pretrain.log 2>&1
  parsclaim train --output_dir $OUT/$variant/ner --encoder $OUT/$variant/encoder \
    --train conll:peyma:$SPLIT/peyma/train.conll conll:peyma:$SPLIT/nsurl600k/train.conll \
    --dev conll:peyma:$SPLIT/peyma/dev.conll --dev_fraction 0 \
    --epochs 3 --batch_size 32 --learning_rate 1e-4 --max_length 128 --stride 32 ${FT_EXTRA:-} > $OUT/$variant/train.log 2>&1
  parsclaim evaluate $OUT/$variant/ner conll:peyma:$SPLIT/peyma/dev.conll --output_dir $OUT/$variant/eval > /dev/null 2>&1
  grep -m1 "exact character" $OUT/$variant/eval/report.md | sed "s/^/$variant: PEYMA dev /"
done
if [ -n "${RESULTS_TAR:-}" ]; then
  tar cf "$RESULTS_TAR" -C "$OUT" --exclude='*.safetensors' --exclude='checkpoint-*' .
fi
