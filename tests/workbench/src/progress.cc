#include "tests/workbench/src/progress.h"

#include <cstdio>

namespace workbench {

Progress::Progress(bool enabled, bool tty) : enabled_(enabled), tty_(tty) {}

std::string Progress::format(const ProgressSnapshot& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "[%5.1fs/%.0fs] ops %lld  ok %lld  fail %lld  unknown %lld  fault: %s",
                static_cast<double>(s.elapsed) / kSeconds, s.time_limit_s, static_cast<long long>(s.invoked),
                static_cast<long long>(s.ok), static_cast<long long>(s.fail), static_cast<long long>(s.info),
                s.fault.empty() ? "none" : s.fault.c_str());
  return buf;
}

void Progress::draw(Nanos now, const ProgressSnapshot& s) {
  if (!enabled_ || now < next_) return;
  next_ = now + (tty_ ? 250 * kMillis : 5 * kSeconds);
  std::string line = format(s);
  if (tty_) {
    if (line.size() > 150) line.resize(150);
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    drawn_ = true;
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (enabled_ && tty_ && drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace workbench
