// The fast path: every permutation null as projections of permuted matrices.
//
// With no missing cells a permutation maps the dyad set onto itself, so sums
// and sums of squares of any permuted vector equal those of the original.
// Let Z = [1, X] (centred and scaled), Q an orthonormal basis of span(Z)
// (N x p) with coordinates C = Q'Z, y_c the centred dependent vector, and for
// coefficient k let W = Z without column k. The kernel projects the permuted
// centred input matrices on A = [r, Q], r = y_c - Q q (q = Q'y_c) the
// observed fit's residual (see "Cancellation" below; the y null reads only
// the rows of Q): s_j = A'(M_j* - mean_j) for
// M_0 = Y and M_j = X_j. Every vector a null permutes is a fixed linear
// combination v = sum_j w_j (M_j - mean_j) of them, so its projection is
// s_v = sum_j w_j s_j; no residual matrix is ever stored:
//
//   x:        v = x_k,                                   w = e_k
//   dsp:      v = M_W x_k = x_k - sum_{j != k} l_j x_j,  l = regression of x_k on W
//   freedman-lane: v = M_W y = y - sum_{j != k} m_j x_j, m = regression of y on W
//
// (the intercept's weight is zero: every centred column is orthogonal to 1).
// Then, by Frisch-Waugh-Lovell, with T_k an orthonormal basis of C without
// column k, n_k the unit vector completing it (so
// I - T_k T_k' = n_k n_k'), g_k = n_k'q and u = T_k's_v.tail(p):
//
//   |M_W y|^2 = |r|^2 + g_k^2  (M_W y = r + Q n_k g_k)
//   dsp / x:  d = |v|^2 - |u|^2 (= |M_W v*|^2),
//             a = s_v[0] + g_k n_k's_v.tail(p) (= v*'M_W y), b = a / d,
//             SSE = |M_W y|^2 - a^2 / d, t = b / sqrt(SSE / (N - p) / d)
//   y:        q* = Q'y*_c, SSE = |y_c|^2 - |q*|^2, R^2 = |q*|^2 / |y_c|^2,
//             coefficients C^-1 q* mapped back from the scaled design
//   freedman-lane: b = h_k's_v.tail(p) / |h_k|^2 with h_k = Q'(M_W z_k),
//             SSE = |M_W y|^2 - |s_v.tail(p)|^2
//
// so no permutation needs a refit or a QR (but see "Cancellation"). The
// basis is built in place where the design was factorised (FitOlsInPlace),
// so a run holds the input matrices and one N x (p + 1) basis:
// docs/performance.md has the derivation and the memory account; tests
// check every statistic against the listwise refit.
//
// Cancellation. A difference of two sums of squares keeps only the digits by
// which its result is not small against its terms: |M_W y|^2 taken as
// |y_c|^2 - |T_k'q|^2 had none left when X_k's coefficient is real but tiny
// (1e-9 of the others) and the fit near-exact, since |M_W y|^2 is then below
// u |y_c|^2; it came out as noise or negative, SSE <= 0, and every
// permutation of the x, dsp and freedman-lane nulls was NaN. So the
// quantities every permutation shares are built from vectors that are small
// themselves, never as differences of large ones: r is formed once in data
// space (and projected out twice, Gram-Schmidt's "twice is enough", so no
// component along Q survives from rounding), |M_W y|^2 = |r|^2 + g_k^2 is a
// sum of squares, and a = r'v* + g_k n_k's_v is a sum of two terms each of
// the size of |M_W y| |v|, where the old s_v[0] - (T_k'q)'u subtracted two
// terms of the size of |y| |v|. Their absolute error is then about u |y|
// from rounding y itself, which any double algorithm (the refit's QR
// included) shares. What remains are subtractions that the data, not the
// algebra, can make cancel: d (a permuted column almost inside the span of
// the others), the SSE of x, dsp and freedman-lane (a permuted model that
// fits almost exactly), the SSE of the y null (a permutation reproducing a
// near-exact fit, e.g. the identity), and the weighted sum s_v = sum_j w_j
// s_j itself when v is much smaller than its terms (freedman-lane's M_W y on
// a near-exact fit). They cannot be avoided without the permuted vectors
// themselves, which the kernel never forms. So each is tested (the last once
// per coefficient, see refit_always_): when a result falls below
// kCancellationShare of its larger term (it would keep fewer than about ten
// of the sixteen digits), that statistic of that permutation is computed by
// the listwise refit instead, built the first time it is needed; the answer
// is then the refit's, and CoefficientEstimate::refit_fallbacks counts how
// often it happened. On ordinary data none comes near: it takes a permuted
// design past the condition-number warning, or a permuted fit with a
// partial R^2 above 1 - 1e-6 (docs/method.md, "Cancellation in the fast
// path").
#include <Eigen/LU>
#include <Eigen/QR>
#include <cmath>
#include <mutex>

