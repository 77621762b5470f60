// How long a message takes to cross the network. Each message draws its own latency, so
// any distribution but a constant one reorders messages between the same two nodes --
// which Raft must tolerate (stale AppendEntries, late vote grants...).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "raftsim/rng.h"
#include "raftsim/time.h"

namespace raftsim {

struct Latency {
  enum class Kind { kConstant, kUniform, kExponential };
  Kind kind = Kind::kUniform;
  /// constant: the latency; uniform: the lower bound; exponential: the minimum it adds to.
  Micros low = millis(1);
  /// uniform: the upper bound; exponential: the mean of the part above `low`.
  Micros high = millis(10);

  static Latency constant(Micros d) { return {Kind::kConstant, d, d}; }
  static Latency uniform(Micros lo, Micros hi) { return {Kind::kUniform, lo, hi}; }
  static Latency exponential(Micros min, Micros mean) { return {Kind::kExponential, min, mean}; }

  [[nodiscard]] Micros sample(Rng& rng) const;
  /// "uniform:1ms-10ms", "constant:5ms", "exponential:1ms+4ms" (parse() reads the same).
  [[nodiscard]] std::string describe() const;
  static std::optional<Latency> parse(std::string_view text);
};

}  // namespace raftsim
