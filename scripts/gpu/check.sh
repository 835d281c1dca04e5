#!/usr/bin/env bash
# Runs on the GPU machine (device tool, carry [".gpu"]), after scripts/gpu/prepare.sh here:
# 1) the encoder's parity with transformers on the GPU, float32; 2) a forward benchmark on the GPU
# in float32 and float16; 3) training fp32 and fp16 (mixed precision); 4) transformers loading a
# checkpoint folder that Unmask wrote.
# Results go to $OUT (or ./gpu-out).
set -uo pipefail
OUT="${OUT:-gpu-out}"
mkdir -p "$OUT"
PY="${PY:-/opt/torch/.venv/bin/python3}"; [[ -x "$PY" ]] || PY=python3
TORCH=$("$PY" -c "import torch,os;print(os.path.dirname(torch.__file__))")
cp .gpu/libdjl_torch-2.11.0-cu130-bf16.so "$TORCH/lib/libdjl_torch.so"
export LD_LIBRARY_PATH="$TORCH/lib:$(ls -d "$TORCH"/../nvidia/*/lib | tr '\n' ':')"
export PYTORCH_LIBRARY_PATH="$TORCH/lib" PYTORCH_VERSION=2.11.0 PYTORCH_FLAVOR=cu130
export PYTORCH_LIBRARY_EXCLUSION=libtorch_python.so,libshm.so DJL_CACHE_DIR=/tmp/djl OPT_OUT_TRACKING=true
unmask() {
  .gpu/jre/bin/java -Xmx8g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp ".gpu/lib/*" dev.unmask.diffusion.cli.UnmaskCli "$@"
}
for m in tiny-roberta tiny-bert; do
  unmask parity ".gpu/hf-parity/$m" ".gpu/hf-parity/$m/parity.safetensors" --device gpu > "$OUT/parity-$m.json" 2>&1
  echo "parity $m exit $?: $(head -c 400 "$OUT/parity-$m.json")"
done
unmask inspect .gpu/written --device gpu --dtype float16 > "$OUT/inspect-fp16.json" 2>&1; cat "$OUT/inspect-fp16.json"
unmask bench forward --device gpu --rounds 10 --warmup 3 > "$OUT/forward-fp32.txt" 2>&1; grep -v '^{' "$OUT/forward-fp32.txt"
unmask bench forward --device gpu --dtype float16 --rounds 10 --warmup 3 > "$OUT/forward-fp16.txt" 2>&1; grep -v '^{' "$OUT/forward-fp16.txt"
# training on the GPU: fp32, then fp16 mixed precision (same seed; losses should track each other)
for p in fp32 fp16; do
  unmask train --model preset:small --corpus .gpu/train-corpus.txt --out "/tmp/train-$p" --vocab-size 2000 \
    --steps 200 --batch-size 32 --seq-len 128 --learning-rate 5e-4 --checkpoint-every 100 --eval-samples 2 \
    --device gpu --precision "$p" --log-every 50 > "$OUT/train-$p.txt" 2>&1
  echo "train $p exit $?"; tail -6 "$OUT/train-$p.txt"
done
"$PY" - <<'PY' > "$OUT/transformers-load.txt" 2>&1
import torch
from transformers import AutoModelForMaskedLM, AutoTokenizer
d = ".gpu/written"
model = AutoModelForMaskedLM.from_pretrained(d)
tok = AutoTokenizer.from_pretrained(d)
enc = tok("the cat sat on the mat", return_tensors="pt")
print(type(model).__name__, type(tok).__name__, enc["input_ids"].tolist(), tok.mask_token, tok.mask_token_id)
print("logits", tuple(model(**enc).logits.shape))
PY
echo "transformers load exit $?"; cat "$OUT/transformers-load.txt"