#include "null_models.hpp"
#include "projection_kernel.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/numeric.hpp"

namespace qap::detail {

namespace {

// A subtraction whose result is below this share of its larger term has
// lost six of its sixteen digits to cancellation (and any further digit for
// each factor of ten below it): such a statistic goes to the refit (see
// "Cancellation" above). At the threshold the rounding left is about
// 1e-10 relative, below the 1e-9 to which the tests hold the two algorithms.
// It also covers the refit's own rank test (pivots below 1e-10, i.e. d
// below 1e-20 of |v|^2), which the kernel cannot resolve in double.
constexpr double kCancellationShare = 1e-6;

class ProjectionModel final : public NullModel {
 public:
  // Fits the observed model into `observed`; on a rank problem the model is
  // left unusable and the caller reports the problem.
  ProjectionModel(const RegressionProblem& problem, std::variant<OlsFit, RankProblem>& observed)
      : problem_(problem) {
    const DyadIndex& dyads = *problem.dyads;
    const std::vector<LabelledMatrix>& explanatory = *problem.explanatory;
    const Eigen::Index n = dyads.size();
    const auto k = static_cast<Eigen::Index>(explanatory.size());
    const Eigen::Index p = k + 1;
    predictors_ = k;
    residual_df_ = static_cast<double>(n - p);
    const NullHypothesis null = problem.null_hypothesis;

    // The basis [y, 1, x_1 .. x_K] is gathered straight from the input
    // matrices and factorised where it lies: the design is never copied.
    kernel_ = std::make_unique<ProjectionKernel>(dyads, p + 1);
    Eigen::Map<Eigen::MatrixXd> basis = kernel_->column_major_basis();
    dyads.Gather(*problem.dependent_values, basis.col(0));
    for (Eigen::Index c = 0; c < k; ++c) {
      dyads.Gather(*problem.explanatory_values[static_cast<std::size_t>(c)], basis.col(c + 2));
    }
    observed = FitOlsInPlace(basis.rightCols(p), basis.col(0), coordinates_);
    const auto* fit = std::get_if<OlsFit>(&observed);
    if (fit == nullptr) return;
    means_ = fit->predictor_means;
    scales_ = fit->predictor_scales;
    y_mean_ = basis.col(0).mean();
    basis.col(0).array() -= y_mean_;
    y_square_ = basis.col(0).squaredNorm();
    y_coordinates_ = basis.rightCols(p).transpose() * basis.col(0);
    // Column 0 becomes the residual r = y_c - Q q, projected out twice: the
    // second pass removes what rounding left along Q (a component of the
    // size of u |y|, as large as r itself on a near-exact fit) and refines q.
    basis.col(0).noalias() -= basis.rightCols(p) * y_coordinates_;
    const Eigen::VectorXd correction = basis.rightCols(p).transpose() * basis.col(0);
    basis.col(0).noalias() -= basis.rightCols(p) * correction;
    y_coordinates_ += correction;
    residual_square_ = basis.col(0).squaredNorm();
    kernel_->FinishBasis();

    // b = T C^-1 q, T the back-transform from the scaled design.
    Eigen::MatrixXd back = Eigen::MatrixXd::Identity(p, p);
    back.row(0).tail(k) = -(means_.array() / scales_.array()).matrix().transpose();
    back.diagonal().tail(k) = scales_.cwiseInverse();
    coefficient_map_ = back * coordinates_.inverse();
    coefficient_variance_ = (coefficient_map_ * coefficient_map_.transpose()).diagonal();

    // The kernel projects Y (every null tests R^2 by permuting Y) and, unless
    // only Y is permuted, every X, each centred by a shift.
    std::vector<const DyadMatrix*> matrices{problem.dependent_values};
    std::vector<double> shifts{y_mean_};
    if (null != NullHypothesis::kPermuteY) {
      for (Eigen::Index c = 0; c < k; ++c) {
        matrices.push_back(problem.explanatory_values[static_cast<std::size_t>(c)]);
        shifts.push_back(means_[c]);
      }
      SetUpPartialledNulls(null, n);
    }
    matrix_count_ = static_cast<Eigen::Index>(matrices.size());
    kernel_->SetMatrices(std::move(matrices), std::move(shifts));
  }

