#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>

namespace qap::cli {

namespace {
bool line_drawn = false;
}

std::function<void(std::size_t, std::size_t)> MakeProgressPrinter(bool quiet, std::string label,
                                                                  std::string unit,
                                                                  double rate_scale,
                                                                  std::string rate_unit) {
  if (quiet || isatty(STDERR_FILENO) == 0) return {};
  struct State {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_draw{};
    std::string label;
    std::string unit;
    double rate_scale = 1.0;
    std::string rate_unit;
  };
  auto state = std::make_shared<State>();
  state->label = std::move(label);
  state->unit = std::move(unit);
  state->rate_scale = rate_scale;
  state->rate_unit = rate_unit.empty() ? state->unit : std::move(rate_unit);
  return [state](std::size_t done, std::size_t total) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - state->start).count();
    if (elapsed < 1.0 || (now - state->last_draw < std::chrono::milliseconds(100) && done < total))
      return;
    state->last_draw = now;
    const double rate = static_cast<double>(done) / elapsed;
    const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
    constexpr int kWidth = 30;
    const int filled =
        static_cast<int>(kWidth * static_cast<double>(done) / static_cast<double>(total));
    std::fprintf(stderr, "\r%s [%.*s%*s] %zu/%zu %s, %.0f %s/s, %.0f s left ", state->label.c_str(),
                 filled, "##############################", kWidth - filled, "", done, total,
                 state->unit.c_str(), rate * state->rate_scale, state->rate_unit.c_str(), left);
    std::fflush(stderr);
    line_drawn = true;
  };
}

void FinishProgress() {
  if (!line_drawn) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  line_drawn = false;
}

}  // namespace qap::cli
