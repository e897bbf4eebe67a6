#!/usr/bin/env bash
# Fine-tune the default model and its comparison variants on one GPU, in parallel,
# then score each with `parsclaim evaluate` on the dev splits.
#
# Inputs (prepared on the CPU machine, see README "How it was built (and how to rebuild it)"):
#   encoders/parsclaim-small-mlm      the MLM-pretrained encoder (committed)
#   corpus/{train,dev}.jsonl          the gold articles (committed)
#   .prep/splitgz/<corpus>/{train,dev}.conll.gz   `parsclaim data split-conll` outputs, gzipped
#   .whl/                             optional: wheels missing on the GPU image (training needs none since the
#                                     eleventh session: no datasets, no seqeval)
# Outputs under $OUT: the default model (fp16 safetensors, tar split in 15 MB parts),
# results.tar (logs, metrics, model cards, evaluation reports of every variant).
set -u
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
RUNS=/tmp/runs; mkdir -p $RUNS
if [ -d .whl ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD
fi
python3 -c "import parsclaim.training.train" || exit 1
nvidia-smi -L
D=/tmp/conll
for c in peyma nsurl600k arman; do mkdir -p $D/$c; for s in train dev; do gunzip -c .prep/splitgz/$c/$s.conll.gz > $D/$c/$s.conll; done; done

ENC=encoders/parsclaim-small-mlm
ALL="jsonl:corpus/train.jsonl@3 conll:peyma:$D/peyma/train.conll conll:peyma:$D/nsurl600k/train.conll conll:arman:$D/arman/train.conll"
DEV="jsonl:corpus/dev.jsonl conll:peyma:$D/peyma/dev.conll conll:arman:$D/arman/dev.conll"
COMMON="--dev $DEV --dev_fraction 0 --batch_size 32 --learning_rate 1e-4 --bf16 --max_length 256 --logging_steps 200 --save_total_limit 1 --dataloader_num_workers 2"
EPOCHS=${EPOCHS:-3}

snapshot() { tar cf "$OUT/results.tar" -C $RUNS --exclude='*.safetensors' --exclude='checkpoint-*' --exclude='*.bin' --exclude='*.pt' . ; }

train() {  # name, then extra arguments
  local name=$1; shift
  python3 -m parsclaim.training.train --output_dir $RUNS/$name $COMMON "$@" > $RUNS/$name.log 2>&1
  echo "$name finished: rc=$? at $(date +%T)"; tail -2 $RUNS/$name.log
}

date +%T
train default --encoder $ENC --train $ALL --epochs $EPOCHS &
train no-pretraining --encoder scratch --tokenizer $ENC --hidden_size 384 --num_layers 6 --num_heads 6 --train $ALL --epochs $EPOCHS &
train no-partial-labels --encoder $ENC --train $ALL --untrusted_o_weight 1.0 --epochs $EPOCHS &
wait %1
# The default model comes back first, so a later overrun cannot lose it.
python3 - <<'PY'
import pathlib, torch
from safetensors.torch import load_file, save_file
run = pathlib.Path("/tmp/runs/default")
for f in run.glob("*.safetensors"):
    state = {k: (v.half() if v.is_floating_point() else v) for k, v in load_file(str(f)).items()}
    save_file(state, str(f), metadata={"format": "pt"})
PY
tar cf /tmp/default.tar -C $RUNS --exclude='checkpoint-*' default && split -b 15000000 -d /tmp/default.tar "$OUT/default.tar.part"
snapshot
wait
snapshot
for name in default no-pretraining no-partial-labels; do
  python3 -m parsclaim.evaluate.cli $RUNS/$name $DEV --output_dir $RUNS/$name/eval --device cuda > $RUNS/$name/eval.log 2>&1 &
done
wait
snapshot
for name in default no-pretraining no-partial-labels; do echo "== $name"; grep -E "entity F1 \(exact|claim content F1, overlap|attribution" $RUNS/$name/eval/report.md | head -9; done
date +%T