  void SetUpPartialledNulls(NullHypothesis null, Eigen::Index n) {
    const Eigen::Index k = predictors_;
    const Eigen::Index p = k + 1;
    others_basis_.resize(static_cast<std::size_t>(k));
    normal_.resize(static_cast<std::size_t>(k));
    y_outside_.resize(static_cast<std::size_t>(k));
    vector_square_.resize(static_cast<std::size_t>(k));
    partial_square_.resize(static_cast<std::size_t>(k));
    lane_direction_.resize(static_cast<std::size_t>(k));
    // Column c of weights_: the permuted vector of coefficient c as a
    // combination of the projected [Y, X_1 .. X_K], all centred.
    weights_ = Eigen::MatrixXd::Zero(p, k);
    for (Eigen::Index c = 0; c < k; ++c) {
      const auto slot = static_cast<std::size_t>(c);
      Eigen::MatrixXd others(p, p - 1);
      for (Eigen::Index j = 0, o = 0; j < p; ++j) {
        if (j != c + 1) others.col(o++) = coordinates_.col(j);
      }
      // The full p x p Q of the others' Householder QR: its first p - 1
      // columns are T_k, its last n_k, orthonormal to rounding.
      const Eigen::HouseholderQR<Eigen::MatrixXd> others_householder(others);
      const Eigen::MatrixXd full = others_householder.householderQ();
      others_basis_[slot] = full.leftCols(p - 1);
      normal_[slot] = full.col(p - 1);
      y_outside_[slot] = normal_[slot].dot(y_coordinates_);
      const Eigen::VectorXd z_k = coordinates_.col(c + 1);
      lane_direction_[slot] = z_k - others_basis_[slot] * (others_basis_[slot].transpose() * z_k);
      // |M_W y|^2 as a sum of squares, not |y_c|^2 - |T_k'q|^2 (see "Cancellation").
      partial_square_[slot] = residual_square_ + y_outside_[slot] * y_outside_[slot];
      const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> others_qr(others);
      // Regression weights on the scaled columns [1, z_j (j != k)]; the first
      // (intercept) is zero up to rounding and dropped, see above.
      Eigen::VectorXd on_others;
      if (null == NullHypothesis::kPermuteX) {
        weights_(c + 1, c) = 1.0;
        vector_square_[slot] = static_cast<double>(n - 1) * scales_[c] * scales_[c];
        continue;
      }
      if (null == NullHypothesis::kDoubleSemiPartialling) {
        // M_W x_k = s_k M_W z_k = s_k (z_k - sum_j l_j z_j), z_j = x_j / s_j.
        on_others = others_qr.solve(z_k);
        weights_(c + 1, c) = 1.0;
        for (Eigen::Index j = 0, o = 1; j < k; ++j) {
          if (j == c) continue;
          weights_(j + 1, c) = -on_others[o++] * scales_[c] / scales_[j];
        }
        vector_square_[slot] = lane_direction_[slot].squaredNorm() * scales_[c] * scales_[c];
      } else {  // freedman-lane: M_W y = y - sum_j m_j z_j
        on_others = others_qr.solve(y_coordinates_);
        weights_(0, c) = 1.0;
        for (Eigen::Index j = 0, o = 1; j < k; ++j) {
          if (j == c) continue;
          weights_(j + 1, c) = -on_others[o++] / scales_[j];
        }
        vector_square_[slot] = partial_square_[slot];
      }
    }
    // The projection of a permuted v = sum_j w_j M_j is formed as the same
    // sum of the matrices' projections, each with a rounding error of about
    // u |M_j|: it keeps the digits of v only while sum_j |w_j| |M_j| is not
    // large against |v|. When it is (freedman-lane on a fit where |M_W y| is
    // below 1e-6 |y|; dsp on a column that others explain to 1 - 1e-12),
    // every permutation of that coefficient goes to the refit, whose
    // permuted vector is formed once in data space and permuted exactly.
    refit_always_.assign(static_cast<std::size_t>(k), 0);
    for (Eigen::Index c = 0; c < k; ++c) {
      double terms = std::abs(weights_(0, c)) * std::sqrt(y_square_);
      for (Eigen::Index j = 0; j < k; ++j) {
        terms += std::abs(weights_(j + 1, c)) * std::sqrt(static_cast<double>(n - 1)) * scales_[j];
      }
      const double size = std::sqrt(vector_square_[static_cast<std::size_t>(c)]);
      refit_always_[static_cast<std::size_t>(c)] = !(kCancellationShare * terms < size) ? 1 : 0;
    }
  }

  [[nodiscard]] std::unique_ptr<NullEvaluator> MakeEvaluator() const override;

