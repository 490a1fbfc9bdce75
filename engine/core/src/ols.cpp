#include "qap/core/ols.hpp"

#include <Eigen/Householder>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace qap {

double RoundingErrorScale(Eigen::Index columns) {
  const double unit_roundoff = std::numeric_limits<double>::epsilon() / 2.0;
  return kRoundingErrorLambda * std::sqrt(static_cast<double>(columns)) * unit_roundoff;
}

double SampleStandardDeviation(const Eigen::Ref<const Eigen::VectorXd>& v) {
  if (v.size() < 2) return 0.0;
  const double mean = v.mean();
  return std::sqrt((v.array() - mean).square().sum() / static_cast<double>(v.size() - 1));
}

namespace {

// Householder QR with column pivoting, in place (Businger & Golub 1965,
// Numer. Math. 7:269-276), step for step as LAPACK's xGEQPF and Eigen's
// ColPivHouseholderQR do it: the same pivot (largest remaining column norm),
// the same stable norm downdating (LAPACK Working Note 176), the same rank
// rule (pivots above threshold x the largest |R_kk|). Deviation: each
// reflector is applied one column at a time (a dot product and an axpy),
// where Eigen forms tau * v as an N-vector first; at a million dyads that
// temporary set the peak memory of the whole run.
class PivotedHouseholderQr {
 public:
  PivotedHouseholderQr(Eigen::Ref<Eigen::MatrixXd> a, double rank_threshold) : a_(a) {
    const Eigen::Index rows = a.rows();
    const Eigen::Index cols = a.cols();
    const Eigen::Index size = std::min(rows, cols);
    tau_.resize(size);
    std::vector<Eigen::Index> transpositions(static_cast<std::size_t>(size));
    Eigen::VectorXd norms_updated(cols);
    Eigen::VectorXd norms_direct(cols);
    double largest_norm = 0.0;
    for (Eigen::Index c = 0; c < cols; ++c) {
      norms_direct[c] = norms_updated[c] = a.col(c).norm();
      largest_norm = std::max(largest_norm, norms_updated[c]);
    }
    const double epsilon = std::numeric_limits<double>::epsilon();
    const double threshold_helper =
        (largest_norm * epsilon) * (largest_norm * epsilon) / static_cast<double>(rows);
    const double downdate_threshold = std::sqrt(epsilon);
    Eigen::Index nonzero_pivots = size;
    double max_pivot = 0.0;
    for (Eigen::Index k = 0; k < size; ++k) {
      Eigen::Index biggest = 0;
      const double biggest_norm = norms_updated.tail(cols - k).maxCoeff(&biggest);
      biggest += k;
      if (nonzero_pivots == size &&
          biggest_norm * biggest_norm < threshold_helper * static_cast<double>(rows - k)) {
        nonzero_pivots = k;
      }
      transpositions[static_cast<std::size_t>(k)] = biggest;
      if (k != biggest) {
        a.col(k).swap(a.col(biggest));
        std::swap(norms_updated[k], norms_updated[biggest]);
        std::swap(norms_direct[k], norms_direct[biggest]);
      }
      double beta = 0.0;
      a.col(k).tail(rows - k).makeHouseholderInPlace(tau_[k], beta);
      a(k, k) = beta;
      max_pivot = std::max(max_pivot, std::abs(beta));
      const auto essential = a.col(k).tail(rows - k - 1);
      for (Eigen::Index j = k + 1; j < cols; ++j) {
        if (tau_[k] != 0.0) {
          const double w = tau_[k] * (a(k, j) + essential.dot(a.col(j).tail(rows - k - 1)));
          a(k, j) -= w;
          a.col(j).tail(rows - k - 1) -= w * essential;
        }
        if (norms_updated[j] != 0.0) {
          double ratio = std::abs(a(k, j)) / norms_updated[j];
          ratio = std::max(0.0, (1.0 + ratio) * (1.0 - ratio));
          const double drift =
              ratio * (norms_updated[j] / norms_direct[j]) * (norms_updated[j] / norms_direct[j]);
          if (drift <= downdate_threshold) {
            norms_direct[j] = norms_updated[j] = a.col(j).tail(rows - k - 1).norm();
          } else {
            norms_updated[j] *= std::sqrt(ratio);
          }
        }
      }
    }
    permutation_.setIdentity(cols);
    for (Eigen::Index k = 0; k < size; ++k) {
      permutation_.applyTranspositionOnTheRight(k, transpositions[static_cast<std::size_t>(k)]);
    }
    const double cut = max_pivot * rank_threshold;
    for (Eigen::Index i = 0; i < nonzero_pivots; ++i) rank_ += std::abs(a(i, i)) > cut ? 1 : 0;
  }

