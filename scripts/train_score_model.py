#!/usr/bin/python3
"""Trains a small time-conditioned score network by denoising score matching and exports TorchScript.

Denoising score matching (Song et al. 2021, eq. 7; Vincent 2011) on the VP SDE (β_min = 0.1,
β_max = 20): for x_0 from the data, t ~ U(ε, 1) and x_t = α_t x_0 + σ_t ε, the loss with weighting
λ_t = σ_t² is E‖σ_t s_θ(x_t, t) + ε‖², so the network predicts ε and the score is −ε_θ/σ_t. Data sets
are made here: the 2-D Gaussian mixture of sdekit's diffusion tests, two moons, a checkerboard.

The exported module takes x (B×2, float32) and t (B, float32) and returns ε̂ (B×2). What it predicts and
how it takes time travel with the file as the extra file `sdekit.json`, which sdekit's TorchScript loader
reads.

    /usr/bin/python3 scripts/train_score_model.py --data mixture --out model.pt
"""
import argparse
import json
import math
import time

import numpy as np
import torch
from torch import nn

BETA_MIN, BETA_MAX, EPS = 0.1, 20.0, 1e-3

# The 2-D mixture of sdekit::diffusion::targets::mixture_2d (weights, means, covariances).
MIXTURE_2D = {
    "weights": [0.5, 0.3, 0.2],
    "means": [[-2.0, 0.0], [2.0, 1.0], [0.0, -2.5]],
    "covariances": [[[0.4, 0.15], [0.15, 0.2]], [[0.25, 0.0], [0.0, 0.5]], [[0.3, -0.1], [-0.1, 0.3]]],
}


def vp_alpha_sigma(t):
    log_alpha = -0.25 * t**2 * (BETA_MAX - BETA_MIN) - 0.5 * t * BETA_MIN
    alpha = torch.exp(log_alpha)
    return alpha, torch.sqrt(-torch.expm1(2.0 * log_alpha))


def sample_mixture(n, gen):
    weights = torch.tensor(MIXTURE_2D["weights"], dtype=torch.float64)
    means = torch.tensor(MIXTURE_2D["means"], dtype=torch.float64)
    chol = torch.linalg.cholesky(torch.tensor(MIXTURE_2D["covariances"], dtype=torch.float64))
    k = torch.multinomial(weights, n, replacement=True, generator=gen)
    z = torch.randn(n, 2, 1, dtype=torch.float64, generator=gen)
    return (means[k] + (chol[k] @ z).squeeze(-1)).float()


def sample_moons(n, gen):
    angle = math.pi * torch.rand(n, generator=gen)
    upper = torch.rand(n, generator=gen) < 0.5
    x = torch.where(upper, torch.cos(angle), 1.0 - torch.cos(angle))
    y = torch.where(upper, torch.sin(angle), 0.5 - torch.sin(angle))
    pts = torch.stack([x - 0.5, y - 0.25], dim=1) * 2.0
    return pts + 0.1 * torch.randn(n, 2, generator=gen)


def sample_checkerboard(n, gen):
    cell = torch.randint(0, 8, (n, 2), generator=gen)
    cell[:, 1] = 2 * (cell[:, 1] // 2) + (cell[:, 0] % 2)
    return (cell + torch.rand(n, 2, generator=gen) - 4.0) * 0.75


DATASETS = {"mixture": sample_mixture, "moons": sample_moons, "checkerboard": sample_checkerboard}


class EpsilonMLP(nn.Module):
    """ε_θ(x, t): an MLP on x and sinusoidal features of t."""

    def __init__(self, width: int = 64, depth: int = 3, frequencies: int = 8):
        super().__init__()
        self.register_buffer("freq", math.pi * 2.0 ** torch.arange(frequencies, dtype=torch.float32) / 4.0)
        layers, size = [], 2 + 2 * frequencies
        for _ in range(depth):
            layers += [nn.Linear(size, width), nn.SiLU()]
            size = width
        layers.append(nn.Linear(size, 2))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        phase = t[:, None] * self.freq[None, :]
        return self.net(torch.cat([x, torch.sin(phase), torch.cos(phase)], dim=1))


def train(data, steps, batch, seed, lr):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = EpsilonMLP()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for step in range(steps):
        x0 = DATASETS[data](batch, gen)
        t = EPS + (1.0 - EPS) * torch.rand(batch, generator=gen)
        alpha, sigma = vp_alpha_sigma(t)
        noise = torch.randn(batch, 2, generator=gen)
        xt = alpha[:, None] * x0 + sigma[:, None] * noise
        loss = ((model(xt, t) - noise) ** 2).sum(dim=1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 1000 == 0 or step == steps - 1:
            print(f"step {step:6d}  loss {loss.item():.4f}", flush=True)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", choices=sorted(DATASETS), default="mixture")
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads; a 3×64 MLP gains nothing from more, and 2 threads spin (measured 5× the CPU)")
    parser.add_argument("--out", default="score_model.pt")
    parser.add_argument("--save-data", help="also write 10000 held-out data points as .npy")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    start = time.time()
    model = train(args.data, args.steps, args.batch, args.seed, args.lr).eval()
    metadata = {
        "prediction": "epsilon",
        "time_input": "t",
        "sde": {"name": "vp", "beta_min": BETA_MIN, "beta_max": BETA_MAX},
        "dim": 2,
        "data": args.data,
        "eps": EPS,
        "seed": args.seed,
        "steps": args.steps,
    }
    if args.data == "mixture":
        metadata["mixture"] = MIXTURE_2D
    scripted = torch.jit.script(model)
    torch.jit.save(scripted, args.out, _extra_files={"sdekit.json": json.dumps(metadata)})
    print(f"trained {args.steps} steps in {time.time() - start:.1f} s; wrote {args.out}")
    if args.save_data:
        gen = torch.Generator().manual_seed(args.seed + 1)
        np.save(args.save_data, DATASETS[args.data](10000, gen).double().numpy())


if __name__ == "__main__":
    main()
