#!/bin/bash
# Wall time and peak RSS of `seg4j predict` on a 10000x10000 RGB PNG (issue 9 item 12), for a
# seg4j.jar (with its lib/ beside it) given as JARDIR; run once per build to compare before/after.
# The model is a TorchScript 1x1 conv (3 -> 2 classes) so that the network's time does not hide
# what predict itself costs; pass a run folder as MODEL to use a seg4j run instead.
# Needs python with numpy, PIL and torch (e.g. /tmp/venv-torch/bin/python).
# Usage: tools/big_image_predict_bench.sh JARDIR WORKDIR [SIDE] [JAVA_OPTS...]
#   e.g. tools/big_image_predict_bench.sh target /tmp/bigbench 10000 -Xmx1g
set -euo pipefail
jar=$(cd "$1" && pwd); work=$2; side=${3:-10000}; shift $(( $# < 3 ? $# : 3 ))
py=${PYTHON:-/tmp/venv-torch/bin/python}
mkdir -p "$work" && cd "$work"
[ -f "big$side.png" ] || "$py" - "$side" <<'PY'
import sys, numpy as np
from PIL import Image
s = int(sys.argv[1]); y = np.arange(s, dtype=np.int32)[:, None]; x = np.arange(s, dtype=np.int32)[None, :]
img = np.empty((s, s, 3), np.uint8)
img[..., 0] = (x * 7 + y * 3) % 256; img[..., 1] = ((x // 50 + y // 50) % 2) * 180 + 30; img[..., 2] = (x ^ y) % 256
Image.fromarray(img).save(f"big{s}.png")
PY
[ -f conv1x1.pt ] || "$py" - <<'PY'
import torch
m = torch.nn.Conv2d(3, 2, 1)
with torch.no_grad():
    m.weight.copy_(torch.tensor([[[[1.0]], [[-0.5]], [[0.3]]], [[[-0.7]], [[0.8]], [[0.1]]]]))
    m.bias.copy_(torch.tensor([0.1, -0.2]))
torch.jit.trace(m.eval(), torch.zeros(1, 3, 32, 32)).save("conv1x1.pt")
PY
model=(--torchscript conv1x1.pt --classes 2 --in-channels 3 --side-multiple 32)
[ -n "${MODEL:-}" ] && model=(--run "$MODEL")
out=out-$side-$(date +%s); mkdir -p "$out"
set +e
/usr/bin/time -v java "$@" -jar "$jar/seg4j.jar" predict "${model[@]}" --input "big$side.png" \
  --output "$out" > "$out.stdout" 2> "$out.stderr"
echo "exit $? (load $(cut -d' ' -f1 /proc/loadavg))"
grep -E "Elapsed \(wall|Maximum resident" "$out.stderr"
grep -E "^seg4j|OutOfMemoryError" "$out.stderr" | head -3
