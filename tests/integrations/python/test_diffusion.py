"""Claims about sampling and likelihoods from Python with analytic and Python-callable scores.
Seeds: 0 unless stated."""
import unittest

import numpy as np

import sdekit


def numpy_mixture_score(mixture_params, x, t, beta_min=0.1, beta_max=20.0):
    """∇log p_t of a Gaussian mixture under the VP SDE, written independently of sdekit in NumPy."""
    weights, means, covs = mixture_params
    log_alpha = -0.25 * t**2 * (beta_max - beta_min) - 0.5 * t * beta_min
    alpha, var = np.exp(log_alpha), -np.expm1(2 * log_alpha)
    logs, grads = [], []
    for w, mu, cov in zip(weights, means, covs):
        c = alpha**2 * np.asarray(cov) + var * np.eye(2)
        ci = np.linalg.inv(c)
        r = x - alpha * np.asarray(mu)
        logs.append(np.log(w) - 0.5 * np.linalg.slogdet(c)[1] - 0.5 * np.einsum("bi,ij,bj->b", r, ci, r))
        grads.append(-r @ ci.T)
    logs = np.stack(logs)
    resp = np.exp(logs - logs.max(axis=0))
    resp /= resp.sum(axis=0)
    return np.einsum("kb,kbi->bi", resp, np.stack(grads))


MIXTURE = ([0.5, 0.3, 0.2], [[-2.0, 0.0], [2.0, 1.0], [0.0, -2.5]],
           [[[0.4, 0.15], [0.15, 0.2]], [[0.25, 0.0], [0.0, 0.5]], [[0.3, -0.1], [-0.1, 0.3]]])


class SampleFromPython(unittest.TestCase):
    def test_python_callable_score_gives_the_samples_of_the_builtin_score(self):
        target = sdekit.mixture_2d()
        builtin, nfe = sdekit.sample("vp", "euler-maruyama", target, n=256, steps=50, seed=3, backend="serial")
        self.assertEqual(nfe, 50)
        same, _ = sdekit.sample("vp", "euler-maruyama", (lambda x, t: target.score(x, t, "vp"), 2), n=256,
                                steps=50, seed=3)
        np.testing.assert_array_equal(builtin, same)
        # By default the built-in score takes the per-sample kernels, whose score rounds its last bits
        # otherwise.
        per_sample, _ = sdekit.sample("vp", "euler-maruyama", target, n=256, steps=50, seed=3)
        np.testing.assert_allclose(per_sample, builtin, rtol=0, atol=1e-12)
        independent, _ = sdekit.sample("vp", "euler-maruyama", (lambda x, t: numpy_mixture_score(MIXTURE, x, t), 2),
                                       n=256, steps=50, seed=3)
        np.testing.assert_allclose(independent, builtin, atol=1e-8)

    def test_samples_match_the_mixture_mean_within_monte_carlo_error(self):
        target = sdekit.mixture_2d()
        samples, _ = sdekit.sample("vp", "dpm-solver++2m", target, n=8000, steps=50, seed=11)
        exact = target.sample(200000, seed=1)
        se = exact.std(axis=0) / np.sqrt(len(samples))
        np.testing.assert_array_less(np.abs(samples.mean(axis=0) - exact.mean(axis=0)), 4 * se)

    def test_batch_split_gives_the_same_samples(self):
        target = sdekit.mixture_2d()
        whole, _ = sdekit.sample("vp", "pc", target, n=64, steps=20, seed=5)
        first, _ = sdekit.sample("vp", "pc", target, n=32, steps=20, seed=5)
        second, _ = sdekit.sample("vp", "pc", target, n=32, steps=20, seed=5, first_sample=32)
        np.testing.assert_array_equal(whole, np.concatenate([first, second]))

    def test_backends_give_the_serial_samples_and_the_same_bits_for_any_thread_count(self):
        """Per-sample kernels (omp, tbb, cpp) against the batched sampler (serial), and split runs."""
        if "omp" not in sdekit.backends():
            self.skipTest("this build has no Thrust ensembles: only the serial backend exists")
        target = sdekit.mixture_2d()
        for sampler in ("edm-heun", "dpm-solver++2m", "ddim", "ddpm", "euler-maruyama"):
            serial, nfe = sdekit.sample("vp", sampler, target, n=203, steps=12, seed=4, backend="serial")
            one, nfe_one = sdekit.sample("vp", sampler, target, n=203, steps=12, seed=4, backend="omp", threads=1)
            self.assertEqual(nfe, nfe_one)
            np.testing.assert_allclose(one, serial, rtol=0, atol=1e-12, err_msg=sampler)
            for backend, threads in (("omp", 2), ("tbb", 2), ("cpp", 1)):
                other, _ = sdekit.sample("vp", sampler, target, n=203, steps=12, seed=4, backend=backend,
                                         threads=threads)
                np.testing.assert_array_equal(other, one, err_msg=f"{sampler} on {backend}")
            tail, _ = sdekit.sample("vp", sampler, target, n=103, steps=12, seed=4, first_sample=100)
            np.testing.assert_array_equal(tail, one[100:], err_msg=f"{sampler}, a run from sample 100")

    def test_bad_input(self):
        with self.assertRaisesRegex(ValueError, "backend = 'gpu' is not a backend"):
            sdekit.sample("vp", "ddim", sdekit.mixture_2d(), n=4, steps=4, backend="gpu")
        with self.assertRaisesRegex(ValueError, "did you mean 'ddim'"):
            sdekit.sample("vp", "ddin", sdekit.mixture_2d(), n=4, steps=4)
        with self.assertRaisesRegex(ValueError, "steps = 0"):
            sdekit.sample("vp", "ddim", sdekit.mixture_2d(), n=4, steps=0)
        with self.assertRaisesRegex(ValueError, "score returned 3 values"):
            sdekit.sample("vp", "ddim", (lambda x, t: np.ones(3), 2), n=4, steps=4)


