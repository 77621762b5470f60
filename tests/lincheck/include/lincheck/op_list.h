// A subset of a search's ops kept in a fixed order, from which ops are removed and restored
// in LIFO order (Knuth's dancing links): removal and restoration are O(1) and iteration
// visits only the ops still present. The search keeps its call/return event list this way
// (after Lowe), and, for reachability pruning, the unplaced reads and resets.
#pragma once

#include <cstdint>
#include <vector>

namespace lincheck {

class OpList {
 public:
  static constexpr std::uint32_t kEnd = 0xffffffffu;

  OpList() = default;
  // `ops` in the order the list keeps; `op_count` bounds the op indices.
  OpList(const std::vector<std::uint32_t>& ops, std::size_t op_count)
      : op_(ops), pos_(op_count, kEnd), next_(ops.size() + 2), prev_(ops.size() + 2) {
    for (std::uint32_t i = 0; i < ops.size(); ++i) pos_[ops[i]] = i + 1;
    for (std::uint32_t i = 0; i < next_.size(); ++i) {
      next_[i] = i + 1;
      prev_[i] = i == 0 ? 0 : i - 1;
    }
  }

  bool contains_op(std::uint32_t op) const { return op < pos_.size() && pos_[op] != kEnd; }
  // First present op, or kEnd.
  std::uint32_t first() const { return op_at(next_[0]); }
  // The present op after `op` (which must be present), or kEnd.
  std::uint32_t after(std::uint32_t op) const { return op_at(next_[pos_[op]]); }
  void remove(std::uint32_t op) {
    const std::uint32_t x = pos_[op];
    next_[prev_[x]] = next_[x];
    prev_[next_[x]] = prev_[x];
  }
  void restore(std::uint32_t op) {
    const std::uint32_t x = pos_[op];
    next_[prev_[x]] = x;
    prev_[next_[x]] = x;
  }

 private:
  std::uint32_t op_at(std::uint32_t node) const { return node > op_.size() ? kEnd : op_[node - 1]; }

  std::vector<std::uint32_t> op_;   // node - 1 → op
  std::vector<std::uint32_t> pos_;  // op → node
  std::vector<std::uint32_t> next_, prev_;
};

}  // namespace lincheck
