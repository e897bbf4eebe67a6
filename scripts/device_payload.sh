#!/usr/bin/env bash
# What a GPU call of scripts/gpu_continue_pretraining.sh needs, within the device's 64 MiB limit on
# what travels (the working tree plus carried paths; ../shared does not travel).
#
#   bash scripts/device_payload.sh pack            # here, before the call
#   bash scripts/device_payload.sh restore         # here, after it (whatever happened)
#   bash scripts/device_payload.sh unpack DIR      # the call's files (files_at) -> runs/continued-encoder + runs/continued-results
#   bash scripts/device_payload.sh extract DIR     # there: .gpu_payload -> DIR/stream (tokens + tokenizer), DIR/split/<corpus>/*.conll
#
# pack: encodes the pretraining text with the committed encoder's tokenizer (~1 min) into
# .gpu_payload/tokens.npy.xz, gzips the CoNLL dev/train splits into .gpu_payload/split/, and takes the
# bundled model (57 MB, not needed there) out of the working tree with a sparse checkout, so that git
# sees nothing deleted (a commit in between cannot lose it); then prints what will travel.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
C=$SHARED/corpora
P=.gpu_payload
LIMIT=$((64 * 1024 * 1024))

travelling_bytes() {  # files present in the working tree that git tracks or does not ignore, plus the payload
  { git ls-files -z --cached --others --exclude-standard; find $P -type f -print0; } | python3 -c '
import os, sys
print(sum(os.path.getsize(f) for f in sys.stdin.buffer.read().decode().split("\0") if f and os.path.isfile(f)))'
}

case "${1:-}" in
  pack)
    mkdir -p $P/split .prep
    parsclaim pretrain --output_dir .prep/stream-committed-tokenizer --prepare_only --tokenizer encoders/parsclaim-small-mlm \
      --text $C/raw $C/peyma/train.conll $C/nsurl600k/train.conll $C/arman/train.conll
    xz -T0 -6 -c .prep/stream-committed-tokenizer/tokens.npy > $P/tokens.npy.xz
    for c in peyma nsurl600k arman; do
      [ -f .prep/split/$c/dev.conll ] || parsclaim data split-conll $C/$c/train.conll -o .prep/split/$c
      mkdir -p $P/split/$c
      for s in train dev; do gzip -9 -c .prep/split/$c/$s.conll > $P/split/$c/$s.conll.gz; done
    done
    git sparse-checkout set --no-cone '/*' '!/parsclaim/default_model/'
    bytes=$(travelling_bytes)
    echo "will travel: $((bytes / 1024 / 1024)) MiB of 64 (carry [\"$P\"]); parsclaim/default_model is out until 'restore'"
    [ "$bytes" -lt "$LIMIT" ] || { echo "too large for the device: leave more out" >&2; exit 1; }
    ;;
  restore)
    git sparse-checkout disable
    git status --short | head
    [ -f parsclaim/default_model/model.safetensors ] && echo "parsclaim/default_model is back"
    ;;
  extract)
    to=${2:?give the folder to extract the payload into}
    mkdir -p $to/stream
    xz -dc $P/tokens.npy.xz > $to/stream/tokens.npy
    cp encoders/parsclaim-small-mlm/tokenizer.json encoders/parsclaim-small-mlm/tokenizer_config.json $to/stream/
    for c in peyma nsurl600k arman; do
      mkdir -p $to/split/$c
      for s in train dev; do gunzip -c $P/split/$c/$s.conll.gz > $to/split/$c/$s.conll; done
    done
    ;;
  unpack)
    files=${2:?give the folder holding the files of the call (files_at)}
    mkdir -p runs/continued-results
    cat "$files"/encoder.tar.part-* | tar xf - -C runs && rm -rf runs/continued-encoder && mv runs/encoder runs/continued-encoder
    tar xf "$files"/results.tar -C runs/continued-results
    ls runs/continued-encoder runs/continued-results
    ;;
  *)
    sed -n 2,13p "$0"; exit 2 ;;
esac
