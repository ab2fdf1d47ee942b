// The virtual Brownian tree of brownian_tree.hpp (Li et al. 2020, with the space-time Lévy area of
// Foster 2020) with fixed-capacity storage for Dim Wiener processes: the same node keys, the same
// halving formulas and the same leaf interpolation, so the same (seed, path, t) gives the same bits,
// but nothing is allocated and nothing is thrown, so one lives in each per-path kernel (host or
// device) and gives each path its own adaptive steps on its own path. The caller (the ensemble's
// host API) checks the span and queries only times inside it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <sdekit/solvers/config.hpp>
#include <sdekit/solvers/philox_normal.hpp>

namespace sdekit {

template <std::size_t Dim>
class fixed_brownian_tree {
 public:
  /// A path on [t0, t1]; tol > 0 is the width at which bisection stops (brownian_tree's meaning).
  SDEKIT_HOST_DEVICE fixed_brownian_tree(std::uint64_t seed, std::uint64_t path, double t0, double t1, double tol)
      : normal_(seed), path_(path), t0_(t0), t1_(t1), tol_(tol) {
    nodes_[0] = {t0_, t1_ - t0_, 1};
    double const span = t1_ - t0_;
    for (std::size_t j = 0; j < Dim; ++j) {
      normal_pair const z = normal_.pair(path_, j);
      w_a_[0][j] = 0.0;
      i_a_[0][j] = 0.0;
      w_[0][j] = std::sqrt(span) * z.first;
      h_[0][j] = std::sqrt(span / 12.0) * z.second;
    }
  }

  /// solve() calls this; the ensemble checked span and dimension once for all paths.
  SDEKIT_HOST_DEVICE void prepare(double, double, double, std::size_t) {}

  SDEKIT_HOST_DEVICE static constexpr std::size_t dim() { return Dim; }

  template <class Vector>
  SDEKIT_HOST_DEVICE void value(double t, Vector& w) {
    evaluate(t);
    for (std::size_t j = 0; j < Dim; ++j) w[j] = cast_to(w, point_w_[j]);
  }

  template <class Vector>
  SDEKIT_HOST_DEVICE void increment(double s, double t, Vector& dW) {
    evaluate_pair(s, t);
    for (std::size_t j = 0; j < Dim; ++j) dW[j] = cast_to(dW, point_w_[j] - start_w_[j]);
  }

  template <class Vector>
  SDEKIT_HOST_DEVICE void increment(double s, double t, Vector& dW, Vector& dZ) {
    evaluate_pair(s, t);
    for (std::size_t j = 0; j < Dim; ++j) {
      dW[j] = cast_to(dW, point_w_[j] - start_w_[j]);
      dZ[j] = cast_to(dZ, point_i_[j] - start_i_[j] - (t - s) * start_w_[j]);
    }
  }

 private:
  static constexpr int max_depth = 60;

  struct node {
    double a;
    double h;
    std::uint64_t id;
  };

  template <class Vector, class T>
  SDEKIT_HOST_DEVICE static auto cast_to(Vector const& v, T x) {
    return static_cast<std::decay_t<decltype(v[0])>>(x);
  }

  SDEKIT_HOST_DEVICE void evaluate_pair(double s, double t) {
    if (!(has_point_ && last_t_ == s)) evaluate(s);
    for (std::size_t j = 0; j < Dim; ++j) {
      start_w_[j] = point_w_[j];
      start_i_[j] = point_i_[j];
    }
    evaluate(t);
  }

  // The node that t is evaluated in is a function of t alone (brownian_tree.hpp): the descent
  // from the root, reusing the kept descent only as far as it agrees.
  SDEKIT_HOST_DEVICE void evaluate(double t) {
    int depth = 0;
    while (!stops_at(depth, t)) {
      bool const left = t < nodes_[depth].a + 0.5 * nodes_[depth].h;
      if (depth < depth_ && nodes_[depth + 1].id == 2 * nodes_[depth].id + (left ? 0 : 1)) {
        ++depth;
        continue;
      }
      depth_ = depth;
      split(left);
      depth = depth_;
    }
    depth_ = depth;
    leaf_values(t);
    last_t_ = t;
    has_point_ = true;
  }

  SDEKIT_HOST_DEVICE bool stops_at(int depth, double t) const {
    node const& n = nodes_[depth];
    return n.h <= tol_ || t == n.a || t == n.a + n.h || depth == max_depth;
  }

  // W₁ = W/2 + 3H/2 + √(h/16) Z, H₁ = c/2 + √(h/48) N, c = 2H + W/2 − W₁ (brownian_tree.hpp).
  SDEKIT_HOST_DEVICE void split(bool left) {
    node const p = nodes_[depth_];
    double const h = p.h;
    int const up = depth_;
    int const down = depth_ + 1;
    for (std::size_t j = 0; j < Dim; ++j) {
      normal_pair const z = normal_.pair(path_, p.id * Dim + j);
      double const w = w_[up][j];
      double const area = h_[up][j];
      double const w1 = 0.5 * w + 1.5 * area + std::sqrt(h / 16.0) * z.first;
      double const c = 2.0 * area + 0.5 * w - w1;
      double const h1 = 0.5 * c + std::sqrt(h / 48.0) * z.second;
      if (left) {
        w_a_[down][j] = w_a_[up][j];
        i_a_[down][j] = i_a_[up][j];
        w_[down][j] = w1;
        h_[down][j] = h1;
      } else {
        w_a_[down][j] = w_a_[up][j] + w1;
        i_a_[down][j] = i_a_[up][j] + 0.5 * h * (w_a_[up][j] + 0.5 * w1 + h1);
        w_[down][j] = w - w1;
        h_[down][j] = c - h1;
      }
    }
    nodes_[down] = {left ? p.a : p.a + 0.5 * h, 0.5 * h, 2 * p.id + (left ? 0 : 1)};
    ++depth_;
  }

  SDEKIT_HOST_DEVICE void leaf_values(double t) {
    node const& n = nodes_[depth_];
    double const r = t - n.a;
    double const h = n.h;
    for (std::size_t j = 0; j < Dim; ++j) {
      double const wa = w_a_[depth_][j];
      double const w = w_[depth_][j];
      double const area = h_[depth_][j];
      point_w_[j] = wa + (r / h) * w + 6.0 * r * (h - r) / (h * h) * area;
      point_i_[j] = i_a_[depth_][j] + wa * r + r * r / (2.0 * h) * w + (3.0 * r * r * h - 2.0 * r * r * r) / (h * h) * area;
    }
  }

  philox_normal normal_;
  std::uint64_t path_;
  double t0_;
  double t1_;
  double tol_;
  int depth_ = 0;
  node nodes_[max_depth + 1];
  double w_a_[max_depth + 1][Dim];  // per node of the descent: W(a), ∫_{t0}^a W, W, H
  double i_a_[max_depth + 1][Dim];
  double w_[max_depth + 1][Dim];
  double h_[max_depth + 1][Dim];
  double point_w_[Dim];
  double point_i_[Dim];
  double start_w_[Dim];
  double start_i_[Dim];
  double last_t_ = 0.0;
  bool has_point_ = false;
};

}  // namespace sdekit
