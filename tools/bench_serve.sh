#!/usr/bin/env bash
# Load benchmark of `seg4j serve` (issue 12), on this machine, in one go:
#   (a) serve --max-batch 8 (batching on):  C clients x R requests of the ISBI 2012 test images (512x512)
#   (b) serve --max-batch 1 (batching off): the same load
#   (c) seg4j predict --save mask on the same images, one process: its own img/s
#   (d) serve --max-batch 8, 10,000 requests of small crops (--rss-size, default 128x128) with the
#       server's RSS sampled every 500 requests: start, end, max and the slope per 1000 requests,
#       over the whole run and over its second half. That server's JVM runs with a fixed heap that
#       is touched at start (-Xms1g -Xmx1g -XX:+AlwaysPreTouch), so the RSS does not rise merely
#       because the heap's pages are used for the first time; --rss-heap none keeps the defaults.
# and prints a markdown table for the README. Logs, JSON lines and the table go to --out.
# Usage: tools/bench_serve.sh [--run runs/NAME] [--clients 8] [--requests 100] [--warmup 10]
#          [--images DIR] [--count N (0: all)] [--size S (centre crops, 0: as they are)]
#          [--rss-requests 10000] [--rss-size 128] [--rss-warmup 50] [--rss-every 500] [--rss-heap 1g]
#          [--max-batch 8] [--max-delay-ms 5] [--port 0] [--out DIR] [--quick]
# --quick (or SEG4J_BENCH_QUICK=1): 8 images cropped to 128x128, 8 clients x 3 requests, 200 RSS
# requests of 64x64; a smoke check of a minute or two on an idle machine, not figures for the README.
# Without --run it uses runs/bench-serve-isbi32 and trains it first when missing (configs/isbi-unet32.yml,
# one epoch of 8 crops, a few minutes on 2 cores: throughput does not depend on how well a model is
# trained); --quick without that run trains runs/bench-serve-isbi8 (base 8) instead.
# Needs: target/seg4j.jar (built here with ./mvnw -B -q -o package -DskipTests when missing), curl,
# python3 (standard library only), and the ISBI 2012 data in $SEG4J_SHARED (default ../shared, or
# the one beside the main checkout when this is a git worktree).
# Run it on an idle machine: every figure is wall-clock time.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SEG4J_SHARED:-$here/../shared}"
if [ -z "${SEG4J_SHARED:-}" ] && [ ! -d "$shared" ]; then
  # a git worktree: the shared folder sits beside the main checkout
  common="$(git -C "$here" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
  if [ -n "$common" ]; then shared="$(dirname "$common")/../shared"; fi
fi
quick="${SEG4J_BENCH_QUICK:-0}"
run="" clients=8 requests=100 warmup=10 images="" count=0 size=0 rss_requests=10000 rss_size=128
rss_warmup=50 rss_every=500 rss_heap=1g max_batch=8 max_delay=5 port=0 out="$here/target/bench-serve"
set_by_user=" "
while [ $# -gt 0 ]; do
  set_by_user+="$1 "
  case "$1" in
    --run) run=$2; shift 2;; --clients) clients=$2; shift 2;; --requests) requests=$2; shift 2;;
    --warmup) warmup=$2; shift 2;; --images) images=$2; shift 2;; --count) count=$2; shift 2;;
    --size) size=$2; shift 2;;
    --rss-requests) rss_requests=$2; shift 2;; --rss-size) rss_size=$2; shift 2;;
    --rss-warmup) rss_warmup=$2; shift 2;; --rss-every) rss_every=$2; shift 2;;
    --rss-heap) rss_heap=$2; shift 2;;
    --max-batch) max_batch=$2; shift 2;; --max-delay-ms) max_delay=$2; shift 2;;
    --port) port=$2; shift 2;; --out) out=$2; shift 2;; --quick) quick=1; shift;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "bench_serve.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
