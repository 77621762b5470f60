// The live status line: rewritten in place (\r) on a terminal, a plain line every few
// seconds otherwise (CI logs). Always on stderr, so stdout stays clean for the summary.
#pragma once

#include <cstdint>
#include <string>

#include "tests/workbench/src/clock.h"

namespace workbench {

struct ProgressSnapshot {
  Nanos elapsed = 0;
  double time_limit_s = 0;
  std::int64_t invoked = 0, ok = 0, fail = 0, info = 0;
  std::string fault;  // "" when no fault is in force
};

class Progress {
 public:
  Progress(bool enabled, bool tty);
  // Due when the next update should be drawn.
  Nanos next_due() const { return next_; }
  void draw(Nanos now, const ProgressSnapshot& s);
  void finish();  // ends the in-place line

  static std::string format(const ProgressSnapshot& s);

 private:
  bool enabled_;
  bool tty_;
  Nanos next_ = 0;
  bool drawn_ = false;
};

}  // namespace workbench
