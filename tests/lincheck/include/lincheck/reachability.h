// Reachability pruning and dead-state merging for models with growing states (see the
// resets / may_reach / dead hooks in model.h). Used by the search (search.h).
//
// Both rest on one real-time fact: an op X can be linearized before op R only if X was called
// before R returned. So, from a configuration, the ops that can still come before a pending
// read R are the unplaced ops called before R's return.
//  * A pending read R that cannot be reached from the current state s, and that no unplaced
//    reset called before R's return can make reachable, can never be linearized: dead end.
//  * The reads that can still be linearized before any further reset are the unplaced reads
//    called before the earliest return of an unplaced reset (the horizon). If none of them
//    can be reached from s, no read will ever observe s: s is replaced by dead().
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "lincheck/model.h"
#include "lincheck/op_list.h"

namespace lincheck {

template <Model M>
class Reachability {
 public:
  using State = typename M::State;
  using Op = typename M::Op;

  static constexpr std::uint32_t kNever = std::numeric_limits<std::uint32_t>::max();

  // call_seq / ret_seq: event positions of each op's call and return (kNever: no return).
  Reachability(M& model, const std::vector<Op>& ops, const std::vector<std::uint8_t>& read_only,
               const std::vector<std::uint32_t>& call_seq, const std::vector<std::uint32_t>& ret_seq)
      : model_(model), ops_(ops), call_seq_(call_seq), ret_seq_(ret_seq) {
    std::vector<std::uint32_t> reads, resets;
    for (std::uint32_t i = 0; i < ops.size(); ++i) {
      if (read_only[i]) reads.push_back(i);
      if (model.resets(ops[i])) resets.push_back(i);
    }
    auto by_call = [&](std::uint32_t a, std::uint32_t b) { return call_seq[a] < call_seq[b]; };
    std::sort(reads.begin(), reads.end(), by_call);
    std::sort(resets.begin(), resets.end(), by_call);
    reads_ = OpList(reads, ops.size());
    resets_by_call_ = OpList(resets, ops.size());
    std::stable_sort(resets.begin(), resets.end(), [&](std::uint32_t a, std::uint32_t b) { return ret_seq[a] < ret_seq[b]; });
    resets_by_ret_ = OpList(resets, ops.size());
  }

  // Keep the unplaced lists in step with the search (restore in reverse order of place).
  void place(std::uint32_t op) {
    if (reads_.contains_op(op)) reads_.remove(op);
    if (resets_by_call_.contains_op(op)) {
      resets_by_call_.remove(op);
      resets_by_ret_.remove(op);
    }
  }
  void unplace(std::uint32_t op) {
    if (resets_by_call_.contains_op(op)) {
      resets_by_ret_.restore(op);
      resets_by_call_.restore(op);
    }
    if (reads_.contains_op(op)) reads_.restore(op);
  }

  // Whether the pending read `read` (unplaced) can never be linearized from state s.
  bool unreachable(const State& s, std::uint32_t read) const {
    if (model_.may_reach(s, ops_[read])) return false;
    for (std::uint32_t x = resets_by_call_.first(); x != OpList::kEnd && call_seq_[x] < ret_seq_[read];
         x = resets_by_call_.after(x)) {
      // A reset's result does not depend on the state it is applied to.
      const auto after = model_.step(s, ops_[x]);
      if (after && model_.may_reach(*after, ops_[read])) return false;
    }
    return true;
  }

  // Whether no read can observe s before the next reset, once `op` (not yet placed) is placed.
  bool unobservable(const State& s, std::uint32_t op) const {
    std::uint32_t first = resets_by_ret_.first();
    if (first == op) first = resets_by_ret_.after(op);
    const std::uint32_t horizon = first == OpList::kEnd ? kNever : ret_seq_[first];
    for (std::uint32_t r = reads_.first(); r != OpList::kEnd && call_seq_[r] < horizon; r = reads_.after(r)) {
      if (model_.may_reach(s, ops_[r])) return false;
    }
    return true;
  }

 private:
  M& model_;
  const std::vector<Op>& ops_;
  const std::vector<std::uint32_t>& call_seq_;
  const std::vector<std::uint32_t>& ret_seq_;
  OpList reads_;           // unplaced read-only ops, by call
  OpList resets_by_call_;  // unplaced reset ops, by call
  OpList resets_by_ret_;   // the same, by return (ops that never return last)
};

}  // namespace lincheck
