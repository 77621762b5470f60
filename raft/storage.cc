#include "raft/storage.h"

#include <stdexcept>
#include <string>

namespace raft {

std::vector<Entry> MemoryStorage::entries(Index lo, Index hi, std::size_t max_bytes) const {
  if (lo < first_index() || hi > last_index().next() || lo > hi) {
    throw std::out_of_range("MemoryStorage::entries: range out of bounds");
  }
  std::vector<Entry> out;
  std::size_t bytes = 0;
  for (Index i = lo; i < hi; i = i.next()) {
    const Entry& e = entries_[i - first_index()];
    bytes += e.size_bytes();
    if (!out.empty() && bytes > max_bytes) break;
    out.push_back(e);
  }
  return out;
}

std::optional<Term> MemoryStorage::term(Index i) const {
  if (i == snapshot_.meta.index) return snapshot_.meta.term;
  if (i < snapshot_.meta.index || i > last_index()) return std::nullopt;
  return entries_[i - first_index()].term;
}

void MemoryStorage::append(const std::vector<Entry>& entries) {
  if (entries.empty()) return;
  const Index first = entries.front().index;
  if (first < first_index() || first > last_index().next()) {
    throw std::invalid_argument("MemoryStorage::append: entries from " +
                                std::to_string(first.value()) + " do not fit after " +
                                std::to_string(last_index().value()) + " (first index " +
                                std::to_string(first_index().value()) + ")");
  }
  // Truncate the conflicting suffix, if any.
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(first - first_index()),
                 entries_.end());
  entries_.insert(entries_.end(), entries.begin(), entries.end());
}

void MemoryStorage::compact(const Snapshot& snap) {
  const Index i = snap.meta.index;
  if (i <= snapshot_.meta.index) return;
  if (i > last_index() || term(i) != snap.meta.term) {
    throw std::invalid_argument("MemoryStorage::compact: index " + std::to_string(i.value()) +
                                " (term " + std::to_string(snap.meta.term.value()) +
                                ") is not a stored entry; the log ends at " +
                                std::to_string(last_index().value()));
  }
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(i - snapshot_.meta.index));
  snapshot_ = snap;
}

void MemoryStorage::apply_snapshot(const Snapshot& snap) {
  entries_.clear();
  snapshot_ = snap;
}

}  // namespace raft