  // The listwise refit of the same problem, for the statistics whose digits
  // the kernel cannot guarantee. Built on first use (by whichever thread
  // needs it first), so ordinary runs never gather the dyads a second time.
  const NullModel& Refit() const {
    std::call_once(refit_once_, [this] {
      auto copy = std::make_unique<RegressionProblem>(problem_);
      const DyadIndex& dyads = *copy->dyads;
      const auto k = static_cast<Eigen::Index>(copy->explanatory_values.size());
      copy->y.resize(dyads.size());
      dyads.Gather(*copy->dependent_values, copy->y);
      copy->x.resize(dyads.size(), k);
      for (Eigen::Index c = 0; c < k; ++c) {
        dyads.Gather(*copy->explanatory_values[static_cast<std::size_t>(c)], copy->x.col(c));
      }
      copy->complete.resize(static_cast<std::size_t>(dyads.size()));
      for (Eigen::Index d = 0; d < dyads.size(); ++d)
        copy->complete[static_cast<std::size_t>(d)] = d;
      refit_model_ = MakeListwiseRefitModel(*copy);
      refit_problem_ = std::move(copy);
    });
    return *refit_model_;
  }

 private:
  // The evaluator reads the model's precomputed state; nothing else does.
  friend class ProjectionEvaluator;

  const RegressionProblem& problem_;
  Eigen::Index predictors_ = 0;    // K
  Eigen::Index matrix_count_ = 0;  // Y and every X (K + 1), or Y alone under the y null
  double residual_df_ = 0.0;
  double y_mean_ = 0.0;
  double y_square_ = 0.0;         // |y_c|^2
  double residual_square_ = 0.0;  // |r|^2, r the observed fit's residual
  Eigen::VectorXd means_, scales_;
  Eigen::MatrixXd coordinates_;  // C = Q'Z
  Eigen::VectorXd y_coordinates_;
  Eigen::MatrixXd coefficient_map_;
  Eigen::VectorXd coefficient_variance_;         // diag of (Z'Z)^-1 in the original scale
  Eigen::MatrixXd weights_;                      // (K + 1) x K
  std::vector<Eigen::MatrixXd> others_basis_;    // T_k
  std::vector<Eigen::VectorXd> normal_;          // n_k
  std::vector<double> y_outside_;                // g_k = n_k'Q'y_c
  std::vector<double> vector_square_;            // |v_k|^2
  std::vector<double> partial_square_;           // |M_W y|^2
  std::vector<Eigen::VectorXd> lane_direction_;  // h_k
  std::vector<char> refit_always_;  // 1: every permutation of coefficient k goes to the refit
  std::unique_ptr<ProjectionKernel> kernel_;  // basis [r, Q]
  mutable std::once_flag refit_once_;
  mutable std::unique_ptr<RegressionProblem> refit_problem_;  // what refit_model_ reads
  mutable std::unique_ptr<NullModel> refit_model_;
};

class ProjectionEvaluator final : public NullEvaluator {
 public:
  explicit ProjectionEvaluator(const ProjectionModel& model)
      : model_(model), refit_columns_(static_cast<std::size_t>(model.predictors_ + 2), 0) {
    fallbacks_.assign(refit_columns_.size(), 0);
  }

