// When the next operation is due: Jepsen's gen/stagger, uniformly random gaps of 0..2/rate.
// The next gap counts from when the previous operation was *due*, not from when the event
// loop got round to it; counting from the wake-up let every millisecond of poll() lateness
// pile up (asking for 1,000 ops/s delivered 640). Only an operation that had to wait for a
// free client restarts the schedule from when it left, as in Jepsen -- and that waiting is
// counted, so the summary can say the rate was not held.
#pragma once

#include <cstdint>

#include "tests/workbench/src/clock.h"
#include "tests/workbench/src/rng.h"

namespace workbench {

class Stagger {
 public:
  Stagger(double rate, Rng rng);

  // Workload time at which the next operation is due.
  Nanos next() const { return next_; }
  // The due operation found every client busy.
  void blocked() { waiting_ = true; }
  // The due operation left at `now` (>= next()).
  void issued(Nanos now);

  // The workload ended at `end`; an operation still waiting for a client counts as delayed.
  void finish(Nanos end);

  std::int64_t delayed_ops() const { return delayed_; }  // operations that waited for a client
  Nanos delay() const { return delay_; }                 // their total wait past the due time

 private:
  Nanos gap();

  std::uint64_t max_gap_;
  Rng rng_;
  Nanos next_ = 0;
  bool waiting_ = false;
  std::int64_t delayed_ = 0;
  Nanos delay_ = 0;
};

}  // namespace workbench
