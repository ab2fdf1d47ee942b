#!/usr/bin/python3
"""Figures of docs/performance.md's ensemble section, from the benchmarks' CSV files.

    /usr/bin/python3 scripts/plot_ensembles.py docs/results

reads ensemble_euler_maruyama.csv and ensemble_strong_error.csv in that folder and writes
ensemble_throughput.png and ensemble_strong_error.png beside them.
"""
import csv
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def throughput(folder):
    rows = read(folder / "ensemble_euler_maruyama.csv")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for threads in ("1", "2"):
        scaling = [r for r in rows if r["table"] == "scaling" and r["threads"] == threads]
        paths = [int(r["paths"]) for r in scaling]
        left.plot(paths, [float(r["paths"]) * float(r["steps"]) / float(r["seconds"]) for r in scaling], "o-",
                  label=f"{threads} thread(s), wall")
        left.plot(paths, [float(r["paths"]) * float(r["steps"]) / float(r["cpu_seconds"]) * int(threads) for r in scaling],
                  "s--", label=f"{threads} thread(s), per CPU-second × threads")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("paths")
    left.set_ylabel("path-steps / s")
    left.set_title("Euler–Maruyama on GBM, 100 steps, OMP")
    left.legend(fontsize=7)
    bars = [r for r in rows if r["table"] == "throughput"]
    labels = [f'{r["problem"]} {r["backend"].replace("solve_ensemble ", "")} {r["threads"]}t' for r in bars]
    right.barh(range(len(bars)), [float(r["rate"]) for r in bars])
    right.set_yticks(range(len(bars)), labels, fontsize=6)
    right.set_xlabel("path-steps / s (wall)")
    right.set_title("10⁶ paths × 1000 steps")
    fig.tight_layout()
    fig.savefig(folder / "ensemble_throughput.png", dpi=120)


def strong_error(folder):
    rows = [r for r in read(folder / "ensemble_strong_error.csv") if r["strong_error"]]
    problems = sorted({r["problem"] for r in rows})
    fig, axes = plt.subplots(1, len(problems), figsize=(5.5 * len(problems), 4), squeeze=False)
    for ax, problem in zip(axes[0], problems):
        for method in sorted({r["method"] for r in rows if r["problem"] == problem}):
            points = [r for r in rows if r["problem"] == problem and r["method"] == method]
            ax.loglog([float(r["seconds"]) for r in points], [float(r["strong_error"]) for r in points], "o-",
                      label=method)
        ax.axhline(1e-4, color="grey", lw=0.8)
        ax.set_xlabel("seconds (OMP, 2 threads)")
        ax.set_ylabel("strong error at T = 1")
        ax.set_title(f"{problem}: cost of accuracy per path")
        ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "ensemble_strong_error.png", dpi=120)


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/results")
    throughput(folder)
    strong_error(folder)
