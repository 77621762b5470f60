// The search for a linearization of one key's operations.
//
// Wing & Gong (1993) search for a sequential order of the operations that respects real
// time and the model, trying at each point every operation that is "minimal" (called before
// the earliest return among the not yet linearized ones). Lowe ("Testing for
// linearizability", 2017) makes it practical: the operations' call and return events sit in
// a doubly linked list sorted by time, linearizing an op unlinks both of its events
// (dancing links) so the candidates are simply the call events before the first return
// event, and a memo of visited (linearized set, model state) configurations prunes repeated
// sub-searches. Porcupine (Athalye, Go) is that algorithm. This is it too, plus:
//
//  * Candidates are tried in order of their return (earliest first), not of their call: an
//    op that ran long is placed as late as possible first, where real systems tend to apply
//    it, so a wrong early placement does not drag every later op's search along with it.
//  * Forced reads: a pending read-only op (Model::read_only) that fits the current state is
//    linearized at once and is the only move tried from that configuration (model.h says
//    why that is sound). Most reads of a history are placed this way, without branching.
//  * Reachability pruning and dead-state merging for models with growing states
//    (reachability.h): a string under append is refuted by the first get that contradicts
//    it, and strings no get can observe any more are merged.
//  * Ops that never returned (:info) are optional: they may take effect at any point after
//    their call, or never. They live in a second list without return events, are tried after
//    the returned ops at each point, and the search succeeds as soon as every returned op is
//    linearized. Two prunings keep every verdict (each drops only a branch that has an
//    equivalent kept branch): an info op whose step leaves the state unchanged is never
//    linearized (leaving it out changes no state and weakens no constraint); of several info
//    ops with equal Op, only the earliest-called pending one may be linearized (once both
//    are called they are interchangeable).
//  * No reset op (Model::resets, e.g. a write) right after an info op: the info op's effect
//    would be lost unobserved; the completion without it uses fewer info ops. Whether the
//    last op was an info op is part of the memo key, since it restricts the moves.
//  * An incremental (Zobrist) hash and a compact set encoding (linearized_set.h).
//  * A deadline, a cancel flag and a memory budget: exceeding any gives Unknown.
//  * The search can run in slices (run_for), so one thread can interleave several keys and
//    stop them all as soon as one is found not linearizable.
//
// When no linearization exists, the result keeps the longest partial linearization found
// and the op that could not follow it: the op whose return ended it, or the pending read
// that reachability pruning found could never be satisfied.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "lincheck/history.h"
#include "lincheck/memo_table.h"
#include "lincheck/memory_budget.h"
#include "lincheck/model.h"
#include "lincheck/op_list.h"
#include "lincheck/reachability.h"
#include "lincheck/verdict.h"

namespace lincheck {

template <class Op>
struct SearchOp {
  Op op;
  std::int64_t call = 0;
  std::int64_t ret = kNever;  // kNever: the op never returned (optional)
};

struct SearchLimits {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  MemoryBudget* budget = nullptr;             // required
  const std::atomic<bool>* cancel = nullptr;  // optional: set to stop early (→ Unknown)
};

struct SearchStats {
  std::uint64_t steps = 0;         // loop iterations
  std::uint64_t memo_entries = 0;  // configurations memoized
  std::uint64_t memo_bytes = 0;
};

struct SearchResult {
  Verdict verdict = Verdict::Unknown;
  std::string unknown_reason;
  // NotLinearizable only: indices into the input ops.
  std::vector<std::uint32_t> longest_prefix;  // in linearization order
  std::uint32_t blocked = 0;                  // an op that could not follow the prefix
  SearchStats stats;
};

template <Model M>
class Searcher {
 public:
  using State = typename M::State;
  using Op = typename M::Op;

  Searcher(M& model, const std::vector<SearchOp<Op>>& ops, const SearchLimits& limits);
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Runs up to `max_steps` more steps; nullopt while the search is not finished.
  std::optional<SearchResult> run_for(std::uint64_t max_steps);
  SearchResult run();
  std::uint64_t memo_bytes() const { return memo_.bytes(); }

 private:
  static constexpr std::uint32_t kNone = 0xffffffffu;

  struct Frame {
    std::uint32_t op;  // internal index of the op linearized at this depth
    bool forced;       // a forced read: the only move tried from the configuration below
    State before;      // model state before it
  };
  enum class Forced : std::uint8_t { None, Taken, DeadEnd };
  struct Cursor {  // where the walk over the current configuration's candidates is
    bool info_pass = false;
    std::uint32_t pos = 0;  // main pass: index into candidates_; info pass: info op or kEnd
  };

