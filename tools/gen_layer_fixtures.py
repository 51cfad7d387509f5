#!/usr/bin/env python3
"""Golden fixtures for seg4j's layers (org.seg4j.nn) and state_dict import/export.

Run:  /tmp/venv-torch/bin/python tools/gen_layer_fixtures.py
Writes seg4j-core/src/test/resources/golden/layers/*.safetensors (small: tiny shapes).

Each layer case stores its input(s), weights, a fixed random upstream gradient ``g``, the output
``y`` and the gradients of ``L = sum(y * g)`` w.r.t. the input and every weight, named
``grad_<tensor>``. The case's settings go into the safetensors metadata. Inputs and weights are
float32; the reference is computed in float64 from those float32 values and stored as float32, so
the Java side (float32) is compared against the exact result.
"""

import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "seg4j-core", "src", "test", "resources", "golden", "layers")


def f32(t):
    return t.detach().to(torch.float32).contiguous()


def rand(*shape):
    return torch.randn(*shape).to(torch.float32)


def save(name, tensors, meta=None):
    tensors = {k: f32(v) if v.is_floating_point() else v.contiguous() for k, v in tensors.items()}
    meta = {k: str(v) for k, v in (meta or {}).items()}
    meta["generator"] = "tools/gen_layer_fixtures.py"
    meta["torch"] = torch.__version__
    save_file(tensors, os.path.join(OUT, name + ".safetensors"), metadata=meta)


def run_case(module, inputs, params):
    """Runs ``module`` in float64 on float32 values; returns y, g and the gradients."""
    module = module.double()
    ins = {k: v.double().requires_grad_(True) for k, v in inputs.items()}
    y = module(*ins.values())
    g = rand(*y.shape)
    (y * g.double()).sum().backward()
    out = {}
    for k, v in inputs.items():
        out[k] = v
    for k, p in params.items():
        out[k] = p
    out["y"] = y
    out["g"] = g
    for k, v in ins.items():
        out["grad_" + k] = v.grad
    for k, p in module.named_parameters():
        out["grad_" + k] = p.grad
    return out


def with_weights(module):
    """A copy of the module's (float32) state_dict, taken before the float64 reference run."""
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def conv_transpose(k, s, p, op, cin, cout, n, side):
    torch.manual_seed(1000 + 100 * k + 10 * s + p + op)
    m = nn.ConvTranspose2d(cin, cout, k, stride=s, padding=p, output_padding=op)
    with torch.no_grad():  # keep the bias comparable in size to the weights' contribution
        m.bias.copy_(torch.randn(cout) * 0.1)
    params = with_weights(m)
    x = rand(n, cin, side, side)
    case = run_case(m, {"x": x}, params)
    save(
        f"convtranspose2d_k{k}_s{s}_p{p}_op{op}",
        case,
        dict(kernel=k, stride=s, padding=p, output_padding=op, in_channels=cin, out_channels=cout),
    )


def conv2d(name, k, s, p, mode, cin=3, cout=2, side=7, dilation=1):
    torch.manual_seed(2000 + 10 * k + s + p + (500 if mode == "reflect" else 0) + side)
    m = nn.Conv2d(cin, cout, k, stride=s, padding=p, dilation=dilation, padding_mode=mode)
    params = with_weights(m)
    x = rand(2, cin, side, side)
    case = run_case(m, {"x": x}, params)
    save(
        name,
        case,
        dict(kernel=k, stride=s, padding=p, dilation=dilation, padding_mode=mode,
             in_channels=cin, out_channels=cout),
    )


def batchnorm():
    torch.manual_seed(3000)
    c = 3
    m = nn.BatchNorm2d(c)
    with torch.no_grad():
        m.weight.copy_(torch.rand(c) + 0.5)
        m.bias.copy_(torch.randn(c))
        m.running_mean.copy_(torch.randn(c) * 0.1)
        m.running_var.copy_(torch.rand(c) + 0.5)
    params = with_weights(m)
    x = rand(2, c, 5, 6) * 2 + 0.5
    m.train()
    case = run_case(m, {"x": x}, params)
    case["running_mean_after"] = m.running_mean
    case["running_var_after"] = m.running_var
    m.eval()
    with torch.no_grad():
        case["y_eval"] = m(x.double())
    case["num_batches_tracked_after"] = m.num_batches_tracked.clone()
    save("batchnorm2d", case, dict(channels=c, eps=m.eps, momentum=m.momentum))


def dropout2d():
    torch.manual_seed(4000)
    p = 0.4
    x = rand(2, 5, 4, 4)
    m = nn.Dropout2d(p).train()
    xi = x.double().requires_grad_(True)
    y = m(xi)
    mask = (y.detach().abs().sum(dim=(2, 3), keepdim=True) != 0).double()
    expected = xi.detach() * mask / (1 - p)
    assert torch.allclose(y.detach(), expected), "Dropout2d is not x * mask / (1 - p)"
    assert 0 < mask.sum() < mask.numel(), "pick a seed that both keeps and drops channels"
    g = rand(*y.shape)
    (y * g.double()).sum().backward()
    save("dropout2d", dict(x=x, mask=mask, y=y, g=g, grad_x=xi.grad), dict(p=p))


def upsample(name, mode, align, side_h, side_w, scale=None, size=None):
    torch.manual_seed(5000 + len(name))
    x = rand(2, 2, side_h, side_w)
    kw = {} if mode == "nearest" else {"align_corners": align}
    if size is None:
        m = nn.Upsample(scale_factor=scale, mode=mode, **kw)
    else:
        m = nn.Upsample(size=size, mode=mode, **kw)
    case = run_case(m, {"x": x}, {})
    meta = dict(mode=mode, align_corners=align)
    if scale is not None:
        meta["scale"] = scale
    else:
        meta["height"], meta["width"] = size
    save(name, case, meta)


