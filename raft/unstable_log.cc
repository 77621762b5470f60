#include "raft/unstable_log.h"

#include <algorithm>

namespace raft {

std::optional<Index> UnstableLog::last_index() const {
  if (entries_.empty()) return std::nullopt;
  return offset_ + (entries_.size() - 1);
}

std::optional<Term> UnstableLog::term(Index i) const {
  if (entries_.empty() || i < offset_ || i > *last_index()) return std::nullopt;
  return at(i).term;
}

std::vector<Entry> UnstableLog::take_unhanded() {
  std::vector<Entry> out(entries_.begin() + static_cast<std::ptrdiff_t>(handed_),
                         entries_.end());
  handed_ = entries_.size();
  return out;
}

void UnstableLog::truncate_and_append(const std::vector<Entry>& entries) {
  if (entries.empty()) return;
  const Index from = entries.front().index;
  if (from <= offset_) {
    // Replaces the whole tail (and possibly stable entries below it).
    offset_ = from;
    entries_ = entries;
    handed_ = 0;
    return;
  }
  const std::size_t keep = from - offset_;
  entries_.resize(std::min(keep, entries_.size()));
  handed_ = std::min(handed_, entries_.size());
  entries_.insert(entries_.end(), entries.begin(), entries.end());
}

void UnstableLog::stable_to(Index i, Term t) {
  if (term(i) != t) return;
  const std::size_t n = i - offset_ + 1;
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(n));
  handed_ = handed_ > n ? handed_ - n : 0;
  offset_ = i.next();
}

}  // namespace raft
