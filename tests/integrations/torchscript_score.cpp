// Claims about sdekit::torch::torchscript_score: it loads TorchScript models with their metadata,
// converts what they predict into the score exactly, differentiates them with autograd, and refuses
// bad files, shapes, dtypes and NaN outputs with messages that name them.
// The models come from scripts/make_test_models.py (SDEKIT_TEST_MODELS) and the shipped
// integrations/torch/models/mixture_vp.pt (SDEKIT_SHIPPED_MODEL).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <sdekit/diffusion/vp_sde.hpp>
#include <sdekit/torch/torchscript_score.hpp>

#include "error_message_check.hpp"

namespace sk = sdekit;
using sk::diffusion::vp_sde;

namespace {

std::string model(std::string const& name) { return std::string(SDEKIT_TEST_MODELS) + "/" + name; }

using sdekit_test::check_message;

}  // namespace

BOOST_AUTO_TEST_CASE(epsilon_model_with_sigma_input_gives_the_exact_score) {
  // ε̂ = σ_t x is the exact ε-prediction for data N(0, I) under VP, whose score is −x.
  sk::torch::torchscript_score<vp_sde> score(model("standard_normal_epsilon.pt"), vp_sde{});
  BOOST_TEST(score.dim() == 3u);
  BOOST_TEST((score.predicts() == sk::diffusion::prediction::epsilon));
  BOOST_TEST((score.takes() == sk::torch::time_input::sigma));
  std::vector<double> x{0.5, -1.0, 2.0, 0.25, 0.0, -3.0}, s;
  for (double t : {0.05, 0.5, 1.0}) {
    score(x, t, s);
    BOOST_REQUIRE(s.size() == x.size());
    for (std::size_t i = 0; i < x.size(); ++i) BOOST_TEST(std::fabs(s[i] + x[i]) < 1e-6 * (1 + std::fabs(x[i])));
  }
}

BOOST_AUTO_TEST_CASE(autograd_divergence_and_vjp_are_exact_for_a_linear_score) {
  sk::torch::torchscript_score<vp_sde> score(model("standard_normal_epsilon.pt"), vp_sde{});
  std::vector<double> x{0.5, -1.0, 2.0, 0.25, 0.0, -3.0}, div, vjp;
  score.divergence(x, 0.3, div);
  BOOST_REQUIRE(div.size() == 2u);
  for (double d : div) BOOST_TEST(std::fabs(d + 3.0) < 1e-5);  // ∇·(−x) = −d
  std::vector<double> v{1.0, -1.0, 1.0, 1.0, 1.0, -1.0};
  score.vector_jacobian_product(x, 0.3, v, vjp);
  for (std::size_t i = 0; i < v.size(); ++i) BOOST_TEST(std::fabs(vjp[i] + v[i]) < 1e-5);
}

BOOST_AUTO_TEST_CASE(shipped_model_carries_its_metadata_and_gives_finite_scores) {
  sk::torch::torchscript_score<vp_sde> score(SDEKIT_SHIPPED_MODEL, vp_sde{});
  BOOST_TEST(score.dim() == 2u);
  BOOST_TEST((score.predicts() == sk::diffusion::prediction::epsilon));
  BOOST_TEST(score.metadata()["sde"]["name"].get<std::string>() == "vp");
  std::vector<double> x{-2.0, 0.0, 2.0, 1.0, 0.0, -2.5}, s;
  score(x, 0.01, s);
  // Near t = 0 each mode centre is a near-stationary point of log p: the score there is small
  // compared with 1/σ_k ≈ 2 of the component scales.
  for (double v : s) BOOST_TEST(std::fabs(v) < 2.0);
}

BOOST_AUTO_TEST_CASE(unreadable_files_are_refused_with_their_path) {
  check_message([] { sk::torch::torchscript_score<vp_sde>(model("missing.pt"), vp_sde{}); },
                "missing.pt' cannot be loaded as TorchScript");
  check_message([] { sk::torch::torchscript_score<vp_sde>(model("not_a_model.pt"), vp_sde{}); },
                "not_a_model.pt' cannot be loaded as TorchScript");
}

BOOST_AUTO_TEST_CASE(wrong_shapes_dtypes_and_nan_outputs_are_refused) {
  std::vector<double> x{0.1, 0.2}, s;
  sk::torch::torchscript_score<vp_sde> wrong(model("wrong_shape.pt"), vp_sde{});
  check_message([&] { wrong(x, 0.5, s); }, "returned shape [1, 3] for input [1, 2]");
  sk::torch::torchscript_score<vp_sde> integer(model("integer_output.pt"), vp_sde{});
  check_message([&] { integer(x, 0.5, s); }, "returned dtype Long");
  sk::torch::torchscript_score<vp_sde> nan(model("nan_output.pt"), vp_sde{});
  check_message([&] { nan(x, 0.5, s); }, "t = 0.5");
  check_message([&] { wrong(std::vector<double>{0.1, 0.2, 0.3}, 0.5, s); }, "x has 3 values");
}
