// The reference implementation of every permutation null: gather the permuted
// matrix into its slot, drop incomplete dyads, and solve the least-squares
// problem from scratch. Slow and obviously right; the projection kernel is
// tested against it, and it is the path for data with missing cells.
#include <variant>

#include "null_models.hpp"
#include "qap/core/errors.hpp"
#include "qap/core/numeric.hpp"

namespace qap::detail {

namespace {

class ListwiseRefit {
 public:
  ListwiseRefit(Eigen::VectorXd response, Eigen::MatrixXd predictors)
      : response_(std::move(response)), predictors_(std::move(predictors)) {}

  Eigen::VectorXd& response() { return response_; }
  Eigen::MatrixXd& predictors() { return predictors_; }

  std::variant<OlsFit, RankProblem> Fit() {
    rows_.clear();
    for (Eigen::Index d = 0; d < response_.size(); ++d) {
      bool complete = IsObserved(response_[d]);
      for (Eigen::Index c = 0; complete && c < predictors_.cols(); ++c)
        complete = IsObserved(predictors_(d, c));
      if (complete) rows_.push_back(d);
    }
    const auto n = static_cast<Eigen::Index>(rows_.size());
    compact_x_.resize(n, predictors_.cols());
    compact_y_.resize(n);
    for (Eigen::Index r = 0; r < n; ++r) {
      const Eigen::Index d = rows_[static_cast<std::size_t>(r)];
      compact_y_[r] = response_[d];
      compact_x_.row(r) = predictors_.row(d);
    }
    return FitOls(compact_x_, compact_y_);
  }

 private:
  Eigen::VectorXd response_;
  Eigen::MatrixXd predictors_;
  std::vector<Eigen::Index> rows_;
  Eigen::MatrixXd compact_x_;
  Eigen::VectorXd compact_y_;
};

Eigen::MatrixXd WithoutColumn(const Eigen::MatrixXd& m, Eigen::Index column) {
  Eigen::MatrixXd out(m.rows(), m.cols() - 1);
  for (Eigen::Index c = 0, o = 0; c < m.cols(); ++c) {
    if (c != column) out.col(o++) = m.col(c);
  }
  return out;
}

double Statistic(const OlsFit& fit, Eigen::Index coefficient, TestStatistic statistic) {
  return statistic == TestStatistic::kT ? fit.t_values[coefficient] : fit.coefficients[coefficient];
}

class ListwiseRefitModel final : public NullModel {
 public:
  explicit ListwiseRefitModel(const RegressionProblem& problem) : problem_(problem) {
    const NullHypothesis null = problem.null_hypothesis;
    const Eigen::Index k = problem.x.cols();
    const DyadIndex& dyads = *problem.dyads;
    const auto used = static_cast<Eigen::Index>(problem.complete.size());
    Eigen::VectorXd y_used(used);
    Eigen::MatrixXd x_used(used, k);
    for (Eigen::Index r = 0; r < used; ++r) {
      y_used[r] = problem.y[problem.complete[static_cast<std::size_t>(r)]];
      x_used.row(r) = problem.x.row(problem.complete[static_cast<std::size_t>(r)]);
    }
    permuted_.resize(static_cast<std::size_t>(k));
    fitted_reduced_.resize(static_cast<std::size_t>(k));
    for (Eigen::Index c = 0; c < k; ++c) {
      const auto slot = static_cast<std::size_t>(c);
      if (null == NullHypothesis::kPermuteX) {
        permuted_[slot] = *problem.explanatory_values[slot];
        continue;
      }
      if (null != NullHypothesis::kDoubleSemiPartialling && null != NullHypothesis::kFreedmanLane)
        continue;
      // Partial out the other predictors on the dyads of the observed fit
      // (Dekker et al. residualize on the model's sample).
      const Eigen::MatrixXd others = WithoutColumn(x_used, c);
      const Eigen::VectorXd target =
          null == NullHypothesis::kDoubleSemiPartialling ? Eigen::VectorXd(x_used.col(c)) : y_used;
      auto partial = FitOls(others, target);
      if (const auto* rank = std::get_if<RankProblem>(&partial)) {
        throw ModelError(DescribeRankProblem(*rank, problem.names, problem.dependent->name, used));
      }
      const OlsFit& fit = std::get<OlsFit>(partial);
      Eigen::VectorXd residual_all = Eigen::VectorXd::Constant(dyads.size(), kNaN);
      for (Eigen::Index r = 0; r < used; ++r) {
        residual_all[problem.complete[static_cast<std::size_t>(r)]] = fit.residuals[r];
      }
      permuted_[slot] = dyads.Scatter(residual_all);
      if (null == NullHypothesis::kFreedmanLane) {
        // Fitted values of the reduced model wherever its predictors are observed.
        const Eigen::MatrixXd others_all = WithoutColumn(problem.x, c);
        fitted_reduced_[slot] = Eigen::VectorXd::Constant(dyads.size(), fit.coefficients[0]);
        for (Eigen::Index j = 0; j < others_all.cols(); ++j) {
          fitted_reduced_[slot] += fit.coefficients[j + 1] * others_all.col(j);
        }
      }
    }
  }

