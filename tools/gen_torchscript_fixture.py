"""A tiny TorchScript U-Net (shared/reference/isbi_unet.py's UNet at base 4) and its state_dict, for
seg4j's `predict --torchscript` test: seg4j must give the same probabilities from both, and the same as
PyTorch's softmax on two stored images (tiny_unet_io.safetensors: input (2, 1, 32, 32), probabilities
(2, 2, 32, 32)).

Both U-Nets are initialised as tools/golden_case.py does (Kaiming convs, BN calibrated on a separate batch), and
the script asserts that the two stored images' class-1 probabilities differ by >= 10% of the largest one
(golden_case.MIN_INPUT_SENSITIVITY), so a pipeline that ignored, flipped or zeroed its input cannot pass.
Usage: /tmp/venv-torch/bin/python tools/gen_torchscript_fixture.py"""
import os, sys
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "reference"))
sys.path.insert(0, "/work/shared/reference")  # from a worktree under /work/wt
sys.path.insert(0, HERE)
from isbi_unet import UNet  # noqa: E402
import golden_case  # noqa: E402

OUT = os.path.join(HERE, "..", "seg4j-core", "src", "test", "resources", "golden", "torchscript")
os.makedirs(OUT, exist_ok=True)


def sensitive(model, shape, seed):
    """Kaiming init and calibrated BN (golden_case), eval mode."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    golden_case.kaiming_init(model, gen)
    golden_case.calibrate_bn(model, torch.rand(4, *shape[1:], generator=gen))
    return model.eval(), gen


m, gen = sensitive(UNet(1, 2, 4), (2, 1, 32, 32), 3)
ts = torch.jit.trace(m, torch.rand(1, 1, 32, 32))
x = torch.rand(2, 1, 32, 32, generator=gen)
with torch.no_grad():
    prob = torch.softmax(m(x), dim=1)
    assert torch.allclose(prob, torch.softmax(ts(x), dim=1))
p1 = prob[:, 1]
s = golden_case.sensitivity(p1)
assert s >= golden_case.MIN_INPUT_SENSITIVITY, f"tiny_unet: class-1 probability moves by only {s:.3g}"
print(f"tiny_unet: class-1 probability spans {p1.min():.3f}..{p1.max():.3f}; input sensitivity {s:.2f}")
ts.save(os.path.join(OUT, "tiny_unet.pt"))
save_file({k: v.contiguous() for k, v in m.state_dict().items()}, os.path.join(OUT, "tiny_unet.safetensors"))
save_file({"input": x.contiguous(), "probabilities": prob.contiguous()}, os.path.join(OUT, "tiny_unet_io.safetensors"),
          metadata={"input_sensitivity": f"{s:.3g}"})
print("ok")

# The paper's valid-convolution U-Net (depth 2, base 4): its logits are 40 px smaller than its
# input, so seg4j must learn the shrink from the module and tile with mirrored context.
sys.path.insert(0, HERE)
from torch_models import UNetValid  # noqa: E402

v, gen = sensitive(UNetValid(1, 2, 4, depth=2), (2, 1, 60, 60), 4)
x = torch.rand(2, 1, 60, 60, generator=gen)
with torch.no_grad():
    s = golden_case.sensitivity(torch.softmax(v(x), dim=1)[:, 1])
assert s >= golden_case.MIN_INPUT_SENSITIVITY, f"tiny_unet_valid: class-1 probability moves by only {s:.3g}"
print(f"tiny_unet_valid: input sensitivity {s:.2f}")
ts = torch.jit.trace(v, torch.rand(1, 1, 60, 60))
for side in (60, 76, 92):
    x = torch.rand(1, 1, side, side)
    with torch.no_grad():
        a, b = v(x), ts(x)
    assert a.shape[-1] == side - 40 and torch.allclose(a, b, atol=1e-5), (side, a.shape)
ts.save(os.path.join(OUT, "tiny_unet_valid.pt"))
save_file({k: v2.contiguous() for k, v2 in v.state_dict().items()},
          os.path.join(OUT, "tiny_unet_valid.safetensors"))
print("ok valid")

# A pointwise model (one 1x1 conv, grey -> 2 classes) whose forward pass costs nothing, for the
# big-image predict tests that run a child JVM with a small -Xmx (issue 9 items 11 and 12).
torch.manual_seed(5)
p = torch.nn.Conv2d(1, 2, 1)
with torch.no_grad():
    p.weight.copy_(torch.tensor([[[[4.0]]], [[[-4.0]]]]))
    p.bias.copy_(torch.tensor([-2.0, 2.0]))
torch.jit.trace(p.eval(), torch.rand(1, 1, 32, 32)).save(os.path.join(OUT, "pointwise_1x1.pt"))
print("ok")