  void Evaluate(std::span<const Permutation> block, Eigen::Ref<Eigen::MatrixXd> out) override {
    const ProjectionModel& m = model_;
    const RegressionProblem& problem = m.problem_;
    const NullHypothesis null = problem.null_hypothesis;
    const bool want_t = problem.statistic == TestStatistic::kT;
    const Eigen::Index k = m.predictors_;
    const Eigen::Index matrices = m.matrix_count_;
    m.kernel_->Project(block, projected_, workspace_);
    out.setConstant(kNaN);
    for (std::size_t b = 0; b < block.size(); ++b) {
      const auto row = static_cast<Eigen::Index>(b);
      const Eigen::Index base = row * matrices;
      std::fill(refit_columns_.begin(), refit_columns_.end(), 0);
      bool refit = false;
      // Y permutation.
      const auto q = projected_.col(base).tail(k + 1);
      const double explained = q.squaredNorm();
      out(row, k + 1) = explained / m.y_square_;
      if (null == NullHypothesis::kPermuteY) {
        const double sse = m.y_square_ - explained;
        if (want_t && !(sse > kCancellationShare * m.y_square_)) {
          std::fill(refit_columns_.begin(), refit_columns_.begin() + k + 1, 1);
          refit = true;
        } else {
          const double variance = sse / m.residual_df_;
          coefficients_.noalias() = m.coefficient_map_ * q;
          coefficients_[0] += m.y_mean_;
          for (Eigen::Index c = 0; c <= k; ++c) {
            out(row, c) = want_t
                              ? coefficients_[c] / std::sqrt(variance * m.coefficient_variance_[c])
                              : coefficients_[c];
          }
        }
      } else {
        permuted_.noalias() = projected_.middleCols(base, matrices) * m.weights_;
        for (Eigen::Index c = 0; c < k; ++c) {
          const auto slot = static_cast<std::size_t>(c);
          const auto s = permuted_.col(c);
          double coefficient = 0.0;
          double sse = 0.0;
          double precision = 0.0;  // 1 / var(b) up to sigma^2
          bool lost = false;       // a subtraction kept too few digits: refit
          if (m.refit_always_[slot] != 0) {
            lost = true;
          } else if (null == NullHypothesis::kFreedmanLane) {
            const auto coordinates = s.tail(k + 1);
            const Eigen::VectorXd& h = m.lane_direction_[slot];
            const double hh = h.squaredNorm();
            coefficient = h.dot(coordinates) / hh / m.scales_[c];
            sse = m.partial_square_[slot] - coordinates.squaredNorm();
            precision = hh * m.scales_[c] * m.scales_[c];
            lost = want_t && !(sse > kCancellationShare * m.partial_square_[slot]);
          } else {
            others_coordinates_.noalias() = m.others_basis_[slot].transpose() * s.tail(k + 1);
            const double partial_square =
                m.vector_square_[slot] - others_coordinates_.squaredNorm();
            if (!(partial_square > kCancellationShare * m.vector_square_[slot])) {
              lost = true;
            } else {
              const double cross = s[0] + m.y_outside_[slot] * m.normal_[slot].dot(s.tail(k + 1));
              coefficient = cross / partial_square;
              sse = m.partial_square_[slot] - cross * cross / partial_square;
              precision = partial_square;
              lost = want_t && !(sse > kCancellationShare * m.partial_square_[slot]);
            }
          }
          if (lost) {
            refit_columns_[static_cast<std::size_t>(c + 1)] = 1;
            refit = true;
          } else if (!want_t) {
            out(row, c + 1) = coefficient;
          } else {
            out(row, c + 1) = coefficient * std::sqrt(precision * m.residual_df_ / sse);
          }
        }
      }
      if (refit) RefitInto(block.subspan(b, 1), out, row);
    }
  }

  void AddRefitFallbacks(std::vector<std::size_t>& counts) const override {
    for (std::size_t c = 0; c < fallbacks_.size() && c < counts.size(); ++c)
      counts[c] += fallbacks_[c];
  }

 private:
  // The marked statistics of one permutation, from the listwise refit. The
  // refit computes the whole row; only the marked columns are taken, so the
  // others keep the kernel's values, as in a permutation with none marked.
  void RefitInto(std::span<const Permutation> one, Eigen::Ref<Eigen::MatrixXd> out,
                 Eigen::Index row) {
    if (!refit_) refit_ = model_.Refit().MakeEvaluator();
    refit_row_.resize(1, out.cols());
    refit_->Evaluate(one, refit_row_);
    for (std::size_t c = 0; c < refit_columns_.size(); ++c) {
      if (refit_columns_[c] == 0) continue;
      const auto column = static_cast<Eigen::Index>(c);
      out(row, column) = refit_row_(0, column);
      ++fallbacks_[c];
    }
  }

  const ProjectionModel& model_;
  ProjectionKernel::Workspace workspace_;
  Eigen::MatrixXd projected_;
  Eigen::MatrixXd permuted_;  // projections of the permuted vectors, one column per coefficient
  Eigen::VectorXd coefficients_;
  Eigen::VectorXd others_coordinates_;
  std::vector<char> refit_columns_;  // per statistic column of the current permutation: 1 to refit
  std::vector<std::size_t> fallbacks_;    // per statistic column: statistics taken from the refit
  std::unique_ptr<NullEvaluator> refit_;  // made on first need
  Eigen::MatrixXd refit_row_;
};

std::unique_ptr<NullEvaluator> ProjectionModel::MakeEvaluator() const {
  return std::make_unique<ProjectionEvaluator>(*this);
}

}  // namespace

ProjectionSetUp MakeProjectionModel(const RegressionProblem& problem) {
  ProjectionSetUp set_up;
  auto model = std::make_unique<ProjectionModel>(problem, set_up.observed);
  if (std::holds_alternative<OlsFit>(set_up.observed)) set_up.model = std::move(model);
  return set_up;
}

}  // namespace qap::detail
