// Where a run narrates itself: faults, elections and role changes, crashes and restarts,
// client operations, and a summary line per virtual second (ticks and messages are
// summarized there rather than printed one by one, unless verbose).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "raftsim/time.h"

namespace raftsim {

class Timeline {
 public:
  virtual ~Timeline() = default;
  virtual void record(Micros at, const std::string& text) = 0;
  /// Every message delivery and drop, and the Raft core's own log lines, too.
  [[nodiscard]] virtual bool verbose() const { return false; }
};

/// Prints "  1.234567s  text" lines to a stream.
class StreamTimeline final : public Timeline {
 public:
  explicit StreamTimeline(std::ostream& out, bool verbose = false) : out_(out), verbose_(verbose) {}
  void record(Micros at, const std::string& text) override;
  [[nodiscard]] bool verbose() const override { return verbose_; }

 private:
  std::ostream& out_;
  bool verbose_;
};

/// Keeps the last `capacity` lines (for printing the end of a failing run).
class TailTimeline final : public Timeline {
 public:
  explicit TailTimeline(std::size_t capacity) : capacity_(capacity) {}
  void record(Micros at, const std::string& text) override;
  [[nodiscard]] std::string text() const;

 private:
  std::size_t capacity_;
  std::vector<std::string> lines_;  // a ring once full
  std::size_t next_ = 0;
};

}  // namespace raftsim