  [[nodiscard]] std::unique_ptr<NullEvaluator> MakeEvaluator() const override;

 private:
  // The evaluator reads the model's precomputed state; nothing else does.
  friend class ListwiseRefitEvaluator;

  const RegressionProblem& problem_;
  std::vector<DyadMatrix> permuted_;
  std::vector<Eigen::VectorXd> fitted_reduced_;
};

class ListwiseRefitEvaluator final : public NullEvaluator {
 public:
  explicit ListwiseRefitEvaluator(const ListwiseRefitModel& model)
      : model_(model), refit_(model.problem_.y, model.problem_.x) {}

  void Evaluate(std::span<const Permutation> block, Eigen::Ref<Eigen::MatrixXd> out) override {
    const RegressionProblem& problem = model_.problem_;
    const NullHypothesis null = problem.null_hypothesis;
    const Eigen::Index k = problem.x.cols();
    const DyadIndex& dyads = *problem.dyads;
    out.setConstant(kNaN);
    for (std::size_t b = 0; b < block.size(); ++b) {
      const Permutation& p = block[b];
      const auto row = static_cast<Eigen::Index>(b);
      // Y permutation: every coefficient under the y null, and R^2 always.
      dyads.GatherPermuted(*problem.dependent_values, p, refit_.response());
      if (auto fit = refit_.Fit(); const auto* ok = std::get_if<OlsFit>(&fit)) {
        out(row, k + 1) = ok->r_squared;
        if (null == NullHypothesis::kPermuteY) {
          for (Eigen::Index c = 0; c <= k; ++c) out(row, c) = Statistic(*ok, c, problem.statistic);
        }
      }
      refit_.response() = problem.y;
      if (null == NullHypothesis::kPermuteY) continue;
      for (Eigen::Index c = 0; c < k; ++c) {
        const auto slot = static_cast<std::size_t>(c);
        if (null == NullHypothesis::kFreedmanLane) {
          dyads.GatherPermuted(model_.permuted_[slot], p, refit_.response());
          refit_.response() += model_.fitted_reduced_[slot];
        } else {
          dyads.GatherPermuted(model_.permuted_[slot], p, refit_.predictors().col(c));
        }
        if (auto fit = refit_.Fit(); const auto* ok = std::get_if<OlsFit>(&fit)) {
          out(row, c + 1) = Statistic(*ok, c + 1, problem.statistic);
        }
        if (null == NullHypothesis::kFreedmanLane) {
          refit_.response() = problem.y;
        } else {
          refit_.predictors().col(c) = problem.x.col(c);
        }
      }
    }
  }

 private:
  const ListwiseRefitModel& model_;
  ListwiseRefit refit_;
};

std::unique_ptr<NullEvaluator> ListwiseRefitModel::MakeEvaluator() const {
  return std::make_unique<ListwiseRefitEvaluator>(*this);
}

}  // namespace

std::unique_ptr<NullModel> MakeListwiseRefitModel(const RegressionProblem& problem) {
  return std::make_unique<ListwiseRefitModel>(problem);
}

std::string DescribeRankProblem(const RankProblem& problem, const std::vector<std::string>& names,
                                const std::string& dependent, Eigen::Index dyads) {
  auto list = [&] {
    std::string out;
    for (std::size_t i = 0; i < problem.predictors.size(); ++i) {
      out += (i > 0 ? ", " : "") + names[static_cast<std::size_t>(problem.predictors[i])];
    }
    return out;
  };
  const std::string over = " over the " + std::to_string(dyads) + " dyads used";
  switch (problem.kind) {
    case RankProblem::Kind::kTooFewObservations:
      return "too few dyads: " + std::to_string(dyads) + " complete dyads for " +
             std::to_string(names.size() + 1) + " coefficients";
    case RankProblem::Kind::kConstantResponse:
      return "the dependent matrix " + dependent + " is constant" + over;
    case RankProblem::Kind::kConstantPredictor:
      return "the explanatory matrix " + list() + (problem.predictors.size() > 1 ? " are" : " is") +
             " constant" + over + " (it cannot be told apart from the intercept)";
    case RankProblem::Kind::kCollinear:
      return "the design is rank-deficient: " + list() +
             " is a linear combination of the other explanatory matrices and the intercept" + over +
             " (remove one of them)";
  }
  return "the design cannot be fitted";
}

}  // namespace qap::detail
