"""Golden fixtures for the U-Net family: PyTorch twins (torch_models.py) at tiny widths.

Each case is one safetensors file in seg4j-core/src/test/resources/golden/models/<case>.safetensors, written by
golden_case.make_case (Kaiming init, BN statistics calibrated on a separate batch, every head asserted to depend
on the input: see golden_case.py for the keys).
Also checks that UNet with default options equals /work/shared/reference/isbi_unet.py's UNet (keys, shapes,
logits), so a state_dict trained by the reference script loads 1:1 into seg4j's `unet`.

The option cases unet_upsample and unet_dropout_blocks are checked against 4uiiurz1's plain
UNet and seed 002's cropland U-Net, copied verbatim into torch_models.py.

Run: /tmp/venv-torch/bin/python tools/gen_unet_fixtures.py [case ...]   (no case: all of them)
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_case  # noqa: E402
import torch_models as tm  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "seg4j-core", "src", "test", "resources", "golden", "models")


def make_case(name, build, arch, cin, classes, base, options, shape, seed):
    return golden_case.make_case(OUT, name, build, arch, cin, classes, base, options, shape, seed)


def check_isbi_reference(model, x):
    sys.path.insert(0, "/work/shared/reference")
    import isbi_unet  # noqa: E402
    ref = isbi_unet.UNet(1, 2, 2)
    mine, theirs = model.state_dict(), ref.state_dict()
    assert list(mine) == list(theirs), "UNet default keys differ from isbi_unet.py"
    assert all(mine[k].shape == theirs[k].shape for k in mine)
    ref.load_state_dict(mine)
    ref.eval()
    model.eval()
    with torch.no_grad():
        assert torch.equal(ref(x), model(x)), "UNet default forward differs from isbi_unet.py"
    print("unet default == isbi_unet.UNet (keys, shapes, logits)")


def check_same_as(reference, rename, model, x, what):
    """Loads model's weights into reference (keys renamed by rename) and asserts the same logits."""
    mine = model.state_dict()
    theirs = {k: mine[rename(k)] for k in reference.state_dict()}
    assert len(theirs) == len(mine), f"{what}: {len(theirs)} tensors vs {len(mine)}"
    reference.load_state_dict(theirs)
    reference.eval()
    model.eval()
    with torch.no_grad():
        assert torch.equal(reference(x), model(x)), f"{what}: logits differ"
    print(f"{what}: same keys (renamed), shapes and logits")


UNET_4UIIURZ1_PARAMS = 7_852_545  # archs.UNet(num_classes=1, input_channels=3): nb_filter 32..512


def unet_upsample():
    m, x = golden_case.make_case(OUT, "unet_upsample", lambda: tm.UNet(3, 2, 2, up="upsample"), "unet", 3, 2, 2,
                                 {"up": "upsample"}, (2, 3, 32, 16), 11)
    check_same_as(tm.UNet4uiiurz1(2, 3, base=2), tm.seg4j_key_4uiiurz1, m, x, "unet up=upsample == 4uiiurz1 UNet")
    for model in (tm.UNet(3, 1, 32, up="upsample"), tm.UNet4uiiurz1(1, 3)):
        assert sum(p.numel() for p in model.parameters()) == UNET_4UIIURZ1_PARAMS


def unet_dropout_blocks():
    opts = {"act": "leaky", "padding": "reflect", "dropout": "0.3", "dropout_at": "blocks"}
    m, x = golden_case.make_case(
        OUT, "unet_dropout_blocks",
        lambda: tm.UNet(1, 2, 2, slope=0.01, padding_mode="reflect", dropout=0.3, dropout_at="blocks"),
        "unet", 1, 2, 2, opts, (2, 1, 32, 32), 12, slope=0.01, train=False)
    check_same_as(tm.CroplandUNet(1, 2, base=2, p=0.3), tm.seg4j_key_cropland, m, x,
                  "unet dropout_at=blocks (leaky, reflect) == seed 002's UNet")


def main():
    cases = {"unet_upsample": unet_upsample, "unet_dropout_blocks": unet_dropout_blocks}
    if len(sys.argv) > 1:
        for name in sys.argv[1:]:
            cases[name]()
        return
    m, x = make_case("unet_default", lambda: tm.UNet(1, 2, 2), "unet", 1, 2, 2, {}, (2, 1, 32, 32), 1)
    check_isbi_reference(m, x)
    opts = {"depth": "3", "bn": "false", "act": "leaky", "leaky_slope": "0.1", "padding": "reflect", "up": "bilinear"}
    make_case("unet_options",
              lambda: tm.UNet(3, 3, 4, depth=3, bn=False, slope=0.1, padding_mode="reflect", up="bilinear"),
              "unet", 3, 3, 4, opts, (2, 3, 32, 32), 2)
    make_case("unet_valid", lambda: tm.UNetValid(1, 2, 2, depth=2), "unet-valid", 1, 2, 2, {"depth": "2"},
              (2, 1, 48, 48), 4)
    make_case("nested_unet_ds", lambda: tm.NestedUNet(2, 1, 2, deep_supervision=True), "nested-unet", 1, 2, 2,
              {"deep_supervision": "true"}, (2, 1, 32, 32), 5)
    make_case("nested_unet", lambda: tm.NestedUNet(3, 3, 1), "nested-unet", 3, 3, 1, {}, (2, 3, 32, 32), 6)
    make_case("unet3plus", lambda: tm.UNet3Plus(1, 2, 2), "unet3plus", 1, 2, 2, {}, (2, 1, 32, 32), 7)
    make_case("unet3plus_ds", lambda: tm.UNet3Plus(3, 2, 1, deep_supervision=True), "unet3plus", 3, 2, 1,
              {"deep_supervision": "true"}, (2, 3, 32, 32), 8)
    for case in cases.values():
        case()


if __name__ == "__main__":
    main()
