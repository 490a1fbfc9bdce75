// The fast path: every permutation null as projections of permuted matrices.
//
// With no missing cells a permutation maps the dyad set onto itself, so sums
// and sums of squares of any permuted vector equal those of the original.
// Let Z = [1, X] (centred and scaled), Q an orthonormal basis of span(Z)
// (N x p) with coordinates C = Q'Z, y_c the centred dependent vector, and for
// coefficient k let W = Z without column k. The kernel projects the permuted
// centred input matrices on A = [y_c, Q]: s_j = A'(M_j* - mean_j) for
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
// column k and u = T_k's_v.tail(p):
//
//   dsp / x:  d = |v|^2 - |u|^2 (= |M_W v*|^2),
//             a = s_v[0] - (T_k'Q'y_c)'u (= v*'M_W y), b = a / d,
//             SSE = |M_W y|^2 - a^2 / d, t = b / sqrt(SSE / (N - p) / d)
//   y:        q = Q'y*_c, SSE = |y_c|^2 - |q|^2, R^2 = |q|^2 / |y_c|^2,
//             coefficients C^-1 q mapped back from the scaled design
//   freedman-lane: b = h_k's_v.tail(p) / |h_k|^2 with h_k = Q'(M_W z_k),
//             SSE = |M_W y|^2 - |s_v.tail(p)|^2
//
// so no permutation needs a refit or a QR. The basis is built in place where
// the design was factorised (FitOlsInPlace), so a run holds the input
// matrices and one N x (p + 1) basis: docs/performance.md has the derivation
// and the memory account; tests check every statistic against the listwise
// refit.
#include <Eigen/LU>
#include <Eigen/QR>
#include <cmath>
#include <limits>

#include "null_models.hpp"
#include "projection_kernel.hpp"
#include "qap/errors.hpp"

namespace qap::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A permuted refit whose partialled variance falls below this share of the
// total is treated as rank-deficient, as the QR's pivot threshold would.
constexpr double kDegenerateShare = 1e-20;

Eigen::MatrixXd ThinQ(const Eigen::MatrixXd& m) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(m);
  return qr.householderQ() * Eigen::MatrixXd::Identity(m.rows(), m.cols());
}

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
    others_y_.resize(static_cast<std::size_t>(k));
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
      others_basis_[slot] = ThinQ(others);
      others_y_[slot] = others_basis_[slot].transpose() * y_coordinates_;
      const Eigen::VectorXd z_k = coordinates_.col(c + 1);
      lane_direction_[slot] = z_k - others_basis_[slot] * (others_basis_[slot].transpose() * z_k);
      partial_square_[slot] = y_square_ - others_y_[slot].squaredNorm();
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
  }

  [[nodiscard]] std::unique_ptr<NullEvaluator> MakeEvaluator() const override;

  const RegressionProblem& problem_;
  Eigen::Index predictors_ = 0;    // K
  Eigen::Index matrix_count_ = 0;  // Y and every X (K + 1), or Y alone under the y null
  double residual_df_ = 0.0;
  double y_mean_ = 0.0;
  double y_square_ = 0.0;
  Eigen::VectorXd means_, scales_;
  Eigen::MatrixXd coordinates_;  // C = Q'Z
  Eigen::VectorXd y_coordinates_;
  Eigen::MatrixXd coefficient_map_;
  Eigen::VectorXd coefficient_variance_;  // diag of (Z'Z)^-1 in the original scale
  Eigen::MatrixXd weights_;                    // (K + 1) x K
  std::vector<Eigen::MatrixXd> others_basis_;  // T_k
  std::vector<Eigen::VectorXd> others_y_;      // T_k'Q'y_c
  std::vector<double> vector_square_;          // |v_k|^2
  std::vector<double> partial_square_;         // |M_W y|^2
  std::vector<Eigen::VectorXd> lane_direction_;  // h_k
  std::unique_ptr<ProjectionKernel> kernel_;  // basis [y_c, Q]
};

class ProjectionEvaluator final : public NullEvaluator {
 public:
  explicit ProjectionEvaluator(const ProjectionModel& model)
      : model_(model) {}

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
      // Y permutation.
      const auto q = projected_.col(base).tail(k + 1);
      const double explained = q.squaredNorm();
      out(row, k + 1) = explained / m.y_square_;
      if (null == NullHypothesis::kPermuteY) {
        const double sse = m.y_square_ - explained;
        const double variance = sse / m.residual_df_;
        coefficients_.noalias() = m.coefficient_map_ * q;
        coefficients_[0] += m.y_mean_;
        for (Eigen::Index c = 0; c <= k; ++c) {
          out(row, c) = want_t ? coefficients_[c] / std::sqrt(variance * m.coefficient_variance_[c]) : coefficients_[c];
        }
        continue;
      }
      permuted_.noalias() = projected_.middleCols(base, matrices) * m.weights_;
      for (Eigen::Index c = 0; c < k; ++c) {
        const auto slot = static_cast<std::size_t>(c);
        const auto s = permuted_.col(c);
        double coefficient = 0.0;
        double sse = 0.0;
        double precision = 0.0;  // 1 / var(b) up to sigma^2
        if (null == NullHypothesis::kFreedmanLane) {
          const auto coordinates = s.tail(k + 1);
          const Eigen::VectorXd& h = m.lane_direction_[slot];
          const double hh = h.squaredNorm();
          coefficient = h.dot(coordinates) / hh / m.scales_[c];
          sse = m.partial_square_[slot] - coordinates.squaredNorm();
          precision = hh * m.scales_[c] * m.scales_[c];
        } else {
          others_coordinates_.noalias() = m.others_basis_[slot].transpose() * s.tail(k + 1);
          const double partial_square = m.vector_square_[slot] - others_coordinates_.squaredNorm();
          if (!(partial_square > kDegenerateShare * m.vector_square_[slot])) continue;
          const double cross = s[0] - m.others_y_[slot].dot(others_coordinates_);
          coefficient = cross / partial_square;
          sse = m.partial_square_[slot] - cross * cross / partial_square;
          precision = partial_square;
        }
        if (!want_t) {
          out(row, c + 1) = coefficient;
        } else if (sse > 0.0) {
          out(row, c + 1) = coefficient * std::sqrt(precision * m.residual_df_ / sse);
        }
      }
    }
  }

 private:
  const ProjectionModel& model_;
  ProjectionKernel::Workspace workspace_;
  Eigen::MatrixXd projected_;
  Eigen::MatrixXd permuted_;  // projections of the permuted vectors, one column per coefficient
  Eigen::VectorXd coefficients_;
  Eigen::VectorXd others_coordinates_;
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
