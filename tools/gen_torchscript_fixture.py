"""A tiny TorchScript U-Net (shared/reference/isbi_unet.py's UNet at base 4) and its state_dict, for
seg4j's `predict --torchscript` test: seg4j must give the same probabilities from both.
Usage: /tmp/venv-torch/bin/python tools/gen_torchscript_fixture.py"""
import os, sys
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "reference"))
from isbi_unet import UNet  # noqa: E402

OUT = os.path.join(HERE, "..", "src", "test", "resources", "golden", "torchscript")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(3)
m = UNet(1, 2, 4)
with torch.no_grad():  # move BN statistics away from the identity so eval mode matters
    for mod in m.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.2, 0.2)
            mod.running_var.uniform_(0.5, 1.5)
m.eval()
ts = torch.jit.trace(m, torch.rand(1, 1, 32, 32))
ts.save(os.path.join(OUT, "tiny_unet.pt"))
save_file({k: v.contiguous() for k, v in m.state_dict().items()}, os.path.join(OUT, "tiny_unet.safetensors"))
print("ok")

# The paper's valid-convolution U-Net (depth 2, base 4): its logits are 40 px smaller than its
# input, so seg4j must learn the shrink from the module and tile with mirrored context.
sys.path.insert(0, HERE)
from torch_models import UNetValid  # noqa: E402

torch.manual_seed(4)
v = UNetValid(1, 2, 4, depth=2).eval()
ts = torch.jit.trace(v, torch.rand(1, 1, 60, 60))
for side in (60, 76, 92):
    x = torch.rand(1, 1, side, side)
    with torch.no_grad():
        a, b = v(x), ts(x)
    assert a.shape[-1] == side - 40 and torch.allclose(a, b), (side, a.shape)
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
