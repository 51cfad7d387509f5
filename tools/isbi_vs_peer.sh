#!/usr/bin/env bash
# Trains the ISBI 2012 recipe with seg4j (configs/isbi-unet32.yml) and with the PyTorch reference
# (shared/reference/isbi_unet.py) back to back on this machine, and prints both results and the
# seg4j/PyTorch throughput ratio. Usage: tools/isbi_vs_peer.sh [--epochs 30] [--rounds 1]
# With --rounds N it alternates N times (seg4j, PyTorch, seg4j, ...) and reports every round, so
# machine noise shows. Needs target/seg4j.jar and the peer's venv (shared/reference/setup-torch.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SEG4J_SHARED:-$here/../shared}"
epochs=30 rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs=$2; shift 2;; --rounds) rounds=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
venv="$("$shared/reference/setup-torch.sh" /tmp/venv-torch)"
out="$(mktemp -d /tmp/isbi-vs-peer.XXXXXX)"
for r in $(seq 1 "$rounds"); do
  echo "# round $r: seg4j train --config configs/isbi-unet32.yml --epochs $epochs" >&2
  (cd "$here" && java -jar target/seg4j.jar train --config configs/isbi-unet32.yml \
      --epochs "$epochs" --runs "$out" --name "seg4j-$r" --no-progress) | tee "$out/seg4j-$r.txt" >&2
  echo "# round $r: isbi_unet.py --epochs $epochs" >&2
  (cd "$shared/reference" && "$venv/bin/python" isbi_unet.py "$shared/data/isbi2012/train" \
      --epochs "$epochs") | tee "$out/torch-$r.txt" >&2
done
python3 - "$out" "$rounds" <<'PY'
import csv, json, sys, statistics
out, rounds = sys.argv[1], int(sys.argv[2])
ratios = []
for r in range(1, rounds + 1):
    rows = list(csv.DictReader(open(f"{out}/seg4j-{r}/log.csv")))
    # 100 crops per epoch (the recipe); seconds = training time of each epoch, validation excluded
    ips = round(100 * len(rows) / sum(float(x["seconds"]) for x in rows), 3)
    miou = [float(x["val_miou"]) for x in rows]
    iou = [round(float(rows[-1][k]), 4) for k in rows[-1] if k.startswith("iou_")]
    s = {"impl": "seg4j", "round": r, "epochs": len(rows), "miou": round(miou[-1], 4),
         "miou_last5_mean": round(statistics.mean(miou[-5:]), 4), "iou": iou, "train_img_per_s": ips}
    p = json.loads(open(f"{out}/torch-{r}.txt").read().strip().splitlines()[-1])
    p = {"impl": "pytorch " + p["torch"], "round": r, "epochs": p["epochs"], "miou": p["miou"],
         "miou_last5_mean": p["miou_last5_mean"], "iou": p["iou"], "train_img_per_s": p["train_img_per_s"]}
    ratios.append(s["train_img_per_s"] / p["train_img_per_s"])
    print(json.dumps(s)); print(json.dumps(p))
    print(json.dumps({"round": r, "train_ratio": round(ratios[-1], 3),
                      "miou_last5_diff": round(s["miou_last5_mean"] - p["miou_last5_mean"], 4)}))
print(json.dumps({"rounds": rounds, "train_ratio_mean": round(statistics.mean(ratios), 3)}))
PY