class CropCat(nn.Module):
    def forward(self, skip, up):
        h, w = up.shape[2:]
        top = (skip.shape[2] - h) // 2
        left = (skip.shape[3] - w) // 2
        return torch.cat([skip[:, :, top:top + h, left:left + w], up], 1)


def crop_concat(name, skip_side, up_side):
    torch.manual_seed(6000 + skip_side)
    skip = rand(2, 2, skip_side, skip_side)
    up = rand(2, 3, up_side, up_side)
    save(name, run_case(CropCat(), {"skip": skip, "up": up}, {}),
         dict(skip_side=skip_side, up_side=up_side))


def maxpool(name, k, s, ceil, side):
    torch.manual_seed(7000 + side + k)
    x = rand(2, 3, side, side)
    save(name, run_case(nn.MaxPool2d(k, s, ceil_mode=ceil), {"x": x}, {}),
         dict(kernel=k, stride=s, ceil_mode=ceil))


def reflect_pad(name, p):
    torch.manual_seed(7500 + p)
    x = rand(2, 2, 5, 6)
    save(name, run_case(nn.ReflectionPad2d(p), {"x": x}, {}), dict(padding=p))


def activation(name, slope):
    torch.manual_seed(8000)
    x = rand(2, 3, 5, 5)
    m = nn.ReLU() if slope == 0 else nn.LeakyReLU(slope)
    save(name, run_case(m, {"x": x}, {}), dict(negative_slope=slope))


def state_dict():
    """A tiny nn.Sequential saved exactly as users do, plus an input and its eval output."""
    torch.manual_seed(9000)
    model = nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1),
        nn.BatchNorm2d(3),
        nn.ReLU(),
        nn.ConvTranspose2d(3, 2, 2, stride=2),
    )
    with torch.no_grad():
        model[1].weight.copy_(torch.rand(3) + 0.5)
        model[1].bias.copy_(torch.randn(3) * 0.2)
    model.train()
    for _ in range(3):  # non-trivial running statistics, num_batches_tracked = 3
        model(torch.randn(2, 2, 6, 6))
    model.eval()
    save_file(model.state_dict(), os.path.join(OUT, "state_dict_torch.safetensors"))
    x = rand(2, 2, 6, 6)
    with torch.no_grad():
        y = model.double()(x.double())
    save("state_dict_io", dict(x=x, y_eval=y))


def main():
    os.makedirs(OUT, exist_ok=True)
    # (k, s, p, op, in, out, batch, input side)
    for k, s, p, op, cin, cout, n, side in [
        (2, 2, 0, 0, 3, 2, 2, 5),  # U-Net
        (4, 2, 1, 0, 3, 2, 2, 5),
        (3, 2, 1, 1, 3, 2, 2, 5),
        (5, 3, 2, 2, 3, 2, 2, 5),
        (4, 2, 0, 0, 3, 2, 2, 5),  # FCN's padding-free forms
        (16, 8, 4, 0, 2, 2, 2, 3),
        (16, 8, 0, 0, 2, 2, 2, 3),
        (32, 16, 8, 0, 2, 2, 1, 3),
        (32, 16, 0, 0, 2, 2, 1, 2),
        (64, 32, 16, 0, 2, 1, 1, 2),  # out=1 keeps the file small
        (64, 32, 0, 0, 2, 1, 1, 2),
    ]:
        conv_transpose(k, s, p, op, cin, cout, n, side)
    conv2d("conv2d_reflect_k3_s1_p1", 3, 1, 1, "reflect")
    conv2d("conv2d_reflect_k3_s2_p1", 3, 2, 1, "reflect", side=8)
    conv2d("conv2d_reflect_k5_s1_p2", 5, 1, 2, "reflect")
    conv2d("conv2d_reflect_k5_s2_p2", 5, 2, 2, "reflect", side=9)
    conv2d("conv2d_zeros_k3_s1_p1", 3, 1, 1, "zeros")
    conv2d("conv2d_zeros_k3_s2_p0", 3, 2, 0, "zeros", side=8)
    conv2d("conv2d_zeros_k1_s1_p0", 1, 1, 0, "zeros", side=5)
    conv2d("conv2d_zeros_k3_s1_p2_d2", 3, 1, 2, "zeros", dilation=2)
    reflect_pad("reflectpad2d_p1", 1)
    reflect_pad("reflectpad2d_p4", 4)
    batchnorm()
    dropout2d()
    for align in (True, False):
        a = "true" if align else "false"
        upsample(f"upsample_bilinear_x2_align_{a}", "bilinear", align, 5, 6, scale=2)
        upsample(f"upsample_bilinear_x4_align_{a}", "bilinear", align, 3, 4, scale=4)
        upsample(f"upsample_bilinear_11x13_align_{a}", "bilinear", align, 5, 6, size=(11, 13))
    upsample("upsample_nearest_x2", "nearest", False, 5, 6, scale=2)
    upsample("upsample_nearest_11x13", "nearest", False, 5, 6, size=(11, 13))
    crop_concat("cropconcat_9_to_5", 9, 5)
    crop_concat("cropconcat_8_to_5", 8, 5)
    maxpool("maxpool2d_k2_s2", 2, 2, False, 7)
    maxpool("maxpool2d_k2_s2_ceil", 2, 2, True, 7)
    maxpool("maxpool2d_k3_s2", 3, 2, False, 9)
    activation("relu", 0.0)
    activation("leakyrelu_0.1", 0.1)
    state_dict()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total / 1024:.0f} KiB, to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
