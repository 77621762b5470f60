#include "tests/workbench/src/stagger.h"

namespace workbench {

Stagger::Stagger(double rate, Rng rng)
    : max_gap_(rate > 0 ? static_cast<std::uint64_t>(2.0 / rate * static_cast<double>(kSeconds)) : 0), rng_(rng) {}

Nanos Stagger::gap() { return max_gap_ > 0 ? static_cast<Nanos>(rng_.below(max_gap_)) : 0; }

void Stagger::issued(Nanos now) {
  Nanos base = next_;
  if (waiting_) {
    ++delayed_;
    delay_ += now - next_;
    base = now;
    waiting_ = false;
  }
  next_ = base + gap();
}

void Stagger::finish(Nanos end) {
  if (!waiting_ || end <= next_) return;
  ++delayed_;
  delay_ += end - next_;
  waiting_ = false;
}

}  // namespace workbench
