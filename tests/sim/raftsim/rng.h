// The simulator's one source of randomness. Every random choice of a run -- latencies, loss,
// duplication, client operations, node RNG seeds -- is drawn from one Rng seeded by the
// run's seed, in event order, so a seed replays the same run exactly.
//
// The distributions are written out here rather than taken from <random>: the standard
// leaves std::uniform_int_distribution & co. implementation-defined, so a seed would replay
// differently under another standard library.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace raftsim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next() { return engine_(); }

  /// Uniform in [lo, hi] (inclusive); lo <= hi. Unbiased (rejection sampling).
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
    const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
    if (span == 0) return static_cast<std::int64_t>(next());  // the full 64-bit range
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    std::uint64_t x = next();
    while (x >= limit) x = next();
    return lo + static_cast<std::int64_t>(x % span);
  }

  /// Uniform in [0, 1), with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// True with probability p (p <= 0: never; p >= 1: always, without drawing).
  bool chance(double p) {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return unit() < p;
  }

  /// Exponentially distributed with the given mean.
  double exponential(double mean) { return -mean * std::log1p(-unit()); }

  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(items.size()) - 1))];
  }

  /// Fisher-Yates, with this Rng's draws.
  template <class T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(i) - 1));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace raftsim