# paths given are relative to where the script was started; it works from the repository root
abs() { case "$1" in ""|/*) printf '%s' "$1";; *) printf '%s' "$PWD/$1";; esac; }
run="$(abs "$run")" images="$(abs "$images")" out="$(abs "$out")" shared="$(abs "$shared")"
# --quick: small defaults for what was not given
if [ "$quick" = 1 ]; then
  q() { case "$set_by_user" in *" --$1 "*) ;; *) printf -v "$2" '%s' "$3";; esac; }
  q count count 8; q size size 128; q requests requests 3; q warmup warmup 1
  q rss-requests rss_requests 200; q rss-size rss_size 64; q rss-warmup rss_warmup 2
  q rss-every rss_every 50
fi
if [ $((rss_requests % clients)) -ne 0 ]; then
  echo "bench_serve.sh: --rss-requests $rss_requests is not a multiple of --clients $clients" >&2
  exit 2
fi
for tool in curl python3 java; do
  command -v "$tool" >/dev/null || { echo "bench_serve.sh: needs $tool on the PATH" >&2; exit 2; }
done

cd "$here"
jar="$here/target/seg4j.jar"
if [ ! -f "$jar" ]; then
  echo "# target/seg4j.jar is missing: ./mvnw -B -q -o package -DskipTests" >&2
  ./mvnw -B -q -o package -DskipTests
fi
S=(java -jar "$jar")
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.log "$out"/*.metrics "$out"/*.stop "$out"/predict.wall "$out"/table.md
tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# the run: given, reused, or trained now
if [ -z "$run" ]; then
  run="runs/bench-serve-isbi32"
  base=32
  if [ "$quick" = 1 ] && [ ! -d "$run/checkpoints" ]; then
    run="runs/bench-serve-isbi8"
    base=8
  fi
  if [ ! -d "$run/checkpoints" ]; then
    echo "# training $run (configs/isbi-unet32.yml, base $base, 1 epoch of 8 crops): its weights do not matter here" >&2
    "${S[@]}" train --config configs/isbi-unet32.yml --data "$shared/data/isbi2012/train" \
      --name "$(basename "$run")" --runs "$(dirname "$run")" --base "$base" --epochs 1 \
      --set data.samples_per_epoch=8 --no-progress --overwrite > "$out/train.log" 2>&1 \
      || { tail -n 20 "$out/train.log" >&2; exit 1; }
  fi
fi
[ -d "$run" ] || { echo "bench_serve.sh: no run folder $run" >&2; exit 2; }
model="$(basename "$run")"

# the images: the first --count of the folder (all with --count 0), and small crops for the RSS run
src="${images:-$shared/data/isbi2012/test/images}"
[ -d "$src" ] || { echo "bench_serve.sh: no image folder $src (set SEG4J_SHARED or --images)" >&2; exit 2; }
mkdir -p "$tmp/chosen" "$tmp/images" "$tmp/small"
n=0
while IFS= read -r f; do
  ln -s "$f" "$tmp/chosen/$(basename "$f")"
  n=$((n + 1))
  [ "$count" -gt 0 ] && [ "$n" -ge "$count" ] && break
done < <(find "$src" -maxdepth 1 -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \
  -o -iname '*.tif' -o -iname '*.tiff' \) | sort -V)
[ "$n" -gt 0 ] || { echo "bench_serve.sh: no images in $src" >&2; exit 2; }
cat > "$tmp/Crop.java" <<'JAVA'
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/** Centre crops (or pads, when smaller) every image of a folder to SIDE x SIDE PNGs. */
public class Crop {
  public static void main(String[] a) throws Exception {
    int side = Integer.parseInt(a[2]);
    for (File f : new File(a[0]).listFiles()) {
      BufferedImage in = ImageIO.read(f);
      if (in == null) continue;
      int type = in.getType() == BufferedImage.TYPE_CUSTOM ? BufferedImage.TYPE_INT_RGB : in.getType();
      BufferedImage out = new BufferedImage(side, side, type);
      int x0 = Math.max(0, (in.getWidth() - side) / 2), y0 = Math.max(0, (in.getHeight() - side) / 2);
      out.getGraphics().drawImage(in.getSubimage(x0, y0, Math.min(side, in.getWidth()),
          Math.min(side, in.getHeight())), 0, 0, null);
      String name = f.getName().replaceAll("\\.[^.]*$", "") + ".png";
      ImageIO.write(out, "png", new File(a[1], name));
    }
  }
}
JAVA
if [ "$size" -gt 0 ]; then
  java "$tmp/Crop.java" "$tmp/chosen" "$tmp/images" "$size"
else
  cp -P "$tmp"/chosen/* "$tmp/images/"
fi
java "$tmp/Crop.java" "$tmp/chosen" "$tmp/small" "$rss_size"
shown="$(python3 - "$tmp/images" <<'PY'
import os, struct, sys
d = sys.argv[1]
f = sorted(os.listdir(d))[0]
with open(os.path.join(d, f), "rb") as fh:
    head = fh.read(24)
print("%dx%d" % struct.unpack(">II", head[16:24]) if head[:8] == b"\x89PNG\r\n\x1a\n" else "?")
PY
)"

# starts seg4j serve with --max-batch $1 (log: $out/serve_$2.log) and JVM options $3...,
# waits until /health/ready is 200
serve_start() {
  local mb=$1 log="$out/serve_$2.log" deadline=$((SECONDS + 600))
  shift 2
  java "$@" -jar "$jar" serve --run "$run" --port "$port" --max-batch "$mb" --max-delay-ms "$max_delay" > "$log" 2>&1 &
  server_pid=$!
  url=""
  while :; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "bench_serve.sh: seg4j serve --max-batch $mb exited before it was ready:" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    if [ -z "$url" ]; then
      if [ "$port" != 0 ]; then
        url="http://127.0.0.1:$port/"
      else
        url="$(grep -o -m 1 'seg4j serve: http://[^ ]*' "$log" | sed 's/^seg4j serve: //' || true)"
      fi
    fi
    if [ -n "$url" ] && curl -fsS -o /dev/null "${url%/}/health/ready" 2>/dev/null; then
      break
    fi
    [ "$SECONDS" -lt "$deadline" ] || { echo "bench_serve.sh: not ready within 600 s" >&2; exit 1; }
    sleep 0.5
  done
  echo "# seg4j serve --run $run --max-batch $mb: $url (pid $server_pid) ready" >&2
}

# saves /metrics to $out/$1.metrics, then SIGTERM, and the exit code (the contract: finishes what
# is in flight and exits 0)
serve_stop() {
  local rc=0
  # the server's own view (batch size histogram, latency, native memory) for the logs
  curl -fsS -o "$out/$1.metrics" "${url%/}/metrics" || echo "# no /metrics from the server" >&2
  kill -TERM "$server_pid"
  wait "$server_pid" || rc=$?
  echo "# seg4j serve stopped with exit code $rc" >&2
  server_pid=""
  echo "$rc" > "$out/$1.stop"
}

# bench-serve against the running server; the last line (JSON) goes to $out/NAME.json
bench() {
  local name=$1; shift
  echo "# seg4j bench-serve $*" >&2
  "${S[@]}" bench-serve --url "$url" --model "$model" --allow-errors "$@" | tee "$out/$name.log" >&2
  tail -n 1 "$out/$name.log" > "$out/$name.json"
}

t_start=$SECONDS
serve_start "$max_batch" batch_on
bench batch_on --images "$tmp/images" --clients "$clients" --requests "$requests" --warmup "$warmup"
serve_stop batch_on

serve_start 1 batch_off
bench batch_off --images "$tmp/images" --clients "$clients" --requests "$requests" --warmup "$warmup"
serve_stop batch_off

echo "# seg4j predict --run $run --input ($n images) --save mask" >&2
p0=$(date +%s.%N)
"${S[@]}" predict --run "$run" --input "$tmp/images" --output "$tmp/predicted" --save mask \
  | tee "$out/predict.log" >&2
p1=$(date +%s.%N)
echo "$p0 $p1" > "$out/predict.wall"

heap=()
[ "$rss_heap" = none ] || heap=("-Xms$rss_heap" "-Xmx$rss_heap" -XX:+AlwaysPreTouch)
serve_start "$max_batch" rss "${heap[@]}"
bench rss --images "$tmp/small" --clients "$clients" --requests $((rss_requests / clients)) \
  --warmup "$rss_warmup" --pid "$server_pid" --rss-every "$rss_every"
serve_stop rss

python3 - "$out" "$n" "$shown" "$rss_size" "$max_batch" "$max_delay" "${run#"$here"/}" "$quick" \
  "$rss_every" "$rss_heap" "$((SECONDS - t_start))" <<'PY' | tee "$out/table.md"
import json, os, re, subprocess, sys
out, n, size, rss_size, mb, delay, run, quick, every, heap, took = sys.argv[1:]
r = {k: json.load(open(os.path.join(out, k + ".json"))) for k in ("batch_on", "batch_off", "rss")}
stop = {k: open(os.path.join(out, k + ".stop")).read().strip() for k in r}

def f(v, d=1):
    return "n/a" if v is None else f"{v:.{d}f}"

def errors(j):
    return str(j["error_count"]) if not j["errors"] else \
        f'{j["error_count"]} (' + ", ".join(f"{k}: {v}" for k, v in j["errors"].items()) + ")"

rows = [("batch_on", f"serve --max-batch {mb} --max-delay-ms {delay}, {size}"),
        ("batch_off", f"serve --max-batch 1 (batching off), {size}"),
        ("rss", f"serve --max-batch {mb}, {rss_size}x{rss_size} (RSS run)")]
cpu = os.cpu_count()
cfg = open(os.path.join(run if run.startswith("/") else os.path.join(os.getcwd(), run), "config.yml")).read()
arch = re.search(r"^\s+arch:\s*(\S+)", cfg, re.M)
base = re.search(r"^\s+base:\s*(\S+)", cfg, re.M)
model = (arch.group(1).strip("\x27\"") if arch else "?") + (f" base {base.group(1)}" if base else "")
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print()
if quick == "1":
    print("**--quick: a smoke check, too few requests for README figures.**\n")
print(f"`tools/bench_serve.sh`, run `{run}` ({model}), {n} images, {cpu} cores, {java}, output=mask, "
      f"each client one HTTP/1.1 connection sending its requests one after another:\n")
print("| setting | clients | requests | img/s | p50 ms | p95 ms | p99 ms | errors | mean batch |")
print("|---|---|---|---|---|---|---|---|---|")
for k, label in rows:
    j = r[k]
    print(f'| {label} | {j["clients"]} | {j["requests"]} | {f(j["img_per_s"], 2)} | {f(j["p50_ms"])} '
          f'| {f(j["p95_ms"])} | {f(j["p99_ms"])} | {errors(j)} | {f(j["mean_batch_size"], 2)} |')
print()
log = open(os.path.join(out, "predict.log")).read()
m = re.search(r"predicted (\d+) image\(s\) in ([\d.]+)s \(([\d.]+) img/s\)", log)
p0, p1 = map(float, open(os.path.join(out, "predict.wall")).read().split())
if m:
    print(f"seg4j predict --save mask on the same {m.group(1)} images ({size}), one process: "
          f"**{m.group(3)} img/s** ({m.group(2)} s by predict's own clock: after the model is loaded, "
          f"decode + forward + PNG write, the first image included); {p1 - p0:.1f} s wall with JVM "
          f"start and model load ({int(m.group(1)) / (p1 - p0):.2f} img/s).")
else:
    print(f"seg4j predict: no 'predicted N image(s)' line in {out}/predict.log; "
          f"{p1 - p0:.1f} s wall for {n} images with JVM start and model load.")
j = r["rss"]
warm = j["clients"] * j["warmup_per_client"]
jvm = "JVM defaults" if heap == "none" else f"-Xms{heap} -Xmx{heap} -XX:+AlwaysPreTouch"
print(f'\nServer RSS over {j["requests"]} requests ({rss_size}x{rss_size}, --max-batch {mb}, {jvm}, after '
      f'{warm} warm-up requests): start {f(j.get("rss_start_mb"))} MB, end {f(j.get("rss_end_mb"))} MB, '
      f'max {f(j.get("rss_max_mb"))} MB; slope {f(j.get("rss_slope_mb_per_1000"), 3)} MB per 1000 requests '
      f'over the run, {f(j.get("rss_late_slope_mb_per_1000"), 3)} over its second half '
      f'(least squares over {j.get("rss_samples")} samples: at the start, then every {every} requests).')
bad = {k: v for k, v in stop.items() if v != "0"}
if bad:
    print(f"\nseg4j serve did not exit 0 on SIGTERM: {bad}")
print(f"\n({took} s in all; logs and JSON lines in {out})")
PY