class LikelihoodFromPython(unittest.TestCase):
    def test_exact_score_likelihood_matches_the_exact_log_density(self):
        target = sdekit.mixture_2d()
        x = target.sample(16, seed=9)
        result = sdekit.log_likelihood(x, "vp", target, rtol=1e-8, atol=1e-8)
        # log p uses the N(0, 1) prior at T; with the mixture's own p_T (the prior mismatch term) the
        # PF-ODE likelihood is exact up to the solver tolerance.
        exact_prior = np.asarray(result["log_p"]) + np.asarray(result["prior_mismatch"])
        np.testing.assert_allclose(exact_prior, target.log_density(x), atol=1e-6)
        self.assertLess(np.max(np.abs(result["prior_mismatch"])), 1e-2)
        self.assertGreater(result["nfe"], 0)

    def test_per_point_likelihood_does_not_depend_on_the_backend_or_the_batch(self):
        """On a parallel backend each point takes its own steps: the same bits on every backend and
        thread count and for any subset of the points, and the serial (batched) value to its tolerance."""
        if "omp" not in sdekit.backends():
            self.skipTest("this build has no Thrust ensembles: only the serial backend exists")
        target = sdekit.mixture_2d()
        x = target.sample(40, seed=9)
        serial = sdekit.log_likelihood(x, "vp", target, rtol=1e-8, atol=1e-8, backend="serial")
        per_point = sdekit.log_likelihood(x, "vp", target, rtol=1e-8, atol=1e-8, backend="omp", threads=2)
        np.testing.assert_allclose(per_point["log_p"], serial["log_p"], atol=1e-6)
        for backend, threads in (("tbb", 1), ("cpp", 1)):
            other = sdekit.log_likelihood(x, "vp", target, rtol=1e-8, atol=1e-8, backend=backend, threads=threads)
            np.testing.assert_array_equal(other["log_p"], per_point["log_p"])
        part = sdekit.log_likelihood(x[10:17], "vp", target, rtol=1e-8, atol=1e-8, backend="omp")
        np.testing.assert_array_equal(part["log_p"], per_point["log_p"][10:17])

    def test_per_point_hutchinson_agrees_with_the_batched_estimator(self):
        """Hutchinson per (point, probe) on a parallel backend: the batched estimate on the same
        probes to the tolerance, and the same bits on every backend and thread count."""
        if "omp" not in sdekit.backends():
            self.skipTest("this build has no Thrust ensembles: only the serial backend exists")
        target = sdekit.mixture_2d()
        x = target.sample(30, seed=9)
        settings = dict(divergence="hutchinson", probes=4, seed=2, rtol=1e-8, atol=1e-8)
        serial = sdekit.log_likelihood(x, "vp", target, backend="serial", **settings)
        per_point = sdekit.log_likelihood(x, "vp", target, backend="omp", threads=2, **settings)
        np.testing.assert_allclose(per_point["log_p"], serial["log_p"], atol=1e-6)
        np.testing.assert_allclose(per_point["standard_error"], serial["standard_error"], atol=1e-6)
        other = sdekit.log_likelihood(x, "vp", target, backend="tbb", threads=1, **settings)
        np.testing.assert_array_equal(other["log_p"], per_point["log_p"])
        part = sdekit.log_likelihood(x[10:17], "vp", target, backend="omp", first_point=10, **settings)
        np.testing.assert_array_equal(part["log_p"], per_point["log_p"][10:17])


if __name__ == "__main__":
    unittest.main()
