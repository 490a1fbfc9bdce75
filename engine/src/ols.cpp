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

std::variant<OlsFit, RankProblem> FitOls(const Eigen::Ref<const Eigen::MatrixXd>& predictors,
                                         const Eigen::Ref<const Eigen::VectorXd>& response) {
  const Eigen::Index n = response.size();
  const Eigen::Index k = predictors.cols();
  const Eigen::Index p = k + 1;
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
    means[c] = predictors.col(c).mean();
    scales[c] = SampleStandardDeviation(predictors.col(c));
    if (predictors.col(c).maxCoeff() == predictors.col(c).minCoeff() || !(scales[c] > 0.0)) {
      constant.predictors.push_back(c);
    }
  }
  if (!constant.predictors.empty()) return constant;

  Eigen::MatrixXd design(n, p);
  design.col(0).setOnes();
  for (Eigen::Index c = 0; c < k; ++c) {
    design.col(c + 1) = (predictors.col(c).array() - means[c]) / scales[c];
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

  const Eigen::VectorXd scaled_coefficients = qr.solve(response);
  OlsFit fit;
  fit.observations = n;
  fit.predictors = k;
  // e = Q (0, (Q'y)_{p..}): the part of y outside the column space.
  fit.residuals = response;
  fit.residuals.applyOnTheLeft(qr.householderQ().adjoint());
  fit.residuals.head(p).setZero();
  fit.residuals.applyOnTheLeft(qr.householderQ());
  const double residual_sum_of_squares = fit.residuals.squaredNorm();
  const auto residual_df = static_cast<double>(n - p);
  fit.residual_variance = residual_sum_of_squares / residual_df;
  fit.r_squared = 1.0 - residual_sum_of_squares / total_sum_of_squares;
  fit.adjusted_r_squared =
      1.0 - (1.0 - fit.r_squared) * static_cast<double>(n - 1) / residual_df;
  fit.f_statistic = (fit.r_squared / static_cast<double>(k)) / ((1.0 - fit.r_squared) / residual_df);

  // (Z'Z)^-1 = P R^-1 R^-T P' from Z P = Q R.
  const Eigen::MatrixXd r_factor = qr.matrixR().topLeftCorner(p, p).triangularView<Eigen::Upper>();
  // Z and R share their singular values.
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(r_factor);
  const auto& singular = svd.singularValues();
  fit.condition_number = singular[0] / singular[p - 1];
  const Eigen::MatrixXd r_inverse =
      r_factor.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
  const Eigen::MatrixXd pivoted = r_inverse * r_inverse.transpose();
  const auto& permutation = qr.colsPermutation();
  const Eigen::MatrixXd scaled_inverse = permutation * pivoted * permutation.transpose();

  // b = T gamma: slopes divide by their scale; the intercept absorbs the centring.
  Eigen::MatrixXd transform = Eigen::MatrixXd::Zero(p, p);
  transform(0, 0) = 1.0;
  for (Eigen::Index c = 0; c < k; ++c) {
    transform(0, c + 1) = -means[c] / scales[c];
    transform(c + 1, c + 1) = 1.0 / scales[c];
  }
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

}  // namespace qap
