"""sdekit from Python: SDE solvers, diffusion samplers and PF-ODE likelihoods.

    import numpy as np, sdekit
    gbm = sdekit.SDE(lambda x, t: 1.0 * x, lambda x, t: 0.8 * x)
    sol = sdekit.solve(gbm, "euler-maruyama", np.ones((1000, 1)), (0.0, 1.0), dt=2**-8, seed=42)
    samples, nfe = sdekit.sample("vp", "dpm-solver++2m", sdekit.mixture_2d(), n=1000, steps=20, seed=0)

Errors in arguments raise ValueError with the message of the C++ library.
"""
from ._sdekit import *  # noqa: F401,F403
from ._sdekit import __version__, has_torch  # noqa: F401
