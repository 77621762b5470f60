#include "transport/timer_queue.h"

#include <stdexcept>

namespace maelstrom {

TimerId TimerQueue::schedule_at(TimePoint deadline, Callback fn) {
  return insert(deadline, Duration::zero(), std::move(fn));
}

TimerId TimerQueue::schedule_every(TimePoint first, Duration interval, Callback fn) {
  if (interval <= Duration::zero()) {
    throw std::invalid_argument("periodic timer interval must be positive");
  }
  return insert(first, interval, std::move(fn));
}

TimerId TimerQueue::insert(TimePoint deadline, Duration interval, Callback fn) {
  const TimerId id = next_id_++;
  const Key key{deadline, next_seq_++};
  queue_.emplace(key, Entry{id, interval, std::move(fn)});
  by_id_.emplace(id, key);
  return id;
}

bool TimerQueue::cancel(TimerId id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return false;
  queue_.erase(it->second);
  by_id_.erase(it);
  return true;
}

std::optional<TimePoint> TimerQueue::next_deadline() const {
  if (queue_.empty()) return std::nullopt;
  return queue_.begin()->first.first;
}

std::size_t TimerQueue::run_due(TimePoint now) {
  const std::uint64_t seq_limit = next_seq_;  // entries (re)armed from here on wait
  std::size_t ran = 0;
  for (;;) {
    auto it = queue_.begin();
    while (it != queue_.end() && it->first.first <= now && it->first.second >= seq_limit) ++it;
    if (it == queue_.end() || it->first.first > now) break;
    const TimePoint deadline = it->first.first;
    Entry entry = std::move(it->second);
    queue_.erase(it);
    if (entry.interval > Duration::zero()) {
      TimePoint next = deadline + entry.interval;
      if (next <= now) next = now + entry.interval;  // fell behind: skip missed runs
      const Key key{next, next_seq_++};
      by_id_[entry.id] = key;
      // Re-armed before running, so the callback may cancel its own timer; we run a copy of
      // the callback, which stays valid even if that cancel destroys the queued one.
      queue_.emplace(key, Entry{entry.id, entry.interval, entry.fn});
    } else {
      by_id_.erase(entry.id);
    }
    ++ran;
    entry.fn();
  }
  return ran;
}

}  // namespace maelstrom
