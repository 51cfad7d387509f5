"""Golden fixtures for seg4j's optimisers: a tiny Conv2d trained 5 steps on L = sum(conv(x) * g)
with torch.optim.Adam / AdamW / SGD(momentum, nesterov), saving the weights after every step.
"adam_l2" is Adam with a strong L2 term on a loss scaled by 1e-3, so that weight decay moves the
weights as much as the gradient does (a dropped weight decay fails the test). "adam_frozen" keeps the weight frozen (requires_grad False) for steps 1-3 and releases it for 4-5
with the same optimiser, as a frozen encoder is released: torch counts Adam's steps per parameter.
Usage: /tmp/venv-torch/bin/python tools/gen_optim_fixtures.py  (writes seg4j-core/src/test/resources/golden/optim/)"""
import os
import torch, torch.nn as nn
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "seg4j-core", "src", "test", "resources", "golden", "optim")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
conv = nn.Conv2d(2, 3, 3, padding=1)
x = torch.randn(2, 2, 5, 5)
g = torch.randn(2, 3, 5, 5)
init = {k: v.detach().clone() for k, v in conv.state_dict().items()}
cases = {
    "adam": lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.01),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.99),
    "adam_l2": lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=1.0),
}
scale = {"adam_l2": 1e-3}
out = {"x": x, "g": g, "init.weight": init["weight"], "init.bias": init["bias"]}
for name, make in cases.items():
    conv.load_state_dict(init)
    opt = make(conv.parameters())
    for step in range(1, 6):
        opt.zero_grad()
        ((conv(x) * g).sum() * (1.0 + step) * scale.get(name, 1.0)).backward()
        opt.step()
        out[f"{name}.{step}.weight"] = conv.weight.detach().clone()
        out[f"{name}.{step}.bias"] = conv.bias.detach().clone()
conv.load_state_dict(init)
opt = torch.optim.Adam(conv.parameters(), lr=0.01)
for step in range(1, 6):
    conv.weight.requires_grad_(step > 3)
    opt.zero_grad()
    ((conv(x) * g).sum() * (1.0 + step)).backward()
    opt.step()
    out[f"adam_frozen.{step}.weight"] = conv.weight.detach().clone()
    out[f"adam_frozen.{step}.bias"] = conv.bias.detach().clone()
# the L2 term must matter: without it the weights after 5 steps differ by more than 10 tolerances
conv.load_state_dict(init)
opt = torch.optim.Adam(conv.parameters(), lr=0.01)
for step in range(1, 6):
    opt.zero_grad()
    ((conv(x) * g).sum() * (1.0 + step) * 1e-3).backward()
    opt.step()
gap = (conv.weight.detach() - out["adam_l2.5.weight"]).abs().max().item()
assert gap > 10 * (1e-6 + 1e-4 * out["adam_l2.5.weight"].abs().max().item()), gap
print("adam_l2: weight decay moves the weights by", gap)
save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(OUT, "optimizers.safetensors"))
print("wrote", len(out), "tensors")
