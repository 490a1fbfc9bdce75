// The fast path: every permutation null as projections of permuted matrices.
//
// With no missing cells a permutation maps the dyad set onto itself, so sums
// and sums of squares of any permuted vector equal those of the original.
// Let Z = [1, X] (scaled), Q an orthonormal basis of span(Z) (N x p), y_c the
// centred dependent vector, and for coefficient k let W = Z without column k
// and T_k an orthonormal basis of Q'W inside the p-dimensional coordinates.
// For a permuted vector v* the kernel returns s = [y_c'v*, Q'v*]; then
// (Frisch-Waugh-Lovell):
//
//   dsp / x:  u = T_k'Q'v*, d = |v|^2 - |u|^2 (= |M_W v*|^2),
//             a = y_c'v* - (T_k'Q'y_c)'u (= v*'M_W y), b = a / d,
//             SSE = |M_W y|^2 - a^2 / d, t = b / sqrt(SSE / (N - p) / d)
//   y:        q = Q'y*_c, SSE = |y_c|^2 - |q|^2, R^2 = |q|^2 / |y_c|^2,
//             coefficients C^-1 q mapped back from the scaled design
//   freedman-lane (v* = permuted residual e* of y on W):
//             b = h_k'Q'e* / |h_k|^2 with h_k = Q'(M_W z_k),
//             SSE = |e|^2 - |Q'e*|^2
//
// so no permutation needs a refit or a QR. docs/performance.md has the
// derivation; tests check every statistic against the listwise refit.
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

DyadMatrix MatrixMinus(const DyadMatrix& m, double shift) { return (m.array() - shift).matrix(); }

class ProjectionModel final : public NullModel {
 public:
  explicit ProjectionModel(const RegressionProblem& problem) : problem_(problem) {
    const Eigen::Index n = problem.y.size();
    const Eigen::Index k = problem.x.cols();
    const Eigen::Index p = k + 1;
    predictors_ = k;
    residual_df_ = static_cast<double>(n - p);
    const NullHypothesis null = problem.null_hypothesis;

    y_mean_ = problem.y.mean();
    Eigen::VectorXd y_centred = problem.y.array() - y_mean_;
    y_square_ = y_centred.squaredNorm();

    // Orthonormal basis of the scaled design, factorised in place and expanded
    // straight into the kernel's basis: the largest arrays exist once.
    means_.resize(k);
    scales_.resize(k);
    kernel_ = std::make_unique<ProjectionKernel>(*problem.dyads, p + 1);
    ProjectionKernel::BasisView basis = kernel_->basis();
    {
      Eigen::MatrixXd design(n, p);
      design.col(0).setOnes();
      for (Eigen::Index c = 0; c < k; ++c) {
        means_[c] = problem.x.col(c).mean();
        scales_[c] = SampleStandardDeviation(problem.x.col(c));
        design.col(c + 1) = (problem.x.col(c).array() - means_[c]) / scales_[c];
      }
      Eigen::HouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(design);
      coordinates_ = qr.matrixQR().topRows(p).triangularView<Eigen::Upper>();  // C = Q'Z = R
      auto q_view = basis.rightCols(p);
      q_view.setZero();
      q_view.topRows(p).setIdentity();
      q_view.applyOnTheLeft(qr.householderQ());
    }
    basis.col(0) = y_centred;
    const auto q = basis.rightCols(p);
    y_coordinates_ = q.transpose() * y_centred;

    // Y permutation (R^2 for every null; all coefficients under the y null).
    centred_dependent_ = MatrixMinus(problem.dependent->values, y_mean_);
    // b = T C^-1 q, T the back-transform from the scaled design.
    Eigen::MatrixXd back(p, p);
    back.setZero();
    back(0, 0) = 1.0;
    for (Eigen::Index c = 0; c < k; ++c) {
      back(0, c + 1) = -means_[c] / scales_[c];
      back(c + 1, c + 1) = 1.0 / scales_[c];
    }
    coefficient_map_ = back * coordinates_.inverse();
    coefficient_variance_ = (coefficient_map_ * coefficient_map_.transpose()).diagonal();
    if (null != NullHypothesis::kPermuteY) SetUpPartialledNulls(problem, y_centred);
    std::vector<const DyadMatrix*> matrices{&centred_dependent_};
    for (const DyadMatrix& matrix : permuted_) matrices.push_back(&matrix);
    matrix_count_ = static_cast<Eigen::Index>(matrices.size());
    kernel_->SetMatrices(std::move(matrices));
  }

