"""Claims about the `sdekit` command line, one CTest test per case:
    /usr/bin/python3 check_cli.py <path to sdekit> <case>
Each case runs the program on small sizes in a fresh temporary folder and checks its numbers
(errors that fall with the step size, fitted orders, samples read back with NumPy, log-densities
against an independent NumPy evaluation of the target) or its refusal of bad input: exit code 2,
exactly one line on stderr naming the problem, and no file left behind. Seeds are fixed (42 unless
stated), so every number here is reproducible."""
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

SDEKIT = os.path.abspath(sys.argv[1])
CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def run(*args, timeout=300):
    return subprocess.run([SDEKIT, *args], capture_output=True, text=True, timeout=timeout)


def run_json(*args):
    r = run(*args, "--json")
    assert r.returncode == 0, f"exit {r.returncode}: {r.stderr}"
    return json.loads(r.stdout)


def table(report, title_start):
    for t in report["tables"]:
        if t["title"].startswith(title_start):
            return t["rows"]
    raise AssertionError(f"no table '{title_start}' in {[t['title'] for t in report['tables']]}")


def refused(args, fragment):
    """Bad input: exit code 2, one line on stderr containing fragment, nothing written."""
    before = sorted(os.listdir("."))
    r = run(*args)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, f"{args}: exit {r.returncode}, stderr {r.stderr!r}"
    assert len(lines) == 1, f"{args}: stderr has {len(lines)} lines: {r.stderr!r}"
    assert fragment in lines[0], f"{args}: {lines[0]!r} lacks {fragment!r}"
    assert r.stdout == "", f"{args}: stdout {r.stdout!r}"
    after = sorted(os.listdir("."))
    assert after == before, f"{args}: files changed from {before} to {after}"


# The built-in 2-D mixture (diffusion::targets::mixture_2d), evaluated independently with NumPy.
MIXTURE_2D = dict(
    weights=[0.5, 0.3, 0.2],
    means=[[-2.0, 0.0], [2.0, 1.0], [0.0, -2.5]],
    covariances=[[[0.4, 0.15], [0.15, 0.2]], [[0.25, 0.0], [0.0, 0.5]], [[0.3, -0.1], [-0.1, 0.3]]])


def mixture_log_density(x, mixture):
    terms = []
    for w, mu, cov in zip(mixture["weights"], mixture["means"], mixture["covariances"]):
        c = np.array(cov)
        r = x - np.array(mu)
        quad = np.einsum("ni,ij,nj->n", r, np.linalg.inv(c), r)
        terms.append(math.log(w / sum(mixture["weights"])) - 0.5 * quad - 0.5 * math.log(np.linalg.det(2 * math.pi * c)))
    return np.logaddexp.reduce(np.array(terms), axis=0)


def mixture_mean(mixture):
    w = np.array(mixture["weights"]) / sum(mixture["weights"])
    return (w[:, None] * np.array(mixture["means"])).sum(0)


def mixture_covariance(mixture):
    w = np.array(mixture["weights"]) / sum(mixture["weights"])
    mu = np.array(mixture["means"])
    second = sum(wk * (np.array(ck) + np.outer(mk, mk)) for wk, ck, mk in zip(w, mixture["covariances"], mu))
    m = mixture_mean(mixture)
    return second - np.outer(m, m)


# ---------------------------------------------------------------- solve


@case
def solve_errors_fall_and_orders_fit():
    """On GBM (500 paths, N = 16..128), the strong error of every method falls with every halving
    of dt; Euler–Maruyama fits strong order 0.5 ± 0.1 and Milstein 1.0 ± 0.1."""
    report = run_json("solve", "--paths", "500", "--steps", "16,32,64,128", "--method", "euler-maruyama,milstein")
    rows = {row["method"]: row for row in table(report, "Strong error")}
    for name, expected in [("euler-maruyama", 0.5), ("milstein", 1.0)]:
        errors = [rows[name][f"N={n}"] for n in (16, 32, 64, 128)]
        assert all(a > b for a, b in zip(errors, errors[1:])), f"{name}: errors do not fall: {errors}"
        assert abs(rows[name]["strong order"] - expected) <= 0.1, f"{name}: order {rows[name]['strong order']}"


