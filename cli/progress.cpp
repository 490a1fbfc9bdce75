#include "progress.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>

namespace qap::cli {

namespace {
// Guards the line: drawing it, clearing it, and ending it when a signal ends
// the process (taken from the signal thread, so timed: a draw blocked on a
// stopped terminal must not keep the process alive).
std::timed_mutex line_mutex;
bool line_drawn = false;   // under line_mutex
bool terminating = false;  // under line_mutex: draw nothing more
}  // namespace

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
    const std::unique_lock lock(line_mutex, std::try_to_lock);  // a skipped draw is harmless
    if (!lock.owns_lock() || terminating) return;
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
  // Not owned only when a signal is ending the process (the line is ended there).
  const std::unique_lock lock(line_mutex, std::chrono::milliseconds(200));
  if (!lock.owns_lock() || !line_drawn) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  line_drawn = false;
}

void EndProgressLineBeforeTermination() {
  if (!line_mutex.try_lock_for(std::chrono::milliseconds(200))) return;
  // Held until the process ends: no line is drawn after this one's end.
  terminating = true;
  if (line_drawn) {
    std::fputs("\n", stderr);
    std::fflush(stderr);
    line_drawn = false;
  }
}

}  // namespace qap::cli
