#include "raft/storage.h"

#include <stdexcept>

namespace raft {

std::vector<Entry> MemoryStorage::entries(Index lo, Index hi, std::size_t max_bytes) const {
  if (lo < first_index() || hi > last_index().next() || lo > hi) {
    throw std::out_of_range("MemoryStorage::entries: range out of bounds");
  }
  std::vector<Entry> out;
  std::size_t bytes = 0;
  for (Index i = lo; i < hi; i = i.next()) {
    const Entry& e = entries_[i.value() - 1];
    bytes += e.size_bytes();
    if (!out.empty() && bytes > max_bytes) break;
    out.push_back(e);
  }
  return out;
}

std::optional<Term> MemoryStorage::term(Index i) const {
  if (i.value() == 0) return Term{0};
  if (i > last_index()) return std::nullopt;
  return entries_[i.value() - 1].term;
}

void MemoryStorage::append(const std::vector<Entry>& entries) {
  if (entries.empty()) return;
  const Index first = entries.front().index;
  if (first.value() == 0 || first > last_index().next()) {
    throw std::invalid_argument("MemoryStorage::append: gap before the appended entries");
  }
  // Truncate the conflicting suffix, if any.
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(first.value() - 1),
                 entries_.end());
  entries_.insert(entries_.end(), entries.begin(), entries.end());
}

}  // namespace raft