@case
def solve_orders_gives_weak_order():
    """--orders on additive-noise OU (1000 paths): Euler–Maruyama's weak order fits 1.0 ± 0.15 and
    its strong order 1.0 ± 0.1 (additive noise); standard errors are reported and positive."""
    report = run_json("solve", "--problem", "ou", "--orders", "--paths", "1000", "--method", "euler-maruyama")
    fitted = table(report, "Fitted orders")[0]
    assert abs(fitted["weak order"] - 1.0) <= 0.15, fitted
    assert abs(fitted["strong order"] - 1.0) <= 0.1, fitted
    for row in table(report, "Errors per step size"):
        assert row["strong s.e."] > 0 and row["weak s.e."] > 0, row


@case
def solve_tolerance_gives_adaptive_errors():
    """--tolerance on GBM (200 paths, seed 42): adaptive SRIW1's strong error and its steps follow the
    tolerance (error falls, accepted steps grow, each error below 10·tol); methods without an error
    estimate get no adaptive row."""
    report = run_json("solve", "--paths", "200", "--steps", "16,32", "--tolerance", "1e-2,1e-3")
    rows = table(report, "Adaptive solves")
    assert [r["method"] for r in rows] == ["sriw1", "sriw1"], rows
    coarse, fine = rows
    assert fine["strong error"] < coarse["strong error"], rows
    assert fine["accepted steps"] > coarse["accepted steps"], rows
    for r in rows:
        assert r["strong error"] < 10 * r["tol"], r


@case
def default_main_job():
    """`sdekit` alone: exit 0 well under a minute, a table with the fitted strong order of every
    method that accepts GBM, each within 0.15 of its order on GBM (Heun-type: 1, scalar noise)."""
    start = time.time()
    r = run(timeout=120)
    took = time.time() - start
    assert r.returncode == 0, r.stderr
    assert took < 60, f"took {took:.1f} s"
    assert "strong order" in r.stdout, r.stdout
    report = run_json("solve")
    rows = table(report, "Strong error")
    assert len(rows) >= 1
    for row in rows:
        expected = 0.5 if row["method"] == "euler-maruyama" else max(1.0, row["stated"])
        assert abs(row["strong order"] - expected) <= 0.15, row


@case
def help_and_version():
    """--help of the program and of every subcommand exits 0 and shows defaults; --version prints it."""
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == "sdekit 0.1.0", r
    for sub, default in [("solve", "--paths UINT=1000"), ("sample", "--samples UINT=10000"),
                         ("loglik", "--tolerance FLOAT=1e-06")]:
        r = run(sub, "--help")
        assert r.returncode == 0 and default in r.stdout, (sub, r.stdout)
    assert run("--help").returncode == 0


@case
def incompatible_method_is_refused():
    """An additive-noise method on a diagonal-noise problem: require_compatible's sentence, exit 2."""
    refused(["solve", "--problem", "gbm", "--method", "sra1"], "SRA1 cannot solve this problem: it declares diagonal noise")


@case
def parallel_backends_give_the_same_numbers():
    """--backend omp/tbb/cpp with 2 threads print the same errors, to the last bit, as serial (300 paths)."""
    args = ["solve", "--problem", "wave", "--paths", "300", "--steps", "8,32"]
    serial = run_json(*args)
    for backend in ("cpp", "omp", "tbb"):
        r = run(*args, "--backend", backend, "--threads", "2", "--json")
        if r.returncode == 2 and "not available" in r.stderr:
            return  # a build without the Thrust ensembles: only serial exists, and says so
        assert r.returncode == 0, r.stderr
        other = json.loads(r.stdout)
        assert table(other, "Strong error") == table(serial, "Strong error"), backend


@case
def bench_writes_csv_and_plots():
    """`bench` on small sizes writes orders.csv, orders_fit.csv, samplers.csv, likelihood.csv with
    the expected columns and, with Debian's matplotlib, the four PNG plots; the fitted orders agree
    with the table printed on stdout, and the exact-divergence likelihood error falls with the tolerance."""
    report = run_json("bench", "--out-dir", "b", "--paths", "200", "--steps", "8,16,32", "--samples", "300",
                      "--nfe", "10,20", "--tolerances", "0.1,0.01", "--points", "20")
    import csv
    def rows(name):
        with open(os.path.join("b", name), newline="") as f:
            return list(csv.DictReader(f))
    fits = rows("orders_fit.csv")
    assert {"problem", "method", "strong_order", "weak_order"} <= set(fits[0])
    printed = table(report, "Fitted orders")
    assert len(printed) == len(fits)
    for a, b in zip(printed, fits):
        assert abs(a["strong_order"] - float(b["strong_order"])) <= 1e-12 * abs(a["strong_order"]), (a, b)
    assert len(rows("orders.csv")) == 3 * len(fits)
    samplers = rows("samplers.csv")
    assert samplers[0]["sampler"] == "exact samples" and len(samplers) > 10
    exact = [r for r in rows("likelihood.csv") if r["divergence"] == "exact"]
    errors = [float(r["mean_abs_error"]) for r in exact]
    assert errors[-1] < errors[0] / 100, errors
    for png in ("orders.png", "samplers_nfe.png", "samples_scatter.png", "likelihood.png"):
        assert os.path.getsize(os.path.join("b", png)) > 1000, png


