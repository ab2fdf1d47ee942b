// Virtual Brownian tree (Li et al. 2020) carrying the space-time Lévy area (Foster 2020; Kidger et
// al. 2021): W(t) for any t in [t0, t1], to a tolerance, as a pure function of (seed, path, t).
//
// Every node is an interval [a, a + h] with its increment W and its space-time Lévy area
//   H = (1/h) ∫_a^{a+h} (W_r − W_a − (r − a)/h · W) dr,          H ~ N(0, h/12) independent of W.
// Halving it with one pair (Z, N) of counter-based normals keyed by the node gives the exact
// conditional law of the two halves (derived from the bridge covariances):
//   W₁ = W/2 + 3H/2 + √(h/16) Z,   W₂ = W − W₁,
//   H₁ = c/2 + √(h/48) N,          H₂ = c/2 − √(h/48) N,   c = 2H + W/2 − W₁.
// Bisection stops at a node boundary or at width ≤ tol; inside a leaf, W and ∫W take their
// conditional means given (W, H). So every query of the same t gives the same bits, whatever the
// step sizes, the order of queries, or rejected steps before it: adaptive solves need no redraws
// (Rackauckas & Nie 2017), and one path can be solved at many step sizes for convergence studies.
// The last descent is kept, so sequential queries draw O(1) new nodes each.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "errors.hpp"
#include "philox_normal.hpp"

namespace sdekit {

class brownian_tree {
 public:
  /// A path on [t0, t1]; tol is the width at which bisection stops (default (t1 − t0)·2⁻²⁰).
  brownian_tree(std::uint64_t seed, std::uint64_t path, double t0, double t1, double tol = 0.0,
                std::size_t dim = 0)
      : normal_(seed), path_(path), t0_(t0), t1_(t1), tol_(tol > 0.0 ? tol : (t1 - t0) * 0x1p-20) {
    detail::require_finite("brownian_tree t0", t0);
    detail::require_finite("brownian_tree t1", t1);
    if (!(t1 > t0)) detail::fail("brownian_tree span [", t0, ", ", t1, "] must have t1 > t0");
    detail::require_positive("brownian_tree tol", tol_);
    if (dim > 0) set_dim(dim);
  }

  /// Called by solve(): the solve's span must lie inside the tree's; the dimension is set if unset.
  void prepare(double t0, double t1, double /*dt*/, std::size_t dim) {
    if (t0 < t0_ || t1 > t1_)
      detail::fail("the solve's span [", t0, ", ", t1, "] leaves the brownian_tree span [", t0_, ", ", t1_, "]");
    if (dim_ == 0) set_dim(dim);
    else if (dim != dim_) detail::fail("brownian_tree has dim = ", dim_, " but the problem has ", dim, " Wiener processes");
  }

  std::size_t dim() const { return dim_; }
  double tolerance() const { return tol_; }
  double t0() const { return t0_; }
  double t1() const { return t1_; }

  /// W(t) − W(t0), component by component.
  template <class Vector>
  void value(double t, Vector& w) {
    evaluate(t);
    for (std::size_t j = 0; j < dim_; ++j) w[j] = cast_to(w, point_w_[j]);
  }

  /// ΔW = W(t) − W(s).
  template <class Vector>
  void increment(double s, double t, Vector& dW) {
    evaluate_pair(s, t);
    for (std::size_t j = 0; j < dim_; ++j) dW[j] = cast_to(dW, point_w_[j] - start_w_[j]);
  }

  /// ΔW and ΔZ = ∫_s^t (W_r − W_s) dr.
  template <class Vector>
  void increment(double s, double t, Vector& dW, Vector& dZ) {
    evaluate_pair(s, t);
    for (std::size_t j = 0; j < dim_; ++j) {
      dW[j] = cast_to(dW, point_w_[j] - start_w_[j]);
      dZ[j] = cast_to(dZ, point_i_[j] - start_i_[j] - (t - s) * start_w_[j]);
    }
  }

 private:
  static constexpr int max_depth = 60;

  // One node of the current descent; its vectors live in the flat arrays below.
  struct node {
    double a;
    double h;
    std::uint64_t id;
  };

  template <class Vector, class T>
  static auto cast_to(Vector const&, T v) {
    return static_cast<std::decay_t<decltype(std::declval<Vector const&>()[0])>>(v);
  }

