"""Writes the golden fixtures for seg4j's VGG16 models into seg4j-core/src/test/resources/golden/vgg/.

Run from the project root:  /tmp/venv-torch/bin/python tools/gen_vgg_fixtures.py

For each model (tiny width: base 2, fc_width 8, fc_dropout 0, 3 classes) golden_case.make_case writes a
fixture in GoldenModel.java's format: Kaiming init, BN calibrated on a separate batch, eval and training-mode
outputs, running stats and an input gradient, every output asserted to depend on the input.
``params.json`` holds the twins' parameter counts at base 4 and at the real width (base 64).
``vgg16_tv.safetensors`` / ``vgg16_bn_tv.safetensors`` are randomly initialised torchvision-layout
VGG16 classifiers (features.N + classifier.*) for the --encoder-weights test.
``bilinear.safetensors`` holds FCN's bilinear up-sampling kernels.

So are the option cases (vgg16_unet_nearest, vgg16_unet_align_corners_false, fcn32s/16s/8s_mindspore); the
fcn*_mindspore twins are checked against seed 003's MindSpore code translated to torch.nn.

Run: /tmp/venv-torch/bin/python tools/gen_vgg_fixtures.py [case ...]   (no case: all of them)
"""

import copy
import json
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(__file__))
import golden_case  # noqa: E402
from torch_models_vgg import Fcn, MindSporeFcn, TorchvisionVgg16, VggUNet, bilinear_kernel, ms_to_seg4j  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "seg4j-core", "src", "test", "resources", "golden", "vgg")
BASE, FC, CLASSES, IN = 2, 8, 3, 3


def build(name, base, bn, fc=None):
    if name.startswith("fcn"):
        return Fcn(int(name[3:-1]), IN, CLASSES, base, bn, fc)
    return VggUNet(IN, CLASSES, base, bn)


def params(m):
    return sum(p.numel() for p in m.parameters())


def perturb(m, g):
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.copy_(0.1 * torch.randn(mod.running_mean.shape, generator=g))
                mod.running_var.copy_(0.5 + torch.rand(mod.running_var.shape, generator=g))
                mod.weight.copy_(1 + 0.2 * torch.randn(mod.weight.shape, generator=g))
                mod.bias.copy_(0.1 * torch.randn(mod.bias.shape, generator=g))
                mod.num_batches_tracked.fill_(7)
            if isinstance(mod, torch.nn.ConvTranspose2d):
                mod.weight.add_(0.05 * torch.randn(mod.weight.shape, generator=g))


def state(m):
    return {k: v.detach().contiguous().clone() for k, v in m.state_dict().items()}


def vgg16_unet_nearest():
    golden_case.make_case(OUT, "vgg16_unet_nearest", lambda: VggUNet(3, 2, 2, up="nearest"), "vgg16-unet",
                          3, 2, 2, {"up": "nearest"}, (2, 3, 32, 32), 21)


def vgg16_unet_align_corners_false():
    golden_case.make_case(OUT, "vgg16_unet_align_corners_false",
                          lambda: VggUNet(3, 2, 2, bn=True, align_corners=False), "vgg16-unet", 3, 2, 2,
                          {"bn": "true", "align_corners": "false"}, (2, 3, 32, 32), 22)


FC_MS = 4  # fc6/fc7 width of the fcn*_mindspore fixtures; with 1 input channel it keeps them under 200 KB
MINDSPORE = {"bn": "true", "bn_fc": "true", "bias": "false", "fc_dropout": "0", "fc_width": str(FC_MS)}


def check_mindspore(model, x, stride):
    """Seed 003's FCN (MindSporeFcn) with the fixture's weights gives the same logits in eval and training."""
    ms = MindSporeFcn(stride, 2, BASE, FC_MS, in_channels=1)
    mine = model.state_dict()
    theirs = {}
    for k, v in ms.state_dict().items():
        ((name, _),) = ms_to_seg4j({k: v}, stride).items()
        theirs[k] = mine[name].transpose(0, 1) if k.startswith("score_pool") and k.endswith("weight") else mine[name]
    ms.load_state_dict(theirs)
    for mode in ("eval", "train"):
        a, b = copy.deepcopy(ms), copy.deepcopy(model)
        getattr(a, mode)()
        getattr(b, mode)()
        with torch.no_grad():
            ya, yb = a(x), b(x)
        diff = ((ya - yb).abs().max() / ya.abs().max()).item()
        assert diff < 1e-6, f"fcn{stride}s {mode}: {diff}"
    print(f"fcn{stride}s {MINDSPORE} == seed 003's FCN{stride}s (MindSpore, in torch.nn): eval and train logits")


