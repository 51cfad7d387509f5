"""Golden fixtures for org.seg4j.loss and org.seg4j.metric.

Run:  /tmp/venv-torch/bin/python tools/gen_loss_fixtures.py
Writes small .npy files into seg4j-core/src/test/resources/golden/loss/ and .../golden/metric/.

Every loss is computed in float64 from float32 inputs; the value and d(loss)/d(logits) are saved.
References:
  * cross-entropy / BCE-with-logits: torch.nn.functional itself.
  * focal: written out below (kornia-style softmax focal for K>1, smp-style sigmoid focal for K=1).
  * soft Dice: segmentation_models_pytorch DiceLoss semantics, written out below.
  * Lovasz: Berman's lovasz_losses.py (lovasz_hinge, lovasz_softmax), copied below.
  * border weight map: U-Net paper (Ronneberger 2015, eq. 2), brute force in numpy.
  * metrics: bincount(truth * K + pred), as in shared/reference/isbi_unet.py evaluate().
"""

import os

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(__file__), "..", "seg4j-core", "src", "test", "resources", "golden")
LOSS = os.path.join(ROOT, "loss")
METRIC = os.path.join(ROOT, "metric")
IGNORE = 255


def save(d, name, arr):
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, name + ".npy"), np.ascontiguousarray(arr))


# ----------------------------------------------------------------------------- references


def ce(logits, target, weight=None, weight_map=None):
    if weight_map is None:
        return F.cross_entropy(logits, target, weight=weight, ignore_index=IGNORE)
    # per-pixel weight map: sum(wm * w[y] * nll) / sum(w[y]) over valid pixels
    nll = F.cross_entropy(logits, target, weight=weight, ignore_index=IGNORE, reduction="none")
    valid = target != IGNORE
    cw = torch.ones_like(weight_map) if weight is None else weight[target.clamp(max=logits.shape[1] - 1)]
    return (nll * weight_map)[valid].sum() / cw[valid].sum()


def bce(logits, target, pos_weight=None):
    """logits (N,1,H,W); target (N,H,W) 0/1 with IGNORE, mean over valid pixels."""
    x = logits[:, 0]
    valid = target != IGNORE
    y = torch.where(valid, target, torch.zeros_like(target)).to(x.dtype)
    pw = None if pos_weight is None else torch.tensor([pos_weight], dtype=x.dtype)
    per = F.binary_cross_entropy_with_logits(x, y, pos_weight=pw, reduction="none")
    return per[valid].mean()


def focal(logits, target, gamma=2.0, alpha=None):
    """K>1: FL = -alpha[y] (1 - p_y)^gamma log p_y, p = softmax; mean over valid pixels.
    K=1: p_t = sigmoid(x) if y=1 else 1 - sigmoid(x); FL = alpha_t (1 - p_t)^gamma BCE(x, y);
         alpha_t = alpha if y=1 else 1 - alpha (smp focal_loss_with_logits); mean over valid pixels."""
    valid = target != IGNORE
    if logits.shape[1] == 1:
        x = logits[:, 0]
        y = torch.where(valid, target, torch.zeros_like(target)).to(x.dtype)
        logpt = F.binary_cross_entropy_with_logits(x, y, reduction="none")
        pt = torch.exp(-logpt)
        loss = (1 - pt).pow(gamma) * logpt
        if alpha is not None:
            loss = loss * (alpha * y + (1 - alpha) * (1 - y))
        return loss[valid].mean()
    t = torch.where(valid, target, torch.zeros_like(target))
    logp = F.log_softmax(logits, dim=1).gather(1, t[:, None])[:, 0]
    p = logp.exp()
    loss = -(1 - p).pow(gamma) * logp
    if alpha is not None:
        loss = loss * torch.tensor(alpha, dtype=logits.dtype)[t]
    return loss[valid].mean()


def dice(logits, target, smooth=1.0, eps=1e-7, classes="all"):
    """smp DiceLoss(mode=multiclass|binary, from_logits=True, smooth, ignore_index).
    Sums over batch and pixels per class, dice_c = (2 I + s) / max(card + s, eps), loss_c = 1 - dice_c,
    zeroed for classes with no true pixels; 'all' = mean over all K classes (smp),
    'present' = mean over classes with true pixels only."""
    bs = target.shape[0]
    if logits.shape[1] == 1:
        yp = F.logsigmoid(logits).exp().view(bs, 1, -1)
        yt = target.view(bs, 1, -1)
        mask = yt != IGNORE
        yp = yp * mask
        yt = (yt * mask).to(yp.dtype)
    else:
        k = logits.shape[1]
        yp = logits.log_softmax(dim=1).exp().view(bs, k, -1)
        yt = target.view(bs, -1)
        mask = yt != IGNORE
        yp = yp * mask.unsqueeze(1)
        yt = F.one_hot((yt * mask).to(torch.long), k).permute(0, 2, 1) * mask.unsqueeze(1)
        yt = yt.to(yp.dtype)
    dims = (0, 2)
    inter = (yp * yt).sum(dims)
    card = (yp + yt).sum(dims)
    score = (2 * inter + smooth) / (card + smooth).clamp_min(eps)
    loss = 1 - score
    present = yt.sum(dims) > 0
    loss = loss * present.to(loss.dtype)
    if classes == "all":
        return loss.mean()
    return loss.sum() / present.sum()


