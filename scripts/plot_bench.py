#!/usr/bin/python3
"""Plots of `sdekit bench` (Debian's python3-matplotlib and python3-numpy, Agg backend).

Usage: /usr/bin/python3 scripts/plot_bench.py <bench folder>
Reads the CSV and .npy files that `sdekit bench` wrote to the folder and writes beside them:
  orders.png            strong error against dt, log-log, per catalogue problem, fitted slopes in the legend
  samplers_nfe.png      sliced W2 against NFE per sampler, the exact-sample floor dashed
  samples_scatter.png   samples at NFE 20 over the density contours of the 2-D target
  likelihood.png        PF-ODE log-likelihood error and NFE against the solver tolerance
Each plot is made only when its CSV exists (a bench run of one suite writes one CSV)."""
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

DPI = 80


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    return float(text) if text not in ("", None) else math.nan


def plot_orders(folder):
    rows = read_csv(os.path.join(folder, "orders.csv"))
    fits = {(r["problem"], r["method"]): r for r in read_csv(os.path.join(folder, "orders_fit.csv"))}
    problems = list(dict.fromkeys(r["problem"] for r in rows))
    columns = 3
    lines = math.ceil(len(problems) / columns)
    fig, axes = plt.subplots(lines, columns, figsize=(11, 3.4 * lines), squeeze=False)
    for ax, problem in zip(axes.flat, problems):
        for method in dict.fromkeys(r["method"] for r in rows if r["problem"] == problem):
            mine = [r for r in rows if r["problem"] == problem and r["method"] == method]
            dt = [number(r["dt"]) for r in mine]
            err = [number(r["strong_error"]) for r in mine]
            slope = number(fits[(problem, method)]["strong_order"])
            ax.loglog(dt, err, "o-", markersize=3, label=f"{method} ({slope:.2f})")
        ax.set_title(problem)
        ax.set_xlabel("dt")
        ax.set_ylabel("E|X_N - X(T)|")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, title="method (fitted order)", title_fontsize=7)
    for ax in list(axes.flat)[len(problems):]:
        ax.axis("off")
    fig.suptitle("Strong error against step size on shared Brownian paths")
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "orders.png"), dpi=DPI)
    plt.close(fig)


def plot_samplers(folder):
    rows = read_csv(os.path.join(folder, "samplers.csv"))
    floor = next(number(r["sliced_w2"]) for r in rows if r["sampler"] == "exact samples")
    fig, ax = plt.subplots(figsize=(7, 4.6))
    for sampler in dict.fromkeys(r["sampler"] for r in rows if r["sampler"] != "exact samples"):
        mine = sorted((r for r in rows if r["sampler"] == sampler), key=lambda r: number(r["nfe"]))
        adaptive = mine[0]["tolerance"] != ""
        ax.loglog([number(r["nfe"]) for r in mine], [number(r["sliced_w2"]) for r in mine],
                  "s--" if adaptive else "o-", markersize=3, label=sampler + (" (adaptive)" if adaptive else ""))
    ax.axhline(floor, color="black", linestyle=":", label="exact samples (Monte Carlo floor)")
    ax.set_xlabel("NFE per sample")
    ax.set_ylabel("sliced W2 to exact samples")
    ax.set_title("Samplers on the 2-D mixture (VP SDE, exact score)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "samplers_nfe.png"), dpi=DPI)
    plt.close(fig)


def plot_scatter(folder):
    density = np.load(os.path.join(folder, "target_density.npy"))
    extent = {k: float(v) for k, v in read_csv(os.path.join(folder, "target_density_extent.csv"))[0].items()}
    wanted = ["exact", "euler-maruyama", "ddim", "dpm-solver++2m", "edm-heun", "pc"]
    present = [w for w in wanted if os.path.exists(os.path.join(folder, f"samples_{w}.npy"))]
    fig, axes = plt.subplots(1, len(present), figsize=(2.6 * len(present), 2.8), squeeze=False)
    xs = np.linspace(extent["x0"], extent["x1"], density.shape[1])
    ys = np.linspace(extent["y0"], extent["y1"], density.shape[0])
    for ax, name in zip(axes.flat, present):
        x = np.load(os.path.join(folder, f"samples_{name}.npy"))[:1500]
        ax.contour(xs, ys, density, levels=8, linewidths=0.7, cmap="viridis")
        ax.scatter(x[:, 0], x[:, 1], s=1, color="crimson", alpha=0.4)
        ax.set_title(name if name == "exact" else f"{name}, NFE 20", fontsize=8)
        ax.set_xlim(extent["x0"], extent["x1"])
        ax.set_ylim(extent["y0"], extent["y1"])
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "samples_scatter.png"), dpi=DPI)
    plt.close(fig)


def plot_likelihood(folder):
    rows = read_csv(os.path.join(folder, "likelihood.csv"))
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    for divergence in dict.fromkeys(r["divergence"] for r in rows):
        mine = [r for r in rows if r["divergence"] == divergence]
        tol = [number(r["tolerance"]) for r in mine]
        left.loglog(tol, [number(r["mean_abs_error"]) for r in mine], "o-", markersize=3, label=f"{divergence}: mean |error|")
        if divergence == "hutchinson":
            left.loglog(tol, [number(r["mean_standard_error"]) for r in mine], "x:", label="hutchinson: mean standard error")
        right.loglog(tol, [number(r["nfe"]) for r in mine], "o-", markersize=3, label=divergence)
    left.set_xlabel("rtol = atol")
    left.set_ylabel("|log p - log p_0|")
    left.set_title("PF-ODE log-likelihood error")
    right.set_xlabel("rtol = atol")
    right.set_ylabel("NFE")
    right.set_title("Cost")
    for ax in (left, right):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "likelihood.png"), dpi=DPI)
    plt.close(fig)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    made = []
    for csv_name, plot in [("orders.csv", plot_orders), ("samplers.csv", plot_samplers),
                           ("target_density.npy", plot_scatter), ("likelihood.csv", plot_likelihood)]:
        if os.path.exists(os.path.join(folder, csv_name)):
            plot(folder)
            made.append(plot.__name__)
    print("plot_bench.py: made " + (", ".join(made) if made else "nothing (no bench files)"), file=sys.stderr)


if __name__ == "__main__":
    main()