  void SetUpPartialledNulls(const RegressionProblem& problem, const Eigen::VectorXd& y_centred) {
    const NullHypothesis null = problem.null_hypothesis;
    const Eigen::Index n = problem.y.size();
    const Eigen::Index k = problem.x.cols();
    const Eigen::Index p = k + 1;
    const auto q = kernel_->basis().rightCols(p);
    others_basis_.resize(static_cast<std::size_t>(k));
    others_y_.resize(static_cast<std::size_t>(k));
    vector_square_.resize(static_cast<std::size_t>(k));
    partial_square_.resize(static_cast<std::size_t>(k));
    lane_direction_.resize(static_cast<std::size_t>(k));
    permuted_.resize(static_cast<std::size_t>(k));
    const DyadIndex& dyads = *problem.dyads;
    Eigen::VectorXd v(n);
    for (Eigen::Index c = 0; c < k; ++c) {
      const auto slot = static_cast<std::size_t>(c);
      Eigen::MatrixXd others(p, p - 1);
      for (Eigen::Index j = 0, o = 0; j < p; ++j) {
        if (j != c + 1) others.col(o++) = coordinates_.col(j);
      }
      others_basis_[slot] = ThinQ(others);
      others_y_[slot] = others_basis_[slot].transpose() * y_coordinates_;
      const Eigen::VectorXd z_k = coordinates_.col(c + 1);
      const Eigen::VectorXd h = z_k - others_basis_[slot] * (others_basis_[slot].transpose() * z_k);
      lane_direction_[slot] = h;
      // The matrix this coefficient's null permutes, and |v|^2.
      if (null == NullHypothesis::kPermuteX) {
        permuted_[slot] = MatrixMinus((*problem.explanatory)[slot].values, means_[c]);
        v = problem.x.col(c).array() - means_[c];
      } else if (null == NullHypothesis::kDoubleSemiPartialling) {
        v.noalias() = q * (h * scales_[c]);  // residual of the unscaled x_k on the others
        permuted_[slot] = dyads.Scatter(v);
      } else {  // freedman-lane: residual of y on the others
        v = y_centred;
        v.noalias() -= q * (others_basis_[slot] * others_y_[slot]);
        permuted_[slot] = dyads.Scatter(v);
      }
      vector_square_[slot] = v.squaredNorm();
      partial_square_[slot] = y_square_ - others_y_[slot].squaredNorm();
    }
  }

  [[nodiscard]] std::unique_ptr<NullEvaluator> MakeEvaluator() const override;

  const RegressionProblem& problem_;
  Eigen::Index predictors_ = 0;    // K
  Eigen::Index matrix_count_ = 0;  // Y and one per coefficient (K + 1, or 1 under y)
  double residual_df_ = 0.0;
  double y_mean_ = 0.0;
  double y_square_ = 0.0;
  Eigen::VectorXd means_, scales_;
  Eigen::MatrixXd coordinates_;  // Q'Z
  Eigen::VectorXd y_coordinates_;
  DyadMatrix centred_dependent_;
  Eigen::MatrixXd coefficient_map_;
  Eigen::VectorXd coefficient_variance_;  // diag of (Z'Z)^-1 in the original scale
  std::vector<Eigen::MatrixXd> others_basis_;  // T_k
  std::vector<Eigen::VectorXd> others_y_;      // T_k'Q'y_c
  std::vector<double> vector_square_;          // |v_k|^2
  std::vector<double> partial_square_;         // |M_W y|^2
  std::vector<Eigen::VectorXd> lane_direction_;  // h_k
  std::vector<DyadMatrix> permuted_;
  std::unique_ptr<ProjectionKernel> kernel_;  // basis [y_c, Q]; Y first, then one matrix per coefficient
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
      for (Eigen::Index c = 0; c < k; ++c) {
        const auto slot = static_cast<std::size_t>(c);
        const auto s = projected_.col(base + 1 + c);
        double coefficient = 0.0;
        double sse = 0.0;
        double precision = 0.0;  // 1 / var(b) up to sigma^2
        if (null == NullHypothesis::kFreedmanLane) {
          const auto coordinates = s.tail(k + 1);
          const Eigen::VectorXd& h = m.lane_direction_[slot];
          const double hh = h.squaredNorm();
          coefficient = h.dot(coordinates) / hh / m.scales_[c];
          sse = m.vector_square_[slot] - coordinates.squaredNorm();
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
  Eigen::VectorXd coefficients_;
  Eigen::VectorXd others_coordinates_;
};

std::unique_ptr<NullEvaluator> ProjectionModel::MakeEvaluator() const {
  return std::make_unique<ProjectionEvaluator>(*this);
}

}  // namespace

std::unique_ptr<NullModel> MakeProjectionModel(const RegressionProblem& problem) {
  return std::make_unique<ProjectionModel>(problem);
}

}  // namespace qap::detail