# --- Berman, lovasz_losses.py (MIT), trimmed to what is used ---


def lovasz_grad(gt_sorted):
    p = len(gt_sorted)
    gts = gt_sorted.sum()
    intersection = gts - gt_sorted.float().cumsum(0)
    union = gts + (1 - gt_sorted).float().cumsum(0)
    jaccard = 1.0 - intersection / union
    if p > 1:
        jaccard[1:p] = jaccard[1:p] - jaccard[0:-1]
    return jaccard


def lovasz_hinge_flat(logits, labels):
    if len(labels) == 0:
        return logits.sum() * 0.0
    signs = 2.0 * labels.float() - 1.0
    errors = 1.0 - logits * signs
    errors_sorted, perm = torch.sort(errors, dim=0, descending=True)
    gt_sorted = labels[perm]
    grad = lovasz_grad(gt_sorted).to(errors.dtype)
    return torch.dot(F.relu(errors_sorted), grad)


def flatten_binary_scores(scores, labels, ignore=None):
    scores = scores.view(-1)
    labels = labels.view(-1)
    if ignore is None:
        return scores, labels
    valid = labels != ignore
    return scores[valid], labels[valid]


def lovasz_hinge(logits, labels, per_image=True, ignore=None):
    if per_image:
        losses = [
            lovasz_hinge_flat(*flatten_binary_scores(lg.unsqueeze(0), lb.unsqueeze(0), ignore))
            for lg, lb in zip(logits, labels)
        ]
        return sum(losses) / len(losses)
    return lovasz_hinge_flat(*flatten_binary_scores(logits, labels, ignore))


def lovasz_softmax_flat(probas, labels, classes="present"):
    if probas.numel() == 0:
        return probas * 0.0
    c_count = probas.size(1)
    losses = []
    for c in range(c_count):
        fg = (labels == c).to(probas.dtype)
        if classes == "present" and fg.sum() == 0:
            continue
        class_pred = probas[:, c]
        errors = (fg - class_pred).abs()
        errors_sorted, perm = torch.sort(errors, 0, descending=True)
        fg_sorted = fg[perm]
        losses.append(torch.dot(errors_sorted, lovasz_grad(fg_sorted).to(probas.dtype)))
    if not losses:
        return probas.sum() * 0.0
    return sum(losses) / len(losses)


def flatten_probas(probas, labels, ignore=None):
    b, c, h, w = probas.size()
    probas = probas.permute(0, 2, 3, 1).contiguous().view(-1, c)
    labels = labels.view(-1)
    if ignore is None:
        return probas, labels
    valid = labels != ignore
    return probas[valid.nonzero().squeeze(1)], labels[valid]


def lovasz_softmax(logits, labels, classes="present", per_image=False, ignore=None):
    probas = F.softmax(logits, dim=1)
    if per_image:
        losses = [
            lovasz_softmax_flat(*flatten_probas(p.unsqueeze(0), l.unsqueeze(0), ignore), classes=classes)
            for p, l in zip(probas, labels)
        ]
        return sum(losses) / len(losses)
    return lovasz_softmax_flat(*flatten_probas(probas, labels, ignore), classes=classes)


# ----------------------------------------------------------------------------- loss fixtures


def value_and_grad(fn, logits32):
    x = torch.from_numpy(logits32.astype(np.float64)).requires_grad_(True)
    v = fn(x)
    v.backward()
    return np.float64(v.item()), x.grad.numpy().astype(np.float64)