  static std::size_t count_ok(const std::vector<SearchOp<Op>>& ops) {
    return static_cast<std::size_t>(
        std::count_if(ops.begin(), ops.end(), [](const SearchOp<Op>& o) { return o.ret != kNever; }));
  }
  bool is_info(std::uint32_t op) const { return op >= ok_count_; }

  void index_ops(const std::vector<SearchOp<Op>>& ops);
  void build_events(const std::vector<SearchOp<Op>>& ops);
  void find_twins();
  void gather_candidates();
  std::uint32_t unreachable_read() const;  // a candidate read that can never be placed, or kNone
  Forced take_forced_read();
  bool try_linearize(std::uint32_t op, bool forced = false);
  void place(std::uint32_t op);
  Frame backtrack();
  bool backtrack_to_choice();
  void note_dead_end(std::uint32_t blocked);
  bool out_of_time();
  SearchResult finish(Verdict v, std::string reason = {});

  M& model_;
  SearchLimits limits_;
  MemoTable<State> memo_;
  LinearizedSet set_;
  std::size_t ok_count_ = 0;

  // Internal op index: ok ops by call time, then info ops by call time.
  std::vector<std::uint32_t> original_;   // internal → input index
  std::vector<Op> ops_;                   // internal → model op
  std::vector<std::uint8_t> read_only_;   // internal → Model::read_only
  std::vector<std::uint8_t> resets_;      // internal → Model::resets
  std::vector<std::uint32_t> call_seq_;   // internal → position of its call event
  std::vector<std::uint32_t> ret_seq_;    // internal → position of its return event, or kNone
  std::vector<std::uint32_t> twin_;       // info op → previous info op with an equal Op, or kNone
  OpList events_;  // Lowe's list: event ids 2·op (call) and 2·op+1 (return) of ok ops, by time
  OpList info_;    // info ops by call time
  std::optional<Reachability<M>> reach_;

  // The current configuration's ok candidates (calls before the first return event), by
  // return time, and that first return event's op (which bounds the info candidates).
  std::vector<std::uint32_t> candidates_;
  std::uint32_t barrier_ = 0;

  std::optional<State> state_;
  std::vector<Frame> stack_;
  std::size_t remaining_ok_ = 0;
  Cursor at_;
  bool fresh_ = true;  // at a configuration whose candidates are not gathered yet
  std::uint64_t steps_ = 0;
  bool out_of_memory_ = false;

  // Longest partial linearization seen; best_[0, shared_) equals the current stack's bottom.
  std::vector<std::uint32_t> best_;
  std::size_t shared_ = 0;
  bool have_best_ = false;
  std::uint32_t best_blocked_ = 0;
};

template <Model M>
Searcher<M>::Searcher(M& model, const std::vector<SearchOp<Op>>& ops, const SearchLimits& limits)
    : model_(model), limits_(limits), memo_(*limits.budget), set_(count_ok(ops), ops.size() - count_ok(ops)) {
  index_ops(ops);
  build_events(ops);
  find_twins();
  if constexpr (has_reachability<M>) reach_.emplace(model_, ops_, read_only_, call_seq_, ret_seq_);
  state_ = model_.init();
}

template <Model M>
void Searcher<M>::index_ops(const std::vector<SearchOp<Op>>& ops) {
  std::vector<std::uint32_t> order(ops.size());
  for (std::uint32_t i = 0; i < ops.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const bool ia = ops[a].ret == kNever, ib = ops[b].ret == kNever;
    return std::tie(ia, ops[a].call) < std::tie(ib, ops[b].call);
  });
  ok_count_ = count_ok(ops);
  remaining_ok_ = ok_count_;
  original_ = order;
  for (std::uint32_t i : order) {
    ops_.push_back(ops[i].op);
    read_only_.push_back(is_read_only(model_, ops[i].op) ? 1 : 0);
    resets_.push_back(is_reset(model_, ops[i].op) ? 1 : 0);
  }
}

