"""Claims about sdekit.solve and sdekit.solve_catalogue from Python. Seeds: 42 unless stated."""
import unittest

import numpy as np

import sdekit

MU, SIGMA = 1.0, 0.8


def gbm():
    return sdekit.SDE(lambda x, t: MU * x, lambda x, t: SIGMA * x)


class SolveFromPython(unittest.TestCase):
    def test_gbm_mean_matches_the_exact_moment(self):
        paths = 20000
        sol = sdekit.solve(gbm(), "euler-maruyama", np.ones((paths, 1)), (0.0, 1.0), dt=2**-8, seed=42)
        x_T = sol["x"][:, -1, 0]
        self.assertEqual(sol["x"].shape, (paths, 1, 1))
        self.assertTrue(all(s == "success" for s in sol["status"]))
        exact_mean = np.exp(MU)
        exact_sd = np.sqrt(np.exp(2 * MU) * (np.exp(SIGMA**2) - 1))
        # Euler–Maruyama's weak bias at dt = 2^-8 is ≈ 0.5 % of the mean, below 4 standard errors.
        self.assertLess(abs(x_T.mean() - exact_mean), 4 * exact_sd / np.sqrt(paths))

    def test_same_seed_same_bits_whatever_the_batch_split(self):
        x0 = np.ones((200, 1))
        whole = sdekit.solve(gbm(), "sriw1", x0, (0.0, 1.0), dt=2**-6, seed=7, save_at=[0.5, 1.0])
        first = sdekit.solve(gbm(), "sriw1", x0[:100], (0.0, 1.0), dt=2**-6, seed=7, save_at=[0.5, 1.0])
        second = sdekit.solve(gbm(), "sriw1", x0[100:], (0.0, 1.0), dt=2**-6, seed=7, save_at=[0.5, 1.0],
                              first_path=100)
        np.testing.assert_array_equal(whole["x"], np.concatenate([first["x"], second["x"]]))
        self.assertEqual(whole["t"], [0.5, 1.0])

    def test_a_path_whose_drift_turns_nan_reports_its_status_and_the_others_finish(self):
        guarded = sdekit.SDE(lambda x, t: np.where(x > 100, np.nan, MU * x), lambda x, t: SIGMA * x)
        x0 = np.ones((5, 1))
        x0[3] = 1000.0
        sol = sdekit.solve(guarded, "euler-maruyama", x0, (0.0, 1.0), dt=2**-4, seed=42)
        self.assertEqual(sol["status"][3], "non-finite state")
        self.assertEqual(sol["failed_step"][3], 1)
        self.assertEqual(sol["failed_time"][3], 2**-4)
        for b in (0, 1, 2, 4):
            self.assertEqual(sol["status"][b], "success")
            self.assertTrue(np.isfinite(sol["x"][b]).all())

    def test_additive_noise_with_sra1(self):
        ou = sdekit.SDE(lambda x, t: 2.0 * (0.5 - x), lambda x, t: 0.3 * np.ones_like(x), noise="additive")
        sol = sdekit.solve(ou, "sra1", np.zeros((20000, 1)), (0.0, 2.0), dt=2**-5, seed=3)
        x_T = sol["x"][:, -1, 0]
        mean = 0.5 * (1 - np.exp(-4.0))
        var = 0.09 / 4.0 * (1 - np.exp(-8.0))
        self.assertLess(abs(x_T.mean() - mean), 4 * np.sqrt(var / 20000))
        self.assertLess(abs(x_T.var() - var), 4 * var * np.sqrt(2 / 20000))

    def test_bad_input_raises_value_error_naming_it(self):
        with self.assertRaisesRegex(ValueError, "dt0 = 0"):
            sdekit.solve(gbm(), "euler-maruyama", np.ones((2, 1)), (0.0, 1.0), dt=0.0)
        with self.assertRaisesRegex(ValueError, r"time span \[1, 0\]"):
            sdekit.solve(gbm(), "euler-maruyama", np.ones((2, 1)), (1.0, 0.0), dt=0.1)
        with self.assertRaisesRegex(ValueError, "x0\\[1\\] = nan"):
            sdekit.solve(gbm(), "euler-maruyama", np.array([[1.0], [np.nan]]), (0.0, 1.0), dt=0.1)
        with self.assertRaisesRegex(ValueError, "did you mean 'euler-maruyama'"):
            sdekit.solve(gbm(), "euler-maruyma", np.ones((2, 1)), (0.0, 1.0), dt=0.1)
        wrong = sdekit.SDE(lambda x, t: np.ones(3), lambda x, t: x)
        with self.assertRaisesRegex(ValueError, "drift returned 3 values"):
            sdekit.solve(wrong, "euler-maruyama", np.ones((2, 1)), (0.0, 1.0), dt=0.5)
        with self.assertRaisesRegex(ValueError, "SRA1 cannot solve this problem"):
            sdekit.solve(gbm(), "sra1", np.ones((2, 1)), (0.0, 1.0), dt=0.5)


class CatalogueFromPython(unittest.TestCase):
    def test_strong_error_of_milstein_halves_with_dt(self):
        coarse = sdekit.solve_catalogue("gbm", "milstein", paths=2000, dt=2**-4, seed=1)
        fine = sdekit.solve_catalogue("gbm", "milstein", paths=2000, dt=2**-6, seed=1)
        order = np.log2(coarse["strong_error"] / fine["strong_error"]) / 2
        self.assertAlmostEqual(order, 1.0, delta=0.15)
        self.assertIn("wave", sdekit.catalogue_problems())


if __name__ == "__main__":
    unittest.main()