def loss_fixtures():
    rng = np.random.default_rng(1234)
    n, k, h, w = 2, 3, 6, 7
    logits = (rng.standard_normal((n, k, h, w)) * 2).astype(np.float32)
    target = rng.integers(0, k, (n, h, w)).astype(np.int64)
    target[rng.random((n, h, w)) < 0.15] = IGNORE
    absent = rng.integers(0, 2, (n, h, w)).astype(np.int64)  # class 2 absent
    absent[rng.random((n, h, w)) < 0.15] = IGNORE
    blogits = (rng.standard_normal((n, 1, h, w)) * 2).astype(np.float32)
    btarget = rng.integers(0, 2, (n, h, w)).astype(np.int64)
    btarget[rng.random((n, h, w)) < 0.15] = IGNORE
    btarget_float = rng.integers(0, 2, (n, 1, h, w)).astype(np.float32)
    wmap = (rng.random((n, h, w)) * 3 + 0.5).astype(np.float32)
    heads = (rng.standard_normal((3, n, k, h, w)) * 2).astype(np.float32)
    cw = [0.5, 1.0, 2.0]

    for name, arr in [
        ("logits", logits),
        ("target", target),
        ("target_absent", absent),
        ("blogits", blogits),
        ("btarget", btarget),
        ("btarget_float", btarget_float),
        ("weightmap", wmap),
        ("heads", heads),
    ]:
        save(LOSS, name, arr)

    t = torch.from_numpy(target)
    ta = torch.from_numpy(absent)
    bt = torch.from_numpy(btarget)
    btf = torch.from_numpy(btarget_float.astype(np.float64))
    wm = torch.from_numpy(wmap.astype(np.float64))
    cwt = torch.tensor(cw, dtype=torch.float64)

    cases = {
        "ce": (logits, lambda x: ce(x, t)),
        "ce_weighted": (logits, lambda x: ce(x, t, weight=cwt)),
        "ce_weightmap": (logits, lambda x: ce(x, t, weight_map=wm)),
        "bce_posweight": (
            blogits,
            lambda x: F.binary_cross_entropy_with_logits(
                x, btf, pos_weight=torch.tensor([3.0], dtype=torch.float64)
            ),
        ),
        "bce_ignore": (blogits, lambda x: bce(x, bt, pos_weight=3.0)),
        "focal": (logits, lambda x: focal(x, t, gamma=2.0)),
        "focal_alpha": (logits, lambda x: focal(x, t, gamma=1.5, alpha=[0.25, 0.5, 1.0])),
        "focal_binary": (blogits, lambda x: focal(x, bt, gamma=2.0, alpha=0.25)),
        "dice": (logits, lambda x: dice(x, t, smooth=1.0)),
        "dice_absent_all": (logits, lambda x: dice(x, ta, smooth=1.0, classes="all")),
        "dice_absent_present": (logits, lambda x: dice(x, ta, smooth=1.0, classes="present")),
        "dice_binary": (blogits, lambda x: dice(x, bt, smooth=1.0)),
        "ce_dice": (logits, lambda x: 0.6 * ce(x, t, weight=cwt) + 0.4 * dice(x, t, smooth=1.0)),
        "bce_dice": (blogits, lambda x: 0.5 * bce(x, bt, pos_weight=3.0) + 1.0 * dice(x, bt, smooth=1.0)),
        "lovasz_hinge": (blogits, lambda x: lovasz_hinge(x[:, 0], bt, per_image=True, ignore=IGNORE)),
        "lovasz_hinge_batch": (blogits, lambda x: lovasz_hinge(x[:, 0], bt, per_image=False, ignore=IGNORE)),
        "lovasz_softmax": (logits, lambda x: lovasz_softmax(x, t, classes="present", ignore=IGNORE)),
        "lovasz_softmax_absent": (logits, lambda x: lovasz_softmax(x, ta, classes="present", ignore=IGNORE)),
        "lovasz_softmax_all": (logits, lambda x: lovasz_softmax(x, ta, classes="all", ignore=IGNORE)),
    }
    for name, (inp, fn) in cases.items():
        v, g = value_and_grad(fn, inp)
        save(LOSS, name + "_value", np.array(v))
        save(LOSS, name + "_grad", g)
        print(f"{name:24s} {v:.6f}")

    # deep supervision: weighted mean of weighted CE over three heads
    dsw = [0.2, 0.3, 0.5]
    x = torch.from_numpy(heads.astype(np.float64)).requires_grad_(True)
    v = sum(wi * ce(x[i], t, weight=cwt) for i, wi in enumerate(dsw)) / sum(dsw)
    v.backward()
    save(LOSS, "deepsup_value", np.array(v.item()))
    save(LOSS, "deepsup_grad", x.grad.numpy())
    print(f"{'deepsup':24s} {v.item():.6f}")


# ----------------------------------------------------------------------------- border weight map


