#include "qap/ols.hpp"

#include <Eigen/QR>
#include <Eigen/SVD>
#include <cmath>

namespace qap {

double SampleStandardDeviation(const Eigen::Ref<const Eigen::VectorXd>& v) {
  if (v.size() < 2) return 0.0;
  const double mean = v.mean();
  return std::sqrt((v.array() - mean).square().sum() / static_cast<double>(v.size() - 1));
}

namespace {

// Overwrites A (N x p), holding Householder vectors below the diagonal as
// Eigen and LAPACK store them (H_j = I - tau_j v_j v_j', v_j(j) = 1), with the
// thin Q = H_0 ... H_{p-1} [I; 0]: LAPACK's dorg2r, done here because Eigen
// only forms Q into a second matrix, which at a million dyads is the largest
// allocation of the whole run.
template <typename Design>
void FormThinQInPlace(Design& a, const Eigen::VectorXd& tau) {
  const Eigen::Index n = a.rows();
  const Eigen::Index p = a.cols();
  Eigen::RowVectorXd w;
  for (Eigen::Index j = p - 1; j >= 0; --j) {
    if (j < p - 1) {
      a(j, j) = 1.0;
      const auto v = a.col(j).tail(n - j);
      auto trailing = a.bottomRightCorner(n - j, p - 1 - j);
      w.noalias() = v.transpose() * trailing;
      trailing.noalias() -= v * (tau[j] * w);
    }
    a.col(j).tail(n - j - 1) *= -tau[j];
    a(j, j) = 1.0 - tau[j];
    a.col(j).head(j).setZero();
  }
}

// design: N x p with the predictors in columns 1..K; factorised in place.
std::variant<OlsFit, RankProblem> FitDesignInPlace(Eigen::Ref<Eigen::MatrixXd> design,
                                                   const Eigen::Ref<const Eigen::VectorXd>& response,
                                                   Eigen::MatrixXd* coordinates) {
  const Eigen::Index n = response.size();
  const Eigen::Index p = design.cols();
  const Eigen::Index k = p - 1;
  if (n <= p) return RankProblem{RankProblem::Kind::kTooFewObservations, {}};

  // Equal values are constant even when the rounded mean leaves a tiny sum of squares.
  if (response.maxCoeff() == response.minCoeff()) return RankProblem{RankProblem::Kind::kConstantResponse, {}};
  const double response_mean = response.mean();
  const double total_sum_of_squares = (response.array() - response_mean).square().sum();
  if (!(total_sum_of_squares > 0.0)) return RankProblem{RankProblem::Kind::kConstantResponse, {}};

  Eigen::VectorXd means(k);
  Eigen::VectorXd scales(k);
  RankProblem constant{RankProblem::Kind::kConstantPredictor, {}};
  for (Eigen::Index c = 0; c < k; ++c) {
    const auto column = design.col(c + 1);
    means[c] = column.mean();
    scales[c] = std::sqrt((column.array() - means[c]).square().sum() / static_cast<double>(n - 1));
    if (column.maxCoeff() == column.minCoeff() || !(scales[c] > 0.0)) constant.predictors.push_back(c);
  }
  if (!constant.predictors.empty()) return constant;

  design.col(0).setOnes();
  for (Eigen::Index c = 0; c < k; ++c) {
    design.col(c + 1) = (design.col(c + 1).array() - means[c]) / scales[c];
  }
  // In place: the design becomes the Householder factors, so a large problem
  // holds one N x p matrix, not two.
  Eigen::ColPivHouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(design);
  qr.setThreshold(kRankTolerance);
  if (qr.rank() < p) {
    RankProblem collinear{RankProblem::Kind::kCollinear, {}};
    const auto& order = qr.colsPermutation().indices();
    for (Eigen::Index r = qr.rank(); r < p; ++r) {
      if (order[r] > 0) collinear.predictors.push_back(order[r] - 1);
    }
    return collinear;
  }

  OlsFit fit;
  fit.observations = n;
  fit.predictors = k;
  fit.predictor_means = means;
  fit.predictor_scales = scales;
  fit.response_scale = std::sqrt(total_sum_of_squares / static_cast<double>(n - 1));
  const Eigen::MatrixXd r_factor = qr.matrixR().topLeftCorner(p, p).triangularView<Eigen::Upper>();
  const auto& permutation = qr.colsPermutation();
  Eigen::VectorXd scaled_coefficients;
  double residual_sum_of_squares = 0.0;
  // y is centred first: column 0 of the design is 1, so the intercept takes
  // the mean back exactly, and a mean far from zero (GDP levels, years) no
  // longer costs the slopes and residuals the digits it would in Q'y.
  if (coordinates == nullptr) {
    fit.residuals = response.array() - response_mean;
    scaled_coefficients = qr.solve(fit.residuals);
    scaled_coefficients[0] += response_mean;
    // e = Q (0, (Q'y)_{p..}): the part of y outside the column space.
    fit.residuals.applyOnTheLeft(qr.householderQ().adjoint());
    fit.residuals.head(p).setZero();
    fit.residuals.applyOnTheLeft(qr.householderQ());
    residual_sum_of_squares = fit.residuals.squaredNorm();
  } else {
    // Form Q where the factors lie, then take Q'y and |y - Q Q'y|^2 in two
    // passes; applying the reflectors as above needs a copy of y.
    *coordinates = r_factor * permutation.transpose();  // Z P = Q R, so Q'Z = R P'
    FormThinQInPlace(design, qr.hCoeffs());              // the design holds the factors
    Eigen::VectorXd projection = Eigen::VectorXd::Zero(p);
    for (Eigen::Index d = 0; d < n; ++d) projection += design.row(d).transpose() * (response[d] - response_mean);
    for (Eigen::Index d = 0; d < n; ++d) {
      const double residual = response[d] - response_mean - design.row(d).dot(projection);
      residual_sum_of_squares += residual * residual;
    }
    scaled_coefficients = permutation * r_factor.triangularView<Eigen::Upper>().solve(projection);
    scaled_coefficients[0] += response_mean;
  }
  const auto residual_df = static_cast<double>(n - p);
  fit.residual_variance = residual_sum_of_squares / residual_df;
  fit.r_squared = 1.0 - residual_sum_of_squares / total_sum_of_squares;
  fit.adjusted_r_squared =
      1.0 - (1.0 - fit.r_squared) * static_cast<double>(n - 1) / residual_df;
  fit.f_statistic = (fit.r_squared / static_cast<double>(k)) / ((1.0 - fit.r_squared) / residual_df);

  // (Z'Z)^-1 = P R^-1 R^-T P' from Z P = Q R.
  // Z and R share their singular values.
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(r_factor);
  const auto& singular = svd.singularValues();
  fit.condition_number = singular[0] / singular[p - 1];
  const Eigen::MatrixXd r_inverse =
      r_factor.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
  const Eigen::MatrixXd pivoted = r_inverse * r_inverse.transpose();
  const Eigen::MatrixXd scaled_inverse = permutation * pivoted * permutation.transpose();

  // b = T gamma: slopes divide by their scale; the intercept absorbs the centring.
  // (Whole-vector writes: GCC 12 sees a null dereference in element writes
  // to a fresh dynamic matrix once this function is inlined.)
  Eigen::MatrixXd transform = Eigen::MatrixXd::Identity(p, p);
  transform.row(0).tail(k) = -(means.array() / scales.array()).matrix().transpose();
  transform.diagonal().tail(k) = scales.cwiseInverse();
  fit.coefficients = transform * scaled_coefficients;
  const Eigen::MatrixXd covariance =
      fit.residual_variance * (transform * scaled_inverse * transform.transpose());
  fit.standard_errors = covariance.diagonal().cwiseSqrt();
  fit.t_values.resize(p);
  // Slope t values straight from the scaled fit: exact, and immune to the
  // cancellation the back-transform could add.
  const Eigen::VectorXd scaled_standard_errors =
      (fit.residual_variance * scaled_inverse.diagonal()).cwiseSqrt();
  fit.t_values[0] = fit.coefficients[0] / fit.standard_errors[0];
  for (Eigen::Index c = 1; c < p; ++c) {
    fit.t_values[c] = scaled_coefficients[c] / scaled_standard_errors[c];
  }
  return fit;
}

}  // namespace

std::variant<OlsFit, RankProblem> FitOls(const Eigen::Ref<const Eigen::MatrixXd>& predictors,
                                         const Eigen::Ref<const Eigen::VectorXd>& response) {
  Eigen::MatrixXd design(response.size(), predictors.cols() + 1);
  design.rightCols(predictors.cols()) = predictors;
  return FitDesignInPlace(design, response, nullptr);
}

std::variant<OlsFit, RankProblem> FitOlsInPlace(Eigen::Ref<Eigen::MatrixXd> design,
                                                const Eigen::Ref<const Eigen::VectorXd>& response,
                                                Eigen::MatrixXd& coordinates) {
  return FitDesignInPlace(design, response, &coordinates);
}

}  // namespace qap