  [[nodiscard]] Eigen::Index rank() const { return rank_; }
  [[nodiscard]] const Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic>& permutation()
      const {
    return permutation_;
  }
  [[nodiscard]] const Eigen::VectorXd& tau() const { return tau_; }
  [[nodiscard]] Eigen::MatrixXd R() const {
    const Eigen::Index p = a_.cols();
    return a_.topLeftCorner(p, p).triangularView<Eigen::Upper>();
  }
  // v <- H_{p-1} ... H_0 v (= Q'v), or H_0 ... H_{p-1} v (= Q v).
  void ApplyQTranspose(Eigen::Ref<Eigen::VectorXd> v) const {
    for (Eigen::Index k = 0; k < tau_.size(); ++k) Reflect(k, v);
  }
  void ApplyQ(Eigen::Ref<Eigen::VectorXd> v) const {
    for (Eigen::Index k = tau_.size() - 1; k >= 0; --k) Reflect(k, v);
  }

 private:
  void Reflect(Eigen::Index k, Eigen::Ref<Eigen::VectorXd> v) const {
    const Eigen::Index tail = a_.rows() - k - 1;
    const auto essential = a_.col(k).tail(tail);
    const double w = tau_[k] * (v[k] + essential.dot(v.tail(tail)));
    v[k] -= w;
    v.tail(tail) -= w * essential;
  }

  Eigen::Ref<Eigen::MatrixXd> a_;
  Eigen::VectorXd tau_;
  Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic> permutation_;
  Eigen::Index rank_ = 0;
};

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
std::variant<OlsFit, RankProblem> FitDesignInPlace(
    Eigen::Ref<Eigen::MatrixXd> design, const Eigen::Ref<const Eigen::VectorXd>& response,
    Eigen::MatrixXd* coordinates) {
  const Eigen::Index n = response.size();
  const Eigen::Index p = design.cols();
  const Eigen::Index k = p - 1;
  if (n <= p) return RankProblem{RankProblem::Kind::kTooFewObservations, {}};

  // Equal values are constant even when the rounded mean leaves a tiny sum of squares.
  if (response.maxCoeff() == response.minCoeff())
    return RankProblem{RankProblem::Kind::kConstantResponse, {}};
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
    if (column.maxCoeff() == column.minCoeff() || !(scales[c] > 0.0))
      constant.predictors.push_back(c);
  }
  if (!constant.predictors.empty()) return constant;