def fcn_mindspore(stride):
    options = dict(MINDSPORE, **({"up32": "two-step"} if stride == 32 else {}))
    m, x = golden_case.make_case(
        OUT, f"fcn{stride}s_mindspore",
        lambda: Fcn(stride, 1, 2, BASE, bn=True, fc_width=FC_MS, bn_fc=True, bias=False, fc_dropout=0.0,
                    up32="two-step"),
        f"fcn{stride}s", 1, 2, BASE, options, (2, 1, 32, 32) if stride == 16 else (2, 1, 64, 32), 30 + stride)
    check_mindspore(m, x, stride)


CASES = {
    "vgg16_unet_nearest": vgg16_unet_nearest,
    "vgg16_unet_align_corners_false": vgg16_unet_align_corners_false,
    "fcn32s_mindspore": lambda: fcn_mindspore(32),
    "fcn16s_mindspore": lambda: fcn_mindspore(16),
    "fcn8s_mindspore": lambda: fcn_mindspore(8),
}


def main():
    if len(sys.argv) > 1:
        for name in sys.argv[1:]:
            CASES[name]()
        return
    os.makedirs(OUT, exist_ok=True)
    counts = {}
    cases = [
        ("fcn32s", False, (2, IN, 64, 32)),
        ("fcn16s", False, (2, IN, 64, 32)),
        ("fcn8s", False, (2, IN, 64, 32)),
        ("fcn8s", True, (2, IN, 32, 64)),
        ("vgg16-unet", False, (2, IN, 32, 48)),
        ("vgg16-unet", True, (2, IN, 48, 32)),
    ]
    for i, (name, bn, shape) in enumerate(cases):
        # FCN without dropout (fc_dropout 0), so the training-mode forward is deterministic and compared too
        fc = {"fc_width": str(FC), "fc_dropout": "0"} if name.startswith("fcn") else {}
        options = dict({"bn": str(bn).lower()}, **fc)
        file = name.replace("-", "_") + ("_bn" if bn else "")
        golden_case.make_case(
            OUT, file,
            lambda: Fcn(int(name[3:-1]), IN, CLASSES, BASE, bn, FC, fc_dropout=0.0) if name.startswith("fcn")
            else VggUNet(IN, CLASSES, BASE, bn),
            name, IN, CLASSES, BASE, options, shape, 100 + 10 * i)

    for name in ("fcn32s", "fcn16s", "fcn8s", "vgg16-unet"):
        for bn in (False, True):
            key = name + ("_bn" if bn else "")
            with torch.device("meta"):
                counts[key] = {
                    "base4_fc16_in3_classes3": params(build(name, 4, bn, 16)),
                    "base64_in3_classes21": params(
                        Fcn(int(name[3:-1]), 3, 21, 64, bn)
                        if name.startswith("fcn")
                        else VggUNet(3, 21, 64, bn)
                    ),
                }
    with open(os.path.join(OUT, "params.json"), "w") as f:
        json.dump(counts, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(counts))

    for i, bn in enumerate((False, True)):
        torch.manual_seed(300 + i)
        tv = TorchvisionVgg16(IN, BASE, bn, hidden=8, classes=10)
        perturb(tv, torch.Generator().manual_seed(400 + i))
        file = "vgg16_bn_tv.safetensors" if bn else "vgg16_tv.safetensors"
        save_file(state(tv), os.path.join(OUT, file))
        print(file, len(tv.state_dict()))

    save_file(
        {"k4": bilinear_kernel(CLASSES, CLASSES, 4), "k16": bilinear_kernel(CLASSES, CLASSES, 16)},
        os.path.join(OUT, "bilinear.safetensors"),
    )
    for case in CASES.values():
        case()


if __name__ == "__main__":
    main()
