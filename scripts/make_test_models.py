#!/usr/bin/python3
"""Writes the small TorchScript models that sdekit's tests load: models that misbehave on purpose
(wrong output shape, integer output, NaN output) and a linear ε-model with a known closed form.

    /usr/bin/python3 scripts/make_test_models.py OUT_DIR
"""
import json
import pathlib
import sys

import torch
from torch import nn


class WrongShape(nn.Module):
    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return torch.zeros(x.shape[0], x.shape[1] + 1)


class IntegerOutput(nn.Module):
    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return torch.zeros_like(x, dtype=torch.int64)


class NanOutput(nn.Module):
    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return x * float("nan")


class StandardNormalEpsilon(nn.Module):
    """ε̂ of data N(0, I) under any SDE with α² + σ² = 1 (VP): ε̂ = σ_t x, the score is −x."""

    def forward(self, x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        return sigma[:, None] * x


def save(module, path, metadata):
    torch.jit.save(torch.jit.script(module), str(path), _extra_files={"sdekit.json": json.dumps(metadata)})


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    plain = {"prediction": "score", "time_input": "t", "dim": 2}
    save(WrongShape(), out / "wrong_shape.pt", plain)
    save(IntegerOutput(), out / "integer_output.pt", plain)
    save(NanOutput(), out / "nan_output.pt", plain)
    save(StandardNormalEpsilon(), out / "standard_normal_epsilon.pt",
         {"prediction": "epsilon", "time_input": "sigma", "dim": 3})
    (out / "not_a_model.pt").write_text("this is not a TorchScript archive\n")


if __name__ == "__main__":
    main()
