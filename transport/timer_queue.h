// One-shot and periodic timers for a single-threaded event loop.
//
// The queue never looks at a clock itself: the caller passes "now" in. The loop asks for
// next_deadline() to bound its poll() and calls run_due(now) after waking. Callbacks may
// schedule and cancel timers (including themselves) while running.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "transport/clock.h"

namespace maelstrom {

// Identifies a scheduled timer; 0 is never used, so a default TimerId means "none".
using TimerId = std::uint64_t;

class TimerQueue {
 public:
  using Callback = std::function<void()>;

  // Runs `fn` once at `deadline`.
  TimerId schedule_at(TimePoint deadline, Callback fn);
  // Runs `fn` every `interval`, first at `first`. If the loop falls behind by more than an
  // interval, missed runs are skipped rather than fired in a burst: a Raft tick wants
  // "regularly", not "catch up".
  TimerId schedule_every(TimePoint first, Duration interval, Callback fn);
  // Cancels a pending timer; returns false if it already fired (one-shot) or is unknown.
  bool cancel(TimerId id);

  [[nodiscard]] std::optional<TimePoint> next_deadline() const;
  [[nodiscard]] std::size_t size() const { return by_id_.size(); }

  // Fires every timer due at `now`, earliest first. Timers scheduled by these callbacks
  // wait for the next call even if already due, so a callback that re-arms itself with a
  // zero delay cannot starve input. Returns how many callbacks ran.
  std::size_t run_due(TimePoint now);

 private:
  using Key = std::pair<TimePoint, std::uint64_t>;  // (deadline, sequence) orders ties FIFO
  struct Entry {
    TimerId id;
    Duration interval;  // zero for one-shot
    Callback fn;
  };

  TimerId insert(TimePoint deadline, Duration interval, Callback fn);

  std::map<Key, Entry> queue_;
  std::unordered_map<TimerId, Key> by_id_;
  std::uint64_t next_seq_ = 1;
  TimerId next_id_ = 1;
};

}  // namespace maelstrom
