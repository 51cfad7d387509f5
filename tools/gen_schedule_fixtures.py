"""Golden learning-rate sequences from torch.optim.lr_scheduler for seg4j's schedules.
Usage: /tmp/venv-torch/bin/python tools/gen_schedule_fixtures.py"""
import json, os, torch

OUT = os.path.join(os.path.dirname(__file__), "..", "seg4j-core", "src", "test", "resources", "golden", "schedule", "schedules.json")
S = torch.optim.lr_scheduler


def run(make, epochs=30, metrics=None):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    sch = make(opt)
    out = []
    for e in range(epochs):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        if metrics is None:
            sch.step()
        else:
            sch.step(metrics[e])
    return out


metrics = [0.5, 0.6, 0.61, 0.61, 0.61, 0.61, 0.62, 0.62, 0.62, 0.62, 0.62, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7,
           0.71, 0.71, 0.71, 0.71, 0.71, 0.71, 0.71, 0.71, 0.71, 0.71]
data = {
    "step": run(lambda o: S.StepLR(o, 7, 0.5)),
    "multistep": run(lambda o: S.MultiStepLR(o, [5, 12, 20], 0.3)),
    "cosine": run(lambda o: S.CosineAnnealingLR(o, 30, 1e-4)),
    "poly": run(lambda o: S.PolynomialLR(o, total_iters=30, power=0.9)),
    "plateau": run(lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.5, patience=2, threshold=1e-4, cooldown=1, min_lr=1e-3), metrics=metrics),
    "plateau_metrics": metrics,
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
json.dump(data, open(OUT, "w"), indent=1)
print("ok")
