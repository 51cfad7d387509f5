#!/usr/bin/env bash
# Small images side by side (issue "Small images as fast as PyTorch"): the pytorch-nested-unet recipe at
# 96x96, batch 16, trained by the PyTorch peer (../shared/reference/small_image_recipe.py) and by seg4j
# (configs/small-image-recipe-*.yml) on the same folder, back to back, in one run; prints both JSON
# results and the ratio of training throughput (training steps only, validation excluded on both sides).
# Usage: tools/small_vs_peer.sh [--data DIR] [--epochs 2] [--arch unet|nested-unet|nested-unet-ds|all]
#   --data DIR   a per-class 96x96 folder (default: target/small96, made with --make-synthetic when missing)
# Needs target/seg4j.jar and the venv of ../shared/reference/setup-torch.sh (/tmp/venv-torch).
# Run it on an idle machine: every figure is wall-clock time.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SEG4J_SHARED:-$here/../shared}"
data="$here/target/small96" epochs=2 which=all
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2;; --epochs) epochs=$2; shift 2;; --arch) which=$2; shift 2;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "small_vs_peer.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
py="$(bash "$shared/reference/setup-torch.sh")/bin/python"
recipe="$shared/reference/small_image_recipe.py"
cd "$here"
[ -f target/seg4j.jar ] || ./mvnw -B -q -o package -DskipTests
[ -d "$data/images" ] || "$py" "$recipe" --make-synthetic "$data"
out="$here/target/small-vs-peer"; mkdir -p "$out"
case "$which" in all) archs="unet nested-unet nested-unet-ds";; *) archs="$which";; esac
for a in $archs; do
  arch=${a%-ds}; ds=false; pyds=""
  if [ "$a" = nested-unet-ds ]; then ds=true; pyds=--deep-supervision; fi
  echo "# $a: PyTorch peer, $epochs epoch(s)"
  "$py" "$recipe" "$data" --arch "$arch" $pyds --epochs "$epochs" --threads 2 | tee "$out/$a.peer.log"
  peer=$(tail -1 "$out/$a.peer.log")
  echo "# $a: seg4j, $epochs epoch(s)"
  set=(); [ "$arch" = nested-unet ] && set=(--set "model.options.deep_supervision=$ds")
  rm -rf "runs/small-vs-peer-$a"   # this script's own scratch run
  java -jar target/seg4j.jar train --config "configs/small-image-recipe-$arch.yml" --data "$data" \
    --name "small-vs-peer-$a" --epochs "$epochs" --no-progress "${set[@]}" \
    2>&1 | grep -v 'Warning: AutoNonVariableTypeMode' | tee "$out/$a.seg4j.log"
  ours=$(grep -o '[0-9.]* train img/s' "$out/$a.seg4j.log" | tail -1 | cut -d' ' -f1)
  theirs=$("$py" -c 'import json,sys; d=json.loads(sys.argv[1]); print(d.get("train_img_per_s") or d.get("img_per_s"))' "$peer")
  echo "{\"arch\":\"$a\",\"epochs\":$epochs,\"seg4j_train_img_per_s\":$ours,\"peer\":$peer}" | tee "$out/$a.json"
  echo "$a: seg4j $ours img/s, PyTorch $theirs img/s, ratio $("$py" -c "print(f'{$ours/$theirs:.2f}')")x"
done
