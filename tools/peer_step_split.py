"""Where the PyTorch peer's training step goes: the pytorch-nested-unet recipe of
../shared/reference/small_image_recipe.py (its own model, data, augmentation, loss and SGD, imported, not
copied), one epoch, with the clock read between the parts of each step, in the order and with the names of
`seg4j train --profile`; then torch.profiler over a few steps, ops by self time. The seg4j side of
tools/step_split_vs_peer.sh. Counts steps after the same warm-up as seg4j (8), traces steps 5..7.

  python tools/peer_step_split.py DATA --arch unet|nested-unet [--deep-supervision] [--threads 2]"""
import argparse, json, os, random, sys, time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

WARMUP, TRACED_FROM, TOP = 8, 5, 15


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data"); ap.add_argument("--arch", default="unet"); ap.add_argument("--deep-supervision", action="store_true")
    ap.add_argument("--threads", type=int, default=2); ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.shared, "reference"))
    import small_image_recipe as r
    torch.set_num_threads(a.threads); torch.manual_seed(a.seed); rng = random.Random(a.seed)
    mean, std = np.array([0.485, 0.456, 0.406], np.float32), np.array([0.229, 0.224, 0.225], np.float32)
    ids = open(f"{a.data}/train.txt").read().split()
    X = [np.asarray(Image.open(f"{a.data}/images/{i}.png").convert("RGB"), np.float32) / 255 for i in ids]
    Y = [(np.asarray(Image.open(f"{a.data}/masks/0/{i}.png")) > 127).astype(np.float32) for i in ids]

    def augment(x, y):  # small_image_recipe.py's, line for line
        k = rng.randrange(4); x, y = np.rot90(x, k), np.rot90(y, k)
        d = rng.choice([-1, 0, 1])
        if d in (0, -1): x, y = x[::-1], y[::-1]
        if d in (1, -1): x, y = x[:, ::-1], y[:, ::-1]
        c = rng.randrange(3)
        if c == 0: x = x + rng.uniform(-0.2, 0.2)
        elif c == 1: x = (x - x.mean()) * rng.uniform(0.8, 1.2) + x.mean()
        else: g = x.mean(2, keepdims=True); x = g + (x - g) * rng.uniform(0.7, 1.3)
        return np.clip(x, 0, 1), y

    def bce_dice(logit, t):
        p = torch.sigmoid(logit).flatten(1); tt = t.flatten(1)
        dice = (2 * (p * tt).sum(1) + 1e-5) / (p.sum(1) + tt.sum(1) + 1e-5)
        return 0.5 * F.binary_cross_entropy_with_logits(logit, t) + (1 - dice.mean())

    model = r.NestedUNet(1, 3, a.deep_supervision) if a.arch == "nested-unet" else r.UNet(1, 3)
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)
    parts = ["augment (on the training thread)", "batch assembly and host-to-tensor copy", "forward",
             "loss, and reading it on the host", "backward", "optimizer step and zero_grad"]
    sums, counted, bs = [0.0] * len(parts), 0, 16
    order = list(range(len(X))); rng.shuffle(order); model.train()
    prof = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True)
    for b in range(len(order) // bs):
        if b == TRACED_FROM: prof.__enter__()
        t = [time.perf_counter()]
        xs, ys = zip(*(augment(X[i], Y[i]) for i in order[b * bs:(b + 1) * bs])); t.append(time.perf_counter())
        x = (np.stack(xs) - mean) / std
        x = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
        y = torch.from_numpy(np.ascontiguousarray(np.stack(ys)[:, None])); t.append(time.perf_counter())
        out = model(x); t.append(time.perf_counter())
        loss = sum(bce_dice(o, y) for o in out) / len(out) if isinstance(out, list) else bce_dice(out, y)
        loss.item(); t.append(time.perf_counter())
        opt.zero_grad(); loss.backward(); t.append(time.perf_counter())
        opt.step(); t.append(time.perf_counter())
        if b == WARMUP - 1: prof.__exit__(None, None, None)
        if b >= WARMUP:
            counted += 1
            for i in range(len(parts)): sums[i] += t[i + 1] - t[i]
    total = sum(sums)
    print(f"PyTorch {torch.__version__} step profile: {counted} steps of {bs}x3x96x96 after {WARMUP} warm-up steps,"
          f" {counted * bs / total:.2f} train img/s")
    print(f"  {'part':42s} {'ms/step':>9s} {'share':>7s}")
    for p, s in zip(parts, sums):
        print(f"  {p:42s} {s * 1e3 / counted:9.1f} {100 * s / total:6.1f}%")
    print(f"  {'step':42s} {total * 1e3 / counted:9.1f} {100.0:6.1f}%")
    traced = WARMUP - TRACED_FROM
    ev = [e for e in prof.key_averages()]
    print(f"native ops (torch.profiler, {traced} steps before the counted ones): "
          f"{sum(e.count for e in ev) // traced} per step; the top {TOP} by self time:")
    print(f"  {'op':42s} {'calls':>9s} {'ms/step':>9s}")
    for e in sorted(ev, key=lambda e: -e.self_cpu_time_total)[:TOP]:
        print(f"  {e.key:42s} {e.count // traced:9d} {e.self_cpu_time_total / 1e3 / traced:9.1f}")
    print(json.dumps({"impl": f"pytorch {torch.__version__}", "arch": a.arch, "ds": a.deep_supervision,
                      "steps": counted, "ms_per_step": {p: round(s * 1e3 / counted, 2) for p, s in zip(parts, sums)}}))


if __name__ == "__main__":
    main()
