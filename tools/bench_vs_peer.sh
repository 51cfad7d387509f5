#!/usr/bin/env bash
# Times seg4j's U-Net and the PyTorch peer (shared/reference/bench_unet.py) the same way, on this
# machine, in one run, and prints both JSON lines and the seg4j/PyTorch ratios.
# Usage: tools/bench_vs_peer.sh [--base 32] [--in-channels 1] [--classes 2] [--size 256] [--batch 4] [--steps 20] [--threads 2]
# Needs: target/seg4j.jar (./mvnw -B -q package -DskipTests) and the peer's venv
# (shared/reference/setup-torch.sh, which installs CPU torch from the machine's local wheelhouse).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SEG4J_SHARED:-$here/../shared}"
base=32 inch=1 classes=2 size=256 batch=4 steps=20 threads=2 rss=0
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2;; --in-channels) inch=$2; shift 2;; --classes) classes=$2; shift 2;;
    --size) size=$2; shift 2;; --batch) batch=$2; shift 2;; --steps) steps=$2; shift 2;;
    --threads) threads=$2; shift 2;; --rss-every) rss=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
venv="$("$shared/reference/setup-torch.sh" /tmp/venv-torch)"
args=(--base "$base" --in-channels "$inch" --classes "$classes" --size "$size" --batch "$batch" --steps "$steps" --threads "$threads")
echo "# seg4j bench ${args[*]}" >&2
s=$(java -jar "$here/target/seg4j.jar" bench --arch unet "${args[@]}" --rss-every "$rss" | tee /dev/stderr | tail -n 1)
echo "# pytorch bench_unet.py ${args[*]}" >&2
p=$(cd "$shared/reference" && "$venv/bin/python" bench_unet.py "${args[@]}" | tail -n 1)
echo "$s"
echo "$p"
python3 - "$s" "$p" <<'PY'
import json, sys
s, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps({"params_equal": s["params"] == p["params"],
                  "train_ratio": round(s["train_img_per_s"] / p["train_img_per_s"], 3),
                  "infer_ratio": round(s["infer_img_per_s"] / p["infer_img_per_s"], 3),
                  "seg4j_peak_rss_mb": s["peak_rss_mb"], "pytorch_peak_rss_mb": p["peak_rss_mb"]}))
PY