template <Model M>
void Searcher<M>::build_events(const std::vector<SearchOp<Op>>& ops) {
  // Global event order: by time, calls before returns at equal times (equal times are
  // concurrent: A precedes B only if A.ret < B.call), then by op.
  struct Event {
    std::int64_t time;
    std::uint8_t is_return;
    std::uint32_t op;  // internal index
  };
  std::vector<Event> events;
  for (std::uint32_t i = 0; i < ops_.size(); ++i) {
    const SearchOp<Op>& o = ops[original_[i]];
    events.push_back({o.call, 0, i});
    if (!is_info(i)) events.push_back({o.ret, 1, i});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return std::tie(a.time, a.is_return, a.op) < std::tie(b.time, b.is_return, b.op);
  });
  call_seq_.assign(ops_.size(), 0);
  ret_seq_.assign(ops_.size(), kNone);
  std::vector<std::uint32_t> ok_events, info_ops;
  for (std::uint32_t seq = 0; seq < events.size(); ++seq) {
    const Event& e = events[seq];
    (e.is_return ? ret_seq_ : call_seq_)[e.op] = seq;
    if (is_info(e.op)) info_ops.push_back(e.op);
    else ok_events.push_back(2 * e.op + e.is_return);
  }
  events_ = OpList(ok_events, 2 * ok_count_);
  info_ = OpList(info_ops, ops_.size());
}

template <Model M>
void Searcher<M>::find_twins() {
  // Classes of equal info ops; capped so that a history of all-distinct info ops stays linear.
  constexpr std::size_t kMaxClasses = 256;
  std::vector<std::uint32_t> last_of_class;
  twin_.assign(ops_.size(), kNone);
  for (std::uint32_t i = static_cast<std::uint32_t>(ok_count_); i < ops_.size(); ++i) {
    auto it = std::find_if(last_of_class.begin(), last_of_class.end(),
                           [&](std::uint32_t j) { return ops_[j] == ops_[i]; });
    if (it != last_of_class.end()) {
      twin_[i] = *it;
      *it = i;
    } else if (last_of_class.size() < kMaxClasses) {
      last_of_class.push_back(i);
    }
  }
}

template <Model M>
void Searcher<M>::gather_candidates() {
  candidates_.clear();
  std::uint32_t e = events_.first();
  for (; e % 2 == 0; e = events_.after(e)) candidates_.push_back(e / 2);
  barrier_ = e / 2;  // remaining_ok_ > 0, so a return event exists
  std::sort(candidates_.begin(), candidates_.end(),
            [&](std::uint32_t a, std::uint32_t b) { return ret_seq_[a] < ret_seq_[b]; });
}

template <Model M>
std::uint32_t Searcher<M>::unreachable_read() const {
  if constexpr (has_reachability<M>) {
    for (std::uint32_t op : candidates_) {
      if (read_only_[op] && reach_->unreachable(*state_, op)) return op;
    }
  }
  return kNone;
}

template <Model M>
typename Searcher<M>::Forced Searcher<M>::take_forced_read() {
  for (std::uint32_t op : candidates_) {
    if (!read_only_[op] || !model_.step(*state_, ops_[op])) continue;
    if (try_linearize(op, true)) return Forced::Taken;
    // Already visited with this read placed (or out of memory): this configuration is done.
    return Forced::DeadEnd;
  }
  return Forced::None;
}

template <Model M>
bool Searcher<M>::try_linearize(std::uint32_t op, bool forced) {
  if (is_info(op) && twin_[op] != kNone && !set_.test(twin_[op])) return false;
  if (resets_[op] && !stack_.empty() && is_info(stack_.back().op)) return false;
  std::optional<State> next = model_.step(*state_, ops_[op]);
  if (!next) return false;
  if (is_info(op) && *next == *state_) return false;
  if constexpr (has_dead_state<M>) {
    if (!read_only_[op] && !(*next == model_.dead()) && reach_->unobservable(*next, op)) next = model_.dead();
  }
  set_.set(op);
  const bool after_info = is_info(op);
  const std::uint64_t hash =
      set_.ok_hash() ^ splitmix64(static_cast<std::uint64_t>(model_.hash(*next)) + (after_info ? 0x51ed27 : 0));
  const auto inserted = memo_.insert(set_, hash, *next, after_info);
  if (inserted != MemoTable<State>::Insert::Added) {
    set_.reset(op);
    out_of_memory_ = inserted == MemoTable<State>::Insert::OutOfMemory;
    return false;
  }
  stack_.push_back(Frame{op, forced, std::move(*state_)});
  state_ = std::move(next);
  place(op);
  return true;
}

template <Model M>
void Searcher<M>::place(std::uint32_t op) {
  if (is_info(op)) {
    info_.remove(op);
  } else {
    events_.remove(2 * op);
    events_.remove(2 * op + 1);
    --remaining_ok_;
  }
  if (reach_) reach_->place(op);
}

