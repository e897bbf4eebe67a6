#!/usr/bin/env bash
# Whole-word vs token masking at a size a 2-core CPU can pretrain in 25 minutes (issue 7; the
# real comparison, scripts/compare_masking.sh, needs a GPU). Same data, tokenizer, seed, encoder
# size, time budget and fine-tuning for both; only the masking differs. A third arm fine-tunes the
# same encoder unpretrained, to show whether 25 CPU minutes of MLM do anything at all.
#   bash docs/runs/2026-11-29-cpu-masking-small/run.sh     (needs .prep/split, see README; ~70 min)
set -euo pipefail
SHARED=${SHARED:-../shared}
C=$SHARED/corpora
OUT=${OUT:-runs/mask-cpu}
BUDGET=${BUDGET:-1500}
SIZE="--hidden_size 128 --num_layers 2 --num_heads 2"
mkdir -p $OUT
[ -f $OUT/data/tokens.npy ] || parsclaim pretrain --output_dir $OUT/data --prepare_only --vocab_size 8000 \
  --text $C/raw $C/peyma/train.conll $C/nsurl600k/train.conll $C/arman/train.conll > $OUT/prepare.log 2>&1
FINETUNE="--train conll:peyma:.prep/split/peyma/train.conll --dev conll:peyma:.prep/split/peyma/dev.conll --dev_fraction 0
  --epochs 2 --batch_size 32 --learning_rate 5e-4 --max_length 128 --stride 32 --seed 7"
for variant in whole_word token none; do
  if [ $variant = none ]; then
    encoder="--encoder scratch --tokenizer $OUT/data $SIZE"
  else
    flag=$([ $variant = whole_word ] && echo --whole_word_masking || echo --no_whole_word_masking)
    parsclaim pretrain --output_dir $OUT/$variant/encoder --prepared_dir $OUT/data $flag $SIZE \
      --batch_tokens 8192 --time_budget $BUDGET --log_every 100 > $OUT/$variant.pretrain.log 2>&1
    encoder="--encoder $OUT/$variant/encoder"
  fi
  parsclaim train --output_dir $OUT/$variant/ner $encoder $FINETUNE > $OUT/$variant.train.log 2>&1
  parsclaim evaluate $OUT/$variant/ner conll:peyma:.prep/split/peyma/dev.conll --output_dir $OUT/$variant/eval > /dev/null 2>&1
  echo "$variant: $(grep -m1 'exact character spans' $OUT/$variant/eval/report.md)"
done
