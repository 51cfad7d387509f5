"""Writes the .pth fixtures of PthFileTest into seg4j-core/src/test/resources/golden/pth/.

Run from the project root:  /tmp/venv-torch/bin/python tools/gen_pth.py

Each NAME.pth is written by torch.save (zip format of PyTorch >= 1.6) and comes with NAME.expected.safetensors:
the tensors seg4j must read from it (names as in the chosen state_dict, `module.` stripped), as contiguous
clones, floating types as float32 (float16/bfloat16 widened, float64 narrowed), integer types as saved.

vgg/vgg16_bn_tv_f16.pth is vgg/vgg16_bn_tv.safetensors (from gen_vgg_fixtures.py) saved as float16 .pth, for
EncoderWeightsTest (--encoder-weights takes .pth files too).

The bad inputs have no twin: legacy.pth (pre-1.6 format), whole_model.pth (torch.save(model)),
malicious.pth (a hand-written pickle calling os.system inside a zip laid out like torch's; never loaded by
anyone), truncated.pth, missing_storage.pth (a storage entry left out) and short_storage.pth (a storage
entry cut short).
"""

import collections
import io
import os
import zipfile

import torch
from safetensors.torch import load_file, save_file
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "seg4j-core", "src", "test", "resources", "golden", "pth")


def net():
    torch.manual_seed(11)
    m = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 2, 1))
    with torch.no_grad():
        m[1].running_mean.uniform_(-1, 1)
        m[1].running_var.uniform_(0.5, 2)
        m[1].num_batches_tracked.fill_(7)
    return m


def expected(sd):
    """The tensors as seg4j reads them: contiguous, floating types as float32."""
    return {k: (v.float() if v.is_floating_point() else v).contiguous().clone() for k, v in sd.items()}


def write(name, obj, want, buffer=False):
    path = os.path.join(OUT, name + ".pth")
    if buffer:  # torch names the archive folder "archive" when it saves to a buffer
        b = io.BytesIO()
        torch.save(obj, b)
        with open(path, "wb") as f:
            f.write(b.getvalue())
    else:  # ... and after the file's stem when it saves to a path
        torch.save(obj, path)
    if want is not None:
        save_file(expected(want), os.path.join(OUT, name + ".expected.safetensors"))
    return path


def rezip(src, dst, change):
    """Copies a torch zip entry by entry, stored like torch's; change(name, bytes) -> bytes or None to drop."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def main():
    os.makedirs(OUT, exist_ok=True)
    m = net()
    sd = m.state_dict()
    conv = write("conv_f32", sd, sd)
    write("conv_f16", m.half().state_dict(), m.state_dict())
    m = net()
    write("conv_bf16", m.bfloat16().state_dict(), m.state_dict())

    m = net()
    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    m(torch.randn(1, 3, 6, 6)).sum().backward()
    opt.step()
    sd = m.state_dict()
    write("wrapped_state_dict", {"state_dict": sd, "epoch": 3, "optimizer": opt.state_dict()}, sd)
    write("wrapped_model", {"model": sd}, sd, buffer=True)
    write("wrapped_net", {"net": sd}, sd)
    other = {"w": torch.zeros(2)}
    write("wrapped_several", {"net": other, "model": other, "model_state_dict": sd, "epoch": 3}, sd)
    dp = collections.OrderedDict(("module." + k, v) for k, v in sd.items())
    write("dataparallel", dp, sd)

    base = torch.arange(20.0).reshape(4, 5)
    views = {
        "transposed": torch.arange(6.0).reshape(2, 3).t(),  # strides (1, 3)
        "sliced": base[1:3, 2:],  # storage offset 7, strides (5, 1)
        "strided": base[::2, ::3],  # strides (10, 3)
        "scalar": base[2, 4],  # 0-dim at offset 14
        "param": nn.Parameter(torch.tensor([[0.5, -1.5], [2.0, 3.0]]).t()),  # _rebuild_parameter
    }
    write("views", views, {k: v.detach() for k, v in views.items()})

    a = torch.arange(12.0)
    shared = {"whole": a.view(3, 4), "middle": a[4:8], "t": a.view(3, 4).t()}
    write("shared", shared, shared)

    dtypes = {
        "f64": torch.tensor([1.0 / 3, -2.5, 1e-40], dtype=torch.float64),
        "i64": torch.tensor([-(2**40), 7], dtype=torch.int64),
        "i32": torch.tensor([-5, 2**30], dtype=torch.int32),
        "i16": torch.tensor([-300, 300], dtype=torch.int16),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
    }
    write("dtypes", dtypes, dtypes)

    torch.save(sd, os.path.join(OUT, "legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save(nn.Sequential(nn.Conv2d(1, 1, 1)), os.path.join(OUT, "whole_model.pth"))

    # GLOBAL 'os system', the argument tuple ('true',), REDUCE: what a harmful pickle looks like
    evil = b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03."
    with zipfile.ZipFile(os.path.join(OUT, "malicious.pth"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("malicious/data.pkl", evil)
        z.writestr("malicious/byteorder", "little")
        z.writestr("malicious/version", "3\n")

    with open(conv, "rb") as f:
        whole = f.read()
    with open(os.path.join(OUT, "truncated.pth"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    rezip(conv, os.path.join(OUT, "missing_storage.pth"), lambda n, d: None if n.endswith("/data/1") else d)
    rezip(conv, os.path.join(OUT, "short_storage.pth"), lambda n, d: d[:8] if n.endswith("/data/0") else d)

    vgg = os.path.join(OUT, "..", "vgg")
    tv = load_file(os.path.join(vgg, "vgg16_bn_tv.safetensors"))
    half = {k: v.half() if v.is_floating_point() else v for k, v in tv.items()}
    torch.save(collections.OrderedDict(half), os.path.join(vgg, "vgg16_bn_tv_f16.pth"))


if __name__ == "__main__":
    main()