template <Model M>
typename Searcher<M>::Frame Searcher<M>::backtrack() {
  Frame f = std::move(stack_.back());
  stack_.pop_back();
  shared_ = std::min(shared_, stack_.size());
  set_.reset(f.op);
  state_ = f.before;
  if (reach_) reach_->unplace(f.op);
  if (is_info(f.op)) {
    info_.restore(f.op);
  } else {
    events_.restore(2 * f.op + 1);
    events_.restore(2 * f.op);
    ++remaining_ok_;
  }
  return f;
}

// Pops frames up to and including the last real choice and points the cursor just after that
// choice. Forced frames are popped through: their configuration has no other move.
template <Model M>
bool Searcher<M>::backtrack_to_choice() {
  while (!stack_.empty()) {
    const Frame f = backtrack();
    if (f.forced) continue;
    gather_candidates();
    if (is_info(f.op)) {
      at_ = Cursor{true, info_.after(f.op)};
    } else {
      const auto it = std::find(candidates_.begin(), candidates_.end(), f.op);
      at_ = Cursor{false, static_cast<std::uint32_t>(it - candidates_.begin()) + 1};
    }
    return true;
  }
  return false;
}

template <Model M>
void Searcher<M>::note_dead_end(std::uint32_t blocked) {
  if (have_best_ && stack_.size() <= best_.size()) return;
  best_.resize(stack_.size());
  for (std::size_t d = shared_; d < stack_.size(); ++d) best_[d] = stack_[d].op;
  shared_ = stack_.size();
  have_best_ = true;
  best_blocked_ = blocked;
}

template <Model M>
bool Searcher<M>::out_of_time() {
  if ((++steps_ & 0xfff) != 0) return false;
  if (limits_.cancel != nullptr && limits_.cancel->load(std::memory_order_relaxed)) return true;
  return std::chrono::steady_clock::now() > limits_.deadline;
}

template <Model M>
SearchResult Searcher<M>::finish(Verdict v, std::string reason) {
  SearchResult r;
  r.verdict = v;
  r.unknown_reason = std::move(reason);
  r.stats = {steps_, memo_.entries(), memo_.bytes()};
  if (v == Verdict::NotLinearizable) {
    for (std::uint32_t op : best_) r.longest_prefix.push_back(original_[op]);
    r.blocked = original_[best_blocked_];
  }
  return r;
}

template <Model M>
std::optional<SearchResult> Searcher<M>::run_for(std::uint64_t max_steps) {
  for (std::uint64_t n = 0; remaining_ok_ > 0; ++n) {
    if (n >= max_steps) return std::nullopt;
    if (out_of_time()) return finish(Verdict::Unknown, "deadline reached or cancelled");
    if (out_of_memory_) return finish(Verdict::Unknown, "memory limit reached");
    if (fresh_) {
      fresh_ = false;
      gather_candidates();
      const std::uint32_t unreachable = unreachable_read();
      if (unreachable != kNone) note_dead_end(unreachable);
      const Forced forced = unreachable != kNone ? Forced::DeadEnd : take_forced_read();
      if (forced == Forced::Taken) {
        fresh_ = true;
      } else if (forced == Forced::DeadEnd) {
        if (!out_of_memory_ && !backtrack_to_choice()) return finish(Verdict::NotLinearizable);
      } else {
        at_ = Cursor{false, 0};
      }
      continue;
    }
    if (!at_.info_pass) {
      if (at_.pos < candidates_.size()) {
        if (try_linearize(candidates_[at_.pos])) fresh_ = true;
        else ++at_.pos;
        continue;
      }
      // Every ok candidate failed. barrier_ must be placed before it returns, so only info
      // ops called before that return remain to try.
      note_dead_end(barrier_);
      at_ = Cursor{true, info_.first()};
      continue;
    }
    if (at_.pos != OpList::kEnd && call_seq_[at_.pos] < ret_seq_[barrier_]) {
      if (try_linearize(at_.pos)) fresh_ = true;
      else at_.pos = info_.after(at_.pos);
      continue;
    }
    if (!backtrack_to_choice()) return finish(Verdict::NotLinearizable);
  }
  return finish(Verdict::Linearizable);
}

template <Model M>
SearchResult Searcher<M>::run() {
  std::optional<SearchResult> r;
  while (!(r = run_for(std::uint64_t{1} << 62))) {
  }
  return *r;
}

// Searches for a linearization of `ops` (all of one key) against `model`.
template <Model M>
SearchResult search(M& model, const std::vector<SearchOp<typename M::Op>>& ops, const SearchLimits& limits) {
  Searcher<M> searcher(model, ops, limits);
  return searcher.run();
}

}  // namespace lincheck
