#!/usr/bin/env bash
# Prepares .gpu/ (git-ignored) for a check on the GPU machine (see shared/gpu/README.md): a trimmed
# JRE, the engine's classes and jars without the CPU libtorch, DJL's JNI built for that machine's
# libtorch, and a small checkpoint folder written by Unmask for transformers to load.
# Then, with the device tool: run `bash scripts/gpu/check.sh` with carry [".gpu"].
#   scripts/gpu/prepare.sh [SHARED_DIR]     (SHARED_DIR defaults to ../shared)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED="${1:-$ROOT/../shared}"
OUT="$ROOT/.gpu"
cd "$ROOT"
mvn -B -q -ntp -DskipTests -pl diffusion -am package
rm -rf "$OUT"
mkdir -p "$OUT/lib"
jlink --add-modules java.base,java.logging,java.management,java.naming,java.sql,jdk.unsupported,java.xml \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/jre"
cp diffusion/target/lib/*.jar "$OUT/lib/"
rm "$OUT"/lib/pytorch-native-cpu-*.jar
# the tokenizers jar carries natives for five platforms: keep linux-x86_64's
zip -q -d "$OUT"/lib/tokenizers-*.jar 'native/lib/win-*' 'native/lib/osx-*' 'native/lib/linux-aarch64/*'
(cd diffusion/target/classes && zip -q -r "$OUT/lib/unmask-diffusion.jar" .)
cp "$SHARED/gpu/libdjl_torch-2.11.0-cu130-bf16.so" "$OUT/"
cp -r diffusion/src/test/resources/hf-parity "$OUT/hf-parity"
# a checkpoint written by Unmask (BPE tokenizer trained here), for transformers to load there
corpus="$OUT/corpus.txt"
for i in $(seq 1 200); do echo "the cat sat on the mat and the dog ran in the park number $i ."; done > "$corpus"
./unmask train --model preset:tiny --corpus "$corpus" --out "$OUT/written" --steps 3 --batch-size 4 \
  --seq-len 32 --vocab-size 400 --eval-samples 0 --device cpu >/dev/null
rm -rf "$OUT"/written/checkpoint-*
# a small corpus for the training smoke runs there (fp32 and fp16 mixed precision)
head -c 400000 "${BROWN:-/tmp/brown.txt}" > "$OUT/train-corpus.txt" 2>/dev/null || cp "$corpus" "$OUT/train-corpus.txt"
rm -f "$corpus"
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
du -sh "$OUT"
