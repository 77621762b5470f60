// The time source of the event loop, injectable so tests control time.
//
// Everything time-related in the node (timers, RPC timeouts, ticks) reads Clock::now() and
// nothing else; with a ManualClock a test advances time explicitly and then asks the node
// to fire what became due, deterministically and instantly.
#pragma once

#include <chrono>

namespace maelstrom {

using Duration = std::chrono::steady_clock::duration;
using TimePoint = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
};

// Real monotonic time, for the stdio event loop.
class SteadyClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

// Time that only moves when told to, for tests.
class ManualClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return now_; }
  void advance(Duration d) { now_ += d; }
  void set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_{};
};

}  // namespace maelstrom
