"""Writes one input-sensitive golden model fixture (used by gen_unet_fixtures.py and gen_vgg_fixtures.py
for the architecture options added after the first fixtures; those first fixtures keep their own writers).

The model is initialised so that its output depends on its input:
  * every conv / transposed conv weight Kaiming-normal (fan_in, for the model's activation), biases U(-0.1, 0.1);
  * BN affine randomised (weight U(0.5, 1.5), bias N(0, 0.1)), then the running statistics calibrated on a separate
    random batch (one training-mode forward with cumulative averaging, dropout off), so eval-mode activations are
    about unit scale instead of dying or saturating.
The generator asserts that the fixture's two inputs give outputs that differ by at least 10% of max|y| at every
head (deep-supervision heads are the pruning levels), in eval and in training mode; the ratios are printed and
kept in the metadata (input_sensitivity).

The file holds (keys as GoldenModel.java reads them):
  model.<key>   the twin's state_dict
  input         the two inputs (batch of 2)
  eval.<k>      the k-th output (head) in eval mode
  train.<k>     the k-th output of one training-mode forward (only for dropout-free models: dropout masks are random)
  after.<key>   running_mean / running_var after that training forward
  grad.input    dL/dinput for L = sum(y * eval.0) in eval mode, y the output: the stored eval output is the
                upstream gradient (as good as any fixed tensor and it costs no space)
and metadata: arch, in_channels, classes, base, options (JSON), param_count, train ("yes" or why not) and
fp32_noise (JSON): for each stored result, max |float32 result - float64 result| of the twin itself. Kaiming
weights and calibrated BN make deep twins amplify rounding (about 1e-5 of max|y| here), so GoldenModel.java
allows an absolute error of a few times that noise on top of rtol 1e-4.
"""
import copy
import json
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file

MIN_INPUT_SENSITIVITY = 0.10


def kaiming_init(model, gen, slope=0.0):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                nn.init.kaiming_normal_(m.weight, a=slope, nonlinearity="leaky_relu", generator=gen)
                if m.bias is not None:
                    m.bias.copy_(torch.rand(m.bias.shape, generator=gen) * 0.2 - 0.1)


def calibrate_bn(model, x):
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    gen = torch.Generator().manual_seed(12345)
    with torch.no_grad():
        for m in bns:
            m.weight.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.bias.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
            m.reset_running_stats()
            m.momentum = None
        model.train()
        for m in model.modules():
            if isinstance(m, (nn.Dropout, nn.Dropout2d)):
                m.eval()
        model(x)
        for m in bns:
            m.momentum = 0.1
    model.eval()


def sensitivity(y):
    """max |y[0] - y[1]| / max |y|: how much the output depends on the input."""
    return ((y[0] - y[1]).abs().max() / y.abs().max()).item()


def as_list(y):
    return list(y) if isinstance(y, (list, tuple)) else [y]


def assert_sensitive(name, mode, ys):
    """Every head's outputs for the two inputs differ by >= MIN_INPUT_SENSITIVITY of its max|y|."""
    ratios = [sensitivity(y) for y in ys]
    for k, s in enumerate(ratios):
        assert s >= MIN_INPUT_SENSITIVITY, f"{name} {mode}.{k}: the two inputs' outputs differ by only {s:.3g} of max|y|"
    return ratios


def make_case(out_dir, name, build, arch, cin, classes, base, options, shape, seed, slope=0.0, train=True):
    """Writes out_dir/name.safetensors and returns (model, input); fails if any head is input-insensitive."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = build()
    kaiming_init(model, gen, slope)
    x = torch.rand(*shape, generator=gen)
    calibrate_bn(model, torch.rand(4, *shape[1:], generator=gen))
    tensors = {"model." + k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    tensors["input"] = x
    model.eval()
    exact = copy.deepcopy(model).double()
    noise = {}

    def store(key, y32, y64):
        tensors[key] = y32.detach().contiguous()
        noise[key] = (y32.double() - y64).abs().max().item()

    with torch.no_grad():
        ys = as_list(model(x))
        for k, (y32, y64) in enumerate(zip(ys, as_list(exact(x.double())))):
            store(f"eval.{k}", y32, y64)
    ratios = {"eval": assert_sensitive(name, "eval", ys)}
    y = ys[0]
    if train:
        trained = copy.deepcopy(model).train()
        with torch.no_grad():
            ts = as_list(trained(x))
            for k, (y32, y64) in enumerate(zip(ts, as_list(copy.deepcopy(exact).train()(x.double())))):
                store(f"train.{k}", y32, y64)
        ratios["train"] = assert_sensitive(name, "train", ts)
        for k, v in trained.state_dict().items():
            if k.endswith("running_mean") or k.endswith("running_var"):
                tensors["after." + k] = v.detach().clone().contiguous()
    g = y.detach()
    xg = x.clone().requires_grad_(True)
    (as_list(model(xg))[0] * g).sum().backward()
    xg64 = x.double().requires_grad_(True)
    (as_list(exact(xg64))[0] * g.double()).sum().backward()
    store("grad.input", xg.grad, xg64.grad)
    count = sum(p.numel() for p in model.parameters())
    meta = {"arch": arch, "in_channels": str(cin), "classes": str(classes), "base": str(base),
            "options": json.dumps(options), "param_count": str(count),
            "train": "yes" if train else "no: dropout masks are random",
            "fp32_noise": json.dumps({k: float(f"{v:.3e}") for k, v in noise.items()}),
            "input_sensitivity": json.dumps({m: [float(f"{r:.3g}") for r in rs] for m, rs in ratios.items()})}
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".safetensors")
    save_file(tensors, path, metadata=meta)
    rel = {k: f"{v / tensors[k].abs().max().item():.1e}" for k, v in noise.items()}
    sens = {m: [f"{r:.2f}" for r in rs] for m, rs in ratios.items()}
    print(f"{name}: params {count}, output {tuple(y.shape)} x{len(ys)}, input sensitivity {sens}, "
          f"fp32 noise / max {rel}, {os.path.getsize(path)} bytes")
    return model, x
