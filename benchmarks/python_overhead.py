#!/usr/bin/python3
"""What sdekit.sample adds to each call of a Python score, against the same sampler written in NumPy.

Both sides run the reverse-SDE Euler–Maruyama sampler under the VP SDE (β from 0.1 to 20) on a grid
uniform in t from 1 down to ε = 10⁻³, on 2-D points, with the same Python score callable:
  - "numpy mixture": the exact score of sdekit.mixture_2d() written in NumPy (three components);
  - "torch mlp": the shipped TorchScript model (ε-prediction) called from Python, ε̂ → −ε̂/σ_t.
sdekit's time per NFE is that of sdekit.sample(..., score=(callable, 2)); the reference is a plain
Python loop doing the same Euler–Maruyama update, x ← x + [−f(t) x + g(t)² s(x, t)] Δt + g(t) √Δt z,
in NumPy with NumPy normals. The ratio is sdekit's time over the loop's. Times are process CPU time, the fastest of
--repeat runs (default 3); torch runs on one thread. Prints a table and writes python_overhead.csv to
--out DIR (default the current directory).

    PYTHONPATH=build/release/python /usr/bin/python3 benchmarks/python_overhead.py --out docs/results
"""
import argparse
import csv
import os
import time

import numpy as np
import torch

import sdekit

BETA_MIN, BETA_MAX, EPS = 0.1, 20.0, 1e-3
MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integrations", "torch", "models",
                     "mixture_vp.pt")


def vp_coefficients(t):
    """α_t, σ_t, f(t) and g(t)² of the VP SDE."""
    integrated_beta = t * (BETA_MIN + 0.5 * t * (BETA_MAX - BETA_MIN))
    beta = BETA_MIN + t * (BETA_MAX - BETA_MIN)
    alpha = np.exp(-0.5 * integrated_beta)
    return alpha, np.sqrt(-np.expm1(-integrated_beta)), -0.5 * beta, beta


def mixture_score():
    """∇log p_t of the VP-noised mixture_2d: Σ_k w_k(x) (−Σ_k,t⁻¹ (x − α μ_k))."""
    weights = np.array([0.5, 0.3, 0.2])
    means = np.array([[-2.0, 0.0], [2.0, 1.0], [0.0, -2.5]])
    covs = np.array([[[0.4, 0.15], [0.15, 0.2]], [[0.25, 0.0], [0.0, 0.5]], [[0.3, -0.1], [-0.1, 0.3]]])

    def score(x, t):
        alpha, sigma, _, _ = vp_coefficients(t)
        cov_t = alpha**2 * covs + sigma**2 * np.eye(2)
        prec = np.linalg.inv(cov_t)
        diff = x[:, None, :] - alpha * means[None, :, :]
        grad = -np.einsum("kij,bkj->bki", prec, diff)
        log_w = np.log(weights) - 0.5 * np.linalg.slogdet(cov_t)[1] + 0.5 * np.einsum("bki,bki->bk", diff, grad)
        w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
        w /= w.sum(axis=1, keepdims=True)
        return np.einsum("bk,bki->bi", w, grad)

    return score


def torch_score():
    module = torch.jit.load(MODEL)

    def score(x, t):
        sigma = vp_coefficients(t)[1]
        with torch.no_grad():
            eps = module(torch.from_numpy(x).float(), torch.full((x.shape[0],), t, dtype=torch.float32))
        return (-eps / sigma).double().numpy()

    return score


def numpy_sampler(score, n, steps, seed):
    """Reverse-SDE Euler–Maruyama in τ = 1 − t, as sdekit's reverse_sde_sample does it."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 2))
    grid = 1.0 + (EPS - 1.0) * np.arange(steps + 1) / steps
    for k in range(steps):
        t, dt = grid[k], grid[k] - grid[k + 1]
        _, _, f, g2 = vp_coefficients(t)
        x = x + (-f * x + g2 * score(x, t)) * dt + np.sqrt(g2 * dt) * rng.standard_normal((n, 2))
    return x


def fastest(repeat, fn):
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=".")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 64, 1024, 16384])
    args = parser.parse_args()
    torch.set_num_threads(1)

    rows = []
    print(f"{'score':>14} {'batch':>6} {'NFE':>5} {'sdekit µs/NFE':>14} {'NumPy loop µs/NFE':>18} {'ratio':>6}")
    for name, score in (("numpy mixture", mixture_score()), ("torch mlp", torch_score())):
        for n in args.batches:
            steps = max(24, 8192 // n)
            nfe = sdekit.sample("vp", "euler-maruyama", (score, 2), n=n, steps=steps, seed=1)[1]
            ours = fastest(args.repeat, lambda: sdekit.sample("vp", "euler-maruyama", (score, 2), n=n, steps=steps,
                                                              seed=1))
            loop = fastest(args.repeat, lambda: numpy_sampler(score, n, steps, 1))
            row = [name, n, nfe, 1e6 * ours / nfe, 1e6 * loop / steps, ours / nfe / (loop / steps)]
            rows.append(row)
            print(f"{row[0]:>14} {row[1]:>6} {row[2]:>5} {row[3]:>14.1f} {row[4]:>18.1f} {row[5]:>6.2f}")
    with open(os.path.join(args.out, "python_overhead.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["score", "batch", "nfe", "sdekit_us_per_nfe", "numpy_loop_us_per_nfe", "ratio"])
        writer.writerows(rows)


if __name__ == "__main__":
    main()
