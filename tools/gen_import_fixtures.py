"""Fixtures of `seg4j import` (ImportParityTest): for each source repository a tiny twin of its network
(import_twins.py; 4uiiurz1's in torch_models.py), initialised input-sensitively like the other golden fixtures
(golden_case.py: Kaiming convs, calibrated BN statistics, eval mode), saved with torch.save as that repository
saves it, and the twin's eval-mode outputs for two inputs:

  golden/imports/NAME.pth                 the state_dict (nested_unet_ds: wrapped as {"state_dict": ..., "epoch": 3};
                                          seg4j_unet, seg4j's own names, as {"model": ...}: also the .pth of
                                          WarmStartTest's --init-from, TinyRuns' unet base 4 depth 2;
                                          milesial_*: with milesial's extra "mask_values" entry, as its train.py)
  golden/imports/NAME.logits.safetensors  input (2, C, H, W), out.K = the K-th head's output (torchvision: the
                                          encoder's features(x), the decoder stays untrained); metadata: the import
                                          command's --from/--arch/-O (from, arch, options as JSON) and fp32_noise
                                          (max |float32 - float64| of the twin over all outputs)

Run from the project root:  /tmp/venv-torch/bin/python tools/gen_import_fixtures.py
"""
import copy
import json
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_case  # noqa: E402
import import_twins as tw  # noqa: E402
import torch_models as tm  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "seg4j-core", "src", "test", "resources",
                   "golden", "imports")


def case(name, model, cin, side, fmt, arch, options, seed, run=None, save=None):
    gen = torch.Generator().manual_seed(seed)
    golden_case.kaiming_init(model, gen)
    x = torch.rand(2, cin, side, side, generator=gen)
    golden_case.calibrate_bn(model, torch.rand(4, cin, side, side, generator=gen))
    model.eval()
    run = run or (lambda m, v: m(v))
    exact = copy.deepcopy(model).double()
    with torch.no_grad():
        ys = golden_case.as_list(run(model, x))
        y64 = golden_case.as_list(run(exact, x.double()))
    ratios = golden_case.assert_sensitive(name, "eval", ys)
    noise = max((a.double() - b).abs().max().item() for a, b in zip(ys, y64))
    tensors = {"input": x}
    for k, y in enumerate(ys):
        tensors[f"out.{k}"] = y.contiguous()
    meta = {"from": fmt, "arch": arch, "options": json.dumps(options), "fp32_noise": f"{noise:.3e}"}
    save_file(tensors, os.path.join(OUT, name + ".logits.safetensors"), metadata=meta)
    sd = model.state_dict()
    path = os.path.join(OUT, name + ".pth")
    torch.save(save(sd) if save else sd, path)
    print(f"{name}: {sum(p.numel() for p in model.parameters())} params, {os.path.getsize(path)} bytes .pth, "
          f"outputs {[tuple(y.shape) for y in ys]}, sensitivity {[f'{r:.2f}' for r in ratios]}, noise {noise:.1e}")


def with_mask_values(sd):
    sd = dict(sd)
    sd["mask_values"] = [0, 1]  # milesial's train.py: state_dict['mask_values'] = dataset.mask_values
    return sd


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    case("seg4j_unet", tm.UNet(1, 2, 4, depth=2), 1, 16, "seg4j", "unet", {"depth": "2"}, 9,
         save=lambda sd: {"model": sd})
    case("nested_unet", tm.NestedUNet(2, 3, base=1), 3, 16, "nested-unet", "nested-unet", {}, 1)
    case("nested_unet_ds", tm.NestedUNet(3, 3, base=1, deep_supervision=True), 3, 16, "nested-unet",
         "nested-unet", {"deep_supervision": "true"}, 2, save=lambda sd: {"state_dict": sd, "epoch": 3})
    case("nested_plain_unet", tm.UNet4uiiurz1(2, 1, base=1), 1, 16, "nested-unet", "unet", {"up": "upsample"}, 3)
    case("bubbliiiing", tw.Unet(num_classes=3, base=2), 3, 16, "bubbliiiing", "vgg16-unet", {}, 4)
    case("milesial", tw.UNet(3, 2, bilinear=False, base=1), 3, 16, "milesial", "unet", {}, 5,
         save=with_mask_values)
    case("milesial_bilinear", tw.UNet(1, 3, bilinear=True, base=2), 1, 16, "milesial", "unet",
         {"up": "upsample", "halve": "true"}, 6, save=with_mask_values)
    case("torchvision_vgg16", tw.TorchvisionVGG(tw.make_layers(tw.vgg_cfg(2)), base=2), 3, 32, "torchvision",
         "vgg16-unet", {}, 8, run=lambda m, v: m.features(v))


if __name__ == "__main__":
    main()