# ---------------------------------------------------------------- sample


@case
def sample_writes_npy_that_numpy_reads():
    """`sample` writes (samples, d) float64 .npy; NumPy's mean of the file reproduces the printed mean
    error, which lies within 4 Monte Carlo standard errors √(tr Cov / n) of 0 (DPM-Solver++ 2M, 20 steps)."""
    n = 3000
    report = run_json("sample", "--samples", str(n), "--out", "s.npy")
    x = np.load("s.npy")
    assert x.dtype == np.float64 and x.shape == (n, 2), (x.dtype, x.shape)
    printed = {row["statistic"]: row["sampler"] for row in table(report, "Accuracy")}
    mean_error = np.linalg.norm(x.mean(0) - mixture_mean(MIXTURE_2D))
    assert abs(mean_error - printed["mean error"]) <= 1e-9 * max(1.0, mean_error), (mean_error, printed)
    bound = 4 * math.sqrt(np.trace(mixture_covariance(MIXTURE_2D)) / n)
    assert mean_error <= bound, (mean_error, bound)
    assert report["settings"]["NFE per sample"] == 20.0
    assert sorted(os.listdir(".")) == ["s.npy"], os.listdir(".")


@case
def sample_does_not_depend_on_batch_size():
    """Sample b depends on (seed, b) only: runs of 700 and 1500 samples (one batch of 700, batches
    of 1000 + 500) give bit-identical first 700 rows, for an SDE sampler and an ODE sampler."""
    for sampler in ("euler-maruyama", "dpm-solver++2m"):
        run_json("sample", "--sampler", sampler, "--samples", "700", "--out", "a.npy", "--steps", "10")
        run_json("sample", "--sampler", sampler, "--samples", "1500", "--out", "b.npy", "--steps", "10")
        a, b = np.load("a.npy"), np.load("b.npy")
        assert np.array_equal(a.view(np.uint64), b[:700].view(np.uint64)), sampler


@case
def sample_gaussian_from_command_line_and_json():
    """A Gaussian given by --mean/--cov and the same Gaussian from a JSON file give identical samples;
    PF-ODE RK4 (50 steps) matches its mean within 4 Monte Carlo standard errors and its covariance
    within 4 times the exact-sample floor."""
    n = 4000
    args = ["sample", "--sampler", "pf-ode-rk4", "--steps", "50", "--samples", str(n)]
    a = run_json(*args, "--mean", "1,-1", "--cov", "2,0.5,0.5,1", "--out", "a.npy")
    with open("g.json", "w") as f:
        json.dump({"means": [[1, -1]], "covariances": [[[2, 0.5], [0.5, 1]]]}, f)
    run_json(*args, "--target-file", "g.json", "--out", "b.npy")
    xa, xb = np.load("a.npy"), np.load("b.npy")
    assert np.array_equal(xa, xb)
    assert np.linalg.norm(xa.mean(0) - [1, -1]) <= 4 * math.sqrt(3.0 / n)
    rows = {row["statistic"]: row for row in table(a, "Accuracy")}
    assert rows["covariance error"]["sampler"] <= 4 * rows["covariance error"]["exact samples"], rows


@case
def sample_three_dimensional_mixture_from_json():
    """A 3-D two-component mixture from JSON (diagonal covariances as lists of variances, weights
    given): samples have shape (n, 3) and a weight error within 0.03 of the exact weights."""
    with open("m.json", "w") as f:
        json.dump({"weights": [1, 3], "means": [[-2, 0, 1], [2, 1, 0]],
                   "covariances": [[0.5, 0.5, 0.5], [[1, 0.2, 0], [0.2, 1, 0], [0, 0, 1]]]}, f)
    report = run_json("sample", "--target-file", "m.json", "--samples", "4000", "--out", "m.npy")
    assert np.load("m.npy").shape == (4000, 3)
    rows = {row["statistic"]: row["sampler"] for row in table(report, "Accuracy")}
    assert rows["weight error"] <= 0.03, rows