  design.col(0).setOnes();
  for (Eigen::Index c = 0; c < k; ++c) {
    design.col(c + 1) = (design.col(c + 1).array() - means[c]) / scales[c];
  }
  // In place: the design becomes the Householder factors, so a large problem
  // holds one N x p matrix, not two.
  const PivotedHouseholderQr qr(design, kRankTolerance);
  if (qr.rank() < p) {
    RankProblem collinear{RankProblem::Kind::kCollinear, {}};
    const auto& order = qr.permutation().indices();
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
  const Eigen::MatrixXd r_factor = qr.R();
  const auto& permutation = qr.permutation();
  Eigen::VectorXd scaled_coefficients;
  double residual_sum_of_squares = 0.0;
  // y is centred first: column 0 of the design is 1, so the intercept takes
  // the mean back exactly, and a mean far from zero (GDP levels, years) no
  // longer costs the slopes and residuals the digits it would in Q'y.
  if (coordinates == nullptr) {
    // Q'y gives both the coefficients (R b = (Q'y)_{0..p}) and the residual
    // e = Q (0, (Q'y)_{p..}): the part of y outside the column space.
    fit.residuals = response.array() - response_mean;
    qr.ApplyQTranspose(fit.residuals);
    scaled_coefficients =
        permutation * r_factor.triangularView<Eigen::Upper>().solve(fit.residuals.head(p));
    scaled_coefficients[0] += response_mean;
    fit.residuals.head(p).setZero();
    qr.ApplyQ(fit.residuals);
    residual_sum_of_squares = fit.residuals.squaredNorm();
  } else {
    // Form Q where the factors lie, then take Q'y and |y - Q Q'y|^2 in two
    // passes; applying the reflectors as above needs a copy of y.
    *coordinates = r_factor * permutation.transpose();  // Z P = Q R, so Q'Z = R P'
    FormThinQInPlace(design, qr.tau());                 // the design holds the factors
    Eigen::VectorXd projection = Eigen::VectorXd::Zero(p);
    for (Eigen::Index d = 0; d < n; ++d)
      projection += design.row(d).transpose() * (response[d] - response_mean);
    for (Eigen::Index d = 0; d < n; ++d) {
      const double residual = response[d] - response_mean - design.row(d).dot(projection);
      residual_sum_of_squares += residual * residual;
    }
    scaled_coefficients = permutation * r_factor.triangularView<Eigen::Upper>().solve(projection);
    scaled_coefficients[0] += response_mean;
  }
  // Exact fit (OlsFit::exact_fit): the computed residual of a fit that is
  // exact in real arithmetic is the rounding of y and of each b_j x_j, the
  // backward errors eps |y| and eps |b_j| |x_j| (uncentred norms: centring a
  // column with a large mean costs its digits, as above), and no more: the
  // condition number does not enter, since b is known. In scaled units
  // |b_j| |x_j| = |gamma_j| rho_j sqrt(n - 1), rho_j = |x_j| / |x_j - mean_j|.
  // A relative test on R^2 alone (say RSS <= 1e-24 TSS) would miss a Y equal
  // to x1 - x2 where the x's have means of 1e6 and Y has 1 (its rounding
  // residual is 1e-10 of |y - mean|), and would refuse nothing this does not.
  {
    double data_norm =
        std::sqrt(total_sum_of_squares + static_cast<double>(n) * response_mean * response_mean);
    for (Eigen::Index c = 0; c < k; ++c) {
      const double shift = means[c] / scales[c];
      const double rho =
          std::sqrt(1.0 + static_cast<double>(n) * shift * shift / static_cast<double>(n - 1));
      data_norm +=
          std::abs(scaled_coefficients[c + 1]) * rho * std::sqrt(static_cast<double>(n - 1));
    }
    fit.exact_fit = std::sqrt(residual_sum_of_squares) <= RoundingErrorScale(p) * data_norm;
  }
  const auto residual_df = static_cast<double>(n - p);
  fit.residual_variance = residual_sum_of_squares / residual_df;
  fit.r_squared = 1.0 - residual_sum_of_squares / total_sum_of_squares;
  fit.adjusted_r_squared = 1.0 - (1.0 - fit.r_squared) * static_cast<double>(n - 1) / residual_df;
  fit.f_statistic =
      (fit.r_squared / static_cast<double>(k)) / ((1.0 - fit.r_squared) / residual_df);

  // (Z'Z)^-1 = P R^-1 R^-T P' from Z P = Q R.
  // Z and R share their singular values.
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(r_factor);
  const auto& singular = svd.singularValues();
  fit.condition_number = singular[0] / singular[p - 1];
  // Zero up to rounding (docs/method.md). The computed fit is the exact fit
  // of y + dy and Z + dZ with |dy| <= eps |y| and |dz_j| <= eps rho_j |z_j|
  // (eps = RoundingErrorScale; rho_j = |x_j| / |x_j - mean_j| >= 1 is what
  // centring a column with a large mean costs; |y| is not centred, for the
  // same reason). With Z = [1, z], t_k / sqrt(df) = b_k |z~_k| / |r|, z~_k the
  // part of z_k outside the other columns, and row k of Z+ = z~_k' / |z~_k|^2,
  // the first-order change of b_k,
  //   e_k' Z+ (dy - dZ b) + e_k' (Z'Z)^-1 dZ' r,
  // moves t_k / sqrt(df) by at most
  //   |dy| / |r| + sum_j |b_j| |dz_j| / |r| + |dZ|_F / sigma_min
  //   <= eps (|y| / |r|) (1 + 2 sqrt(p) kappa rho_max),
  // using sum_j |b_j| |z_j| <= sqrt(p) sigma_max |b| <= sqrt(p) kappa |Z b|,
  // |Z b| <= |y| and |r| <= |y|. The bound is free of the units of y and of
  // every x (powers of two and any other factor cancel), and a t whose exact
  // value is 0 stays inside it.
  if (residual_sum_of_squares > 0.0) {
    double rho_max = 1.0;
    for (Eigen::Index c = 0; c < k; ++c) {
      const double shift = means[c] / scales[c];
      rho_max = std::max(rho_max, std::sqrt(1.0 + static_cast<double>(n) * shift * shift /
                                                      static_cast<double>(n - 1)));
    }
    const double y_norm =
        std::sqrt(total_sum_of_squares + static_cast<double>(n) * response_mean * response_mean);
    const double amplification =
        1.0 + 2.0 * std::sqrt(static_cast<double>(p)) * fit.condition_number * rho_max;
    fit.t_rounding_tolerance = std::sqrt(residual_df) * RoundingErrorScale(p) * amplification *
                               y_norm / std::sqrt(residual_sum_of_squares);
  }
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