  void set_dim(std::size_t dim) {
    dim_ = dim;
    for (auto* v : {&w_a_, &i_a_, &w_, &h_}) v->assign((max_depth + 1) * dim, 0.0);
    for (auto* v : {&point_w_, &point_i_, &start_w_, &start_i_}) v->assign(dim, 0.0);
    depth_ = 0;
    nodes_[0] = {t0_, t1_ - t0_, 1};
    double const span = t1_ - t0_;
    for (std::size_t j = 0; j < dim; ++j) {
      normal_pair const z = normal_.pair(path_, j);  // the root's pair: node 0
      w_[j] = std::sqrt(span) * z.first;
      h_[j] = std::sqrt(span / 12.0) * z.second;
    }
    has_point_ = false;
  }

  void require_ready(double t) const {
    if (dim_ == 0) detail::fail("brownian_tree: dim = 0; pass dim or solve with it first");
    if (!(t >= t0_ && t <= t1_)) detail::fail("brownian_tree: t = ", t, " is outside [", t0_, ", ", t1_, "]");
  }

  void evaluate_pair(double s, double t) {
    if (!(has_point_ && last_t_ == s)) evaluate(s);
    std::copy(point_w_.begin(), point_w_.end(), start_w_.begin());
    std::copy(point_i_.begin(), point_i_.end(), start_i_.begin());
    evaluate(t);
  }

  // Leaves point_w_ = W(t), point_i_ = ∫_{t0}^t W. The node that t is evaluated in is a function of t
  // alone: the descent from the root, going left when t < a + h/2, stopping at a node boundary or at
  // width ≤ tol. The kept descent is reused only as far as it agrees with that one; stopping in
  // another node that merely contains t (a neighbour's end point) would sum W in another order and
  // change the last bits with the query history.
  void evaluate(double t) {
    require_ready(t);
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

  bool stops_at(int depth, double t) const {
    node const& n = nodes_[depth];
    return n.h <= tol_ || t == n.a || t == n.a + n.h || depth == max_depth;
  }

  // Pushes the left or right half of the current node.
  void split(bool left) {
    node const& p = nodes_[depth_];
    double const h = p.h;
    std::size_t const up = depth_ * dim_;
    std::size_t const down = up + dim_;
    for (std::size_t j = 0; j < dim_; ++j) {
      normal_pair const z = normal_.pair(path_, p.id * dim_ + j);
      double const w = w_[up + j];
      double const area = h_[up + j];
      double const w1 = 0.5 * w + 1.5 * area + std::sqrt(h / 16.0) * z.first;
      double const c = 2.0 * area + 0.5 * w - w1;
      double const h1 = 0.5 * c + std::sqrt(h / 48.0) * z.second;
      if (left) {
        w_a_[down + j] = w_a_[up + j];
        i_a_[down + j] = i_a_[up + j];
        w_[down + j] = w1;
        h_[down + j] = h1;
      } else {
        w_a_[down + j] = w_a_[up + j] + w1;
        i_a_[down + j] = i_a_[up + j] + 0.5 * h * (w_a_[up + j] + 0.5 * w1 + h1);
        w_[down + j] = w - w1;
        h_[down + j] = c - h1;
      }
    }
    nodes_[depth_ + 1] = {left ? p.a : p.a + 0.5 * h, 0.5 * h, 2 * p.id + (left ? 0 : 1)};
    ++depth_;
  }

  // Conditional means inside the leaf [a, a + h] given its (W, H): with r = t − a,
  //   W(t) = W_a + (r/h) W + 6 r (h − r)/h² · H,
  //   ∫_a^t W = W_a r + r²/(2h) W + (3 r² h − 2 r³)/h² · H.
  void leaf_values(double t) {
    node const& n = nodes_[depth_];
    double const r = t - n.a;
    double const h = n.h;
    std::size_t const at = depth_ * dim_;
    for (std::size_t j = 0; j < dim_; ++j) {
      double const wa = w_a_[at + j];
      double const w = w_[at + j];
      double const area = h_[at + j];
      point_w_[j] = wa + (r / h) * w + 6.0 * r * (h - r) / (h * h) * area;
      point_i_[j] = i_a_[at + j] + wa * r + r * r / (2.0 * h) * w + (3.0 * r * r * h - 2.0 * r * r * r) / (h * h) * area;
    }
  }

  philox_normal normal_;
  std::uint64_t path_;
  double t0_;
  double t1_;
  double tol_;
  std::size_t dim_ = 0;
  int depth_ = 0;
  std::array<node, max_depth + 1> nodes_{};
  std::vector<double> w_a_, i_a_, w_, h_;  // per node of the descent: W(a), ∫_{t0}^a W, W, H
  std::vector<double> point_w_, point_i_, start_w_, start_i_;
  double last_t_ = 0.0;
  bool has_point_ = false;
};

}  // namespace sdekit