@case
def ctrl_c_leaves_no_file():
    """SIGINT during a long `sample` run: exit code 130 within 5 s, a one-line message, and neither
    the output file nor its temporary exists."""
    p = subprocess.Popen([SDEKIT, "sample", "--samples", "2000000", "--out", "big.npy"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    assert p.poll() is None, "the run ended before the signal"
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=20)
    assert p.returncode == 130, (p.returncode, err)
    assert "interrupted" in err.strip().splitlines()[-1], err
    assert os.listdir(".") == [], os.listdir(".")


# ---------------------------------------------------------------- loglik


def grid_points():
    xs, ys = np.meshgrid(np.linspace(-3.5, 3.0, 6), np.linspace(-3.5, 2.0, 5))
    return np.stack([xs.ravel(), ys.ravel()], axis=1)


@case
def loglik_matches_exact_log_density():
    """30 points (.npy) under the 2-D mixture, VP, exact divergence, tolerance 1e-8: log p plus the
    reported prior mismatch equals NumPy's exact log p_0 within 1e-5; bits/dim = −log p/(2 ln 2);
    the CSV form of the same points gives the same numbers."""
    x = grid_points()
    np.save("points.npy", x)
    report = run_json("loglik", "--points", "points.npy", "--tolerance", "1e-8", "--out", "lp.npy")
    out = np.load("lp.npy")
    assert out.shape == (len(x), 4), out.shape
    exact = mixture_log_density(x, MIXTURE_2D)
    error = np.abs(out[:, 0] + out[:, 3] - exact)
    assert error.max() <= 1e-5, error.max()
    assert np.allclose(out[:, 2], -out[:, 0] / (2 * math.log(2)), rtol=1e-14, atol=0)
    assert (out[:, 1] == 0).all()
    rows = {row["statistic"]: row["value"] for row in table(report, "Log-likelihood")}
    assert rows["max |log p + mismatch - exact|"] <= 1e-5, rows
    np.savetxt("points.csv", x, delimiter=",", header="x,y", comments="", fmt="%.17g")
    run_json("loglik", "--points", "points.csv", "--tolerance", "1e-8", "--out", "lp.csv")
    csv = np.loadtxt("lp.csv", delimiter=",", skiprows=1)
    assert np.allclose(csv, out, rtol=1e-12, atol=0)


@case
def loglik_hutchinson_within_its_standard_error():
    """Hutchinson's estimator (16 Rademacher probes, seed 0) on 12 points: every log p + mismatch lies
    within 5 reported standard errors (+1e-4) of the exact log p_0, and the standard errors are positive."""
    x = grid_points()[::3]
    np.save("points.npy", x)
    run_json("loglik", "--points", "points.npy", "--divergence", "hutchinson", "--probes", "16", "--out", "lp.npy")
    out = np.load("lp.npy")
    exact = mixture_log_density(x, MIXTURE_2D)
    assert (out[:, 1] > 0).all()
    assert (np.abs(out[:, 0] + out[:, 3] - exact) <= 5 * out[:, 1] + 1e-4).all(), (out, exact)


# ---------------------------------------------------------------- bad input


@case
def unknown_names_get_suggestions():
    refused(["solv"], "unknown subcommand 'solv'; did you mean 'solve'?")
    refused(["solve", "--stepz", "8"], "unknown option '--stepz'; did you mean '--steps'?")
    refused(["solve", "--method", "milstien"], "--method = 'milstien' is not a method; did you mean 'milstein'?")
    refused(["solve", "--problem", "gmb"], "--problem = 'gmb' is not a problem; did you mean 'gbm'?")
    refused(["sample", "--sampler", "ddmp"], "--sampler = 'ddmp' is not a sampler; did you mean 'ddpm'?")
    refused(["sample", "--sde", "vpp"], "--sde = 'vpp' is not a forward SDE; did you mean 'vp'?")
    refused(["sample", "--grid", "karas"], "did you mean 'karras'?")
    refused(["sample", "--target", "mixture"], "did you mean 'mixture2d'?")
    refused(["loglik", "--points", "p.npy", "--divergence", "hutchinsn"], "did you mean 'hutchinson'?")
    refused(["solve", "--backend", "gpu"], "--backend = 'gpu'")


@case
def malformed_numbers_are_refused():
    refused(["solve", "--paths", "abc"], "--paths")
    refused(["solve", "--steps", "8,x"], "--steps")
    refused(["sample", "--samples", "1e"], "--samples")
    refused(["solve", "--paths", "1"], "--paths = 1 must be at least 2")
    refused(["solve", "--steps", "0,8"], "--steps holds 0")
    refused(["solve", "--t1", "-1"], "--t1 = -1 must be positive")
    refused(["sample", "--samples", "1"], "--samples = 1 must be at least 2")
    refused(["sample", "--steps", "0"], "n = 0")
    refused(["sample", "--mean", "0,0", "--cov", "1,0,0"], "--cov has 3 entries")
    refused(["sample", "--mean", "0,0", "--cov", "1,2,3,4"], "not symmetric")
    refused(["sample", "--out", "no/such/dir/x.npy"], "--out = no/such/dir/x.npy: cannot create the file")


@case
def bad_npy_files_are_refused():
    np.save("int.npy", np.arange(6).reshape(3, 2))
    np.save("three.npy", np.zeros((4, 3)))
    np.save("rank3.npy", np.zeros((2, 2, 2)))
    np.save("good.npy", np.zeros((4, 2)))
    with open("good.npy", "rb") as f:
        whole = f.read()
    with open("trunc.npy", "wb") as f:
        f.write(whole[:-5])
    with open("garbage.npy", "wb") as f:
        f.write(b"\x93NUMPZ not really")
    np.save("nan.npy", np.array([[0.0, np.nan]]))
    refused(["loglik", "--points", "int.npy"], "int.npy: dtype '<i8' is not supported")
    refused(["loglik", "--points", "three.npy"], "three.npy: points have d = 3 columns but the target has dimension 2")
    refused(["loglik", "--points", "rank3.npy"], "rank3.npy: points must have shape (n, 2)")
    refused(["loglik", "--points", "trunc.npy"], "trunc.npy: truncated")
    refused(["loglik", "--points", "garbage.npy"], "garbage.npy: not a .npy file")
    refused(["loglik", "--points", "missing.npy"], "missing.npy: cannot open for reading")
    refused(["loglik", "--points", "nan.npy"], "nan.npy: point 0 has a non-finite value")
    with open("bad.csv", "w") as f:
        f.write("x,y\n1,2\n3,oops\n")
    refused(["loglik", "--points", "bad.csv"], "bad.csv:3: 'oops' is not a number")
    with open("wide.csv", "w") as f:
        f.write("1,2,3\n")
    refused(["loglik", "--points", "wide.csv"], "wide.csv:1: 3 values; the target has dimension 2")


@case
def bad_json_targets_are_refused():
    files = {
        "syntax.json": '{"means": [[0, 0]], "covariances": [[1, 1]',
        "missing.json": '{"means": [[0, 0]]}',
        "typo.json": '{"means": [[0, 0]], "covariances": [[1, 1]], "weigths": [1]}',
        "dims.json": '{"means": [[0, 0], [1, 1, 1]], "covariances": [[1, 1], [1, 1, 1]]}',
        "count.json": '{"means": [[0, 0], [1, 1]], "covariances": [[1, 1]]}',
        "type.json": '{"means": [["a", 0]], "covariances": [[1, 1]]}',
        "notpd.json": '{"means": [[0, 0]], "covariances": [[[1, 2], [2, 1]]]}',
        "weight.json": '{"weights": [-1], "means": [[0, 0]], "covariances": [[1, 1]]}',
        "array.json": '[1, 2]',
    }
    for name, text in files.items():
        with open(name, "w") as f:
            f.write(text)
    refused(["sample", "--target-file", "syntax.json"], "syntax.json: not valid JSON")
    refused(["sample", "--target-file", "missing.json"], "needs both \"means\" and \"covariances\"")
    refused(["sample", "--target-file", "typo.json"], "unknown key \"weigths\"; did you mean 'weights'?")
    refused(["sample", "--target-file", "dims.json"], "means[1] has 3 entries")
    refused(["sample", "--target-file", "count.json"], "one entry per mean (2)")
    refused(["sample", "--target-file", "type.json"], "means[0] holds \"a\", which is not a number")
    refused(["sample", "--target-file", "notpd.json"], "not positive definite")
    refused(["sample", "--target-file", "weight.json"], "weights[0] = -1 must be positive")
    refused(["sample", "--target-file", "array.json"], "must be a JSON object")
    refused(["sample", "--target-file", "nope.json"], "--target-file = nope.json: cannot open")
    refused(["loglik", "--points", "p.npy", "--target-file", "syntax.json"], "syntax.json: not valid JSON")


if __name__ == "__main__":
    name = sys.argv[2]
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        CASES[name]()
    print(f"{name}: passed")