def components4(fg):
    h, w = fg.shape
    lab = np.zeros((h, w), np.int64)
    nxt = 0
    for sy in range(h):
        for sx in range(w):
            if fg[sy, sx] and lab[sy, sx] == 0:
                nxt += 1
                stack = [(sy, sx)]
                lab[sy, sx] = nxt
                while stack:
                    y, x = stack.pop()
                    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                        yy, xx = y + dy, x + dx
                        if 0 <= yy < h and 0 <= xx < w and fg[yy, xx] and lab[yy, xx] == 0:
                            lab[yy, xx] = nxt
                            stack.append((yy, xx))
    return lab, nxt


def border_weights(mask, fg_class=1, w0=10.0, sigma=5.0, num_classes=2):
    """w = w_c + w0 exp(-(d1+d2)^2 / (2 sigma^2)) on pixels outside every cell (border term 0 when < 2
    cells). Cells: 4-connected components of fg_class. w_c(k) = n / (K' n_k) over the K' classes present."""
    h, w = mask.shape
    lab, ncomp = components4(mask == fg_class)
    ys, xs = np.mgrid[0:h, 0:w]
    border = np.zeros((h, w))
    if ncomp >= 2:
        d = np.zeros((ncomp, h, w))
        for c in range(1, ncomp + 1):
            py, px = np.nonzero(lab == c)
            dd = (ys[..., None] - py) ** 2 + (xs[..., None] - px) ** 2
            d[c - 1] = np.sqrt(dd.min(-1))
        d.sort(0)
        border = w0 * np.exp(-((d[0] + d[1]) ** 2) / (2 * sigma**2)) * (lab == 0)
    counts = np.array([(mask == c).sum() for c in range(num_classes)], np.float64)
    present = (counts > 0).sum()
    wc = np.where(counts > 0, counts.sum() / (present * np.maximum(counts, 1)), 0.0)
    return wc[mask] + border, lab


def border_fixture():
    h = w = 24
    mask = np.ones((h, w), np.int64)
    mask[7, :] = 0
    mask[15, :] = 0
    mask[:, 5] = 0
    mask[:, 12:14] = 0
    mask[:, 19] = 0
    for i in range(24):  # an oblique membrane
        if 0 <= 23 - i < w:
            mask[i, max(0, 23 - i - 1) : 23 - i + 1] = 0
    rng = np.random.default_rng(7)
    mask[rng.random((h, w)) < 0.04] = 0
    wmap, lab = border_weights(mask)
    save(LOSS, "border_mask", mask.astype(np.int32))
    save(LOSS, "border_weights", wmap)
    save(LOSS, "border_labels", lab.astype(np.int32))
    print("border: components", lab.max(), "max weight", wmap.max())


# ----------------------------------------------------------------------------- metrics


def metric_fixture():
    rng = np.random.default_rng(99)
    k, n, h, w = 5, 3, 16, 16
    # class 4 never appears in truth nor prediction; class 3 is absent from truth only
    truth = rng.integers(0, 3, (n, h, w)).astype(np.int64)
    pred = rng.integers(0, 4, (n, h, w)).astype(np.int64)
    agree = rng.random((n, h, w)) < 0.5
    pred[agree] = truth[agree]
    truth[rng.random((n, h, w)) < 0.1] = IGNORE
    valid = truth != IGNORE
    cm = np.bincount(truth[valid] * k + pred[valid], minlength=k * k).reshape(k, k)
    inter = np.diag(cm).astype(np.float64)
    rows, cols = cm.sum(1), cm.sum(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = inter / (rows + cols - inter)
        recall = inter / rows
        precision = inter / cols
        dice = 2 * inter / (rows + cols)
    absent = (rows + cols) == 0
    for a in (iou, recall, precision, dice):
        a[absent] = np.nan
    per_image = []
    for i in range(n):
        v = valid[i]
        c = np.bincount(truth[i][v] * k + pred[i][v], minlength=k * k).reshape(k, k)
        it = np.diag(c).astype(np.float64)
        u = c.sum(0) + c.sum(1) - it
        per_image.append(np.mean(it[u > 0] / u[u > 0]))
    save(METRIC, "truth", truth)
    save(METRIC, "pred", pred)
    save(METRIC, "cm", cm.astype(np.int64))
    save(METRIC, "iou", iou)
    save(METRIC, "recall", recall)
    save(METRIC, "precision", precision)
    save(METRIC, "dice", dice)
    save(
        METRIC,
        "summary",
        np.array(
            [inter.sum() / cm.sum(), np.nanmean(iou), np.nanmean(recall), np.nanmean(dice)], np.float64
        ),
    )
    save(METRIC, "per_image_miou", np.array(per_image))
    print("metric: mIoU", np.nanmean(iou), "PA", inter.sum() / cm.sum(), "per-image", per_image)


if __name__ == "__main__":
    torch.manual_seed(0)
    loss_fixtures()
    border_fixture()
    metric_fixture()
