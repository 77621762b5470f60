// Implementation of check<M> (check.h): per-key tasks searched in time slices.
//
// Keys are independent (P-compositionality), but some keys are slow to search. With a plain
// "one key per thread until done" pool, one slow key delays the others, and on one core the
// first violation can be found only after every slower key before it. So each key's search
// runs in slices of kSliceSteps steps, round-robin over a bounded set of active keys
// (kActivePerThread per thread, to bound memory when a history has thousands of keys), on
// `threads` threads. A key found not linearizable stops the rest (if asked to).
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "lincheck/check.h"
#include "lincheck/parallel.h"

namespace lincheck::detail {

inline constexpr std::uint64_t kSliceSteps = 4096;
inline constexpr std::size_t kActivePerThread = 8;

// Fills what a violation report needs by replaying the prefix on the searched model copy.
template <Model M>
Violation explain(M& model, const std::vector<SearchOp<typename M::Op>>& ops, const std::vector<std::size_t>& index,
                  const SearchResult& r) {
  Violation v;
  typename M::State s = model.init();
  std::vector<bool> placed(ops.size(), false);
  for (std::uint32_t op : r.longest_prefix) {
    v.prefix.push_back(index[op]);
    placed[op] = true;
    if (auto next = model.step(s, ops[op].op)) s = *next;
  }
  v.blocked = index[r.blocked];
  v.state_after_prefix = model.describe_state(s);
  v.blocked_step_possible = model.step(s, ops[r.blocked].op).has_value();
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!placed[i] && i != r.blocked && ops[i].call <= ops[r.blocked].ret) v.concurrent.push_back(index[i]);
  }
  return v;
}

// One key: prepared ops, a model copy and its (resumable) search.
template <Model M>
class KeyTask {
 public:
  KeyTask(const History& h, const KeyPartition& part, const M& model) : history_(h), part_(part), model_(model) {
    result_.key = part.key;
  }

  // Runs one slice. Returns true when the key is finished (result() or error() is final).
  bool run_slice(const SearchLimits& limits) {
    const auto start = std::chrono::steady_clock::now();
    const bool finished = slice(limits);
    result_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return finished;
  }
  // Ends an unfinished key with an Unknown verdict.
  void abandon(std::string reason) {
    searcher_.reset();
    result_.verdict = Verdict::Unknown;
    result_.unknown_reason = std::move(reason);
    result_.not_checked = true;
  }
  KeyResult& result() { return result_; }
  const std::optional<Error>& error() const { return error_; }

 private:
  bool slice(const SearchLimits& limits) {
    if (!searcher_) {
      if (!prepare()) return true;
      searcher_ = std::make_unique<Searcher<M>>(model_, ops_, limits);
    }
    std::optional<SearchResult> r = searcher_->run_for(kSliceSteps);
    if (!r) return false;
    searcher_.reset();  // frees the memo before the next key needs memory
    result_.verdict = r->verdict;
    result_.unknown_reason = r->unknown_reason;
    result_.stats = r->stats;
    if (r->verdict == Verdict::NotLinearizable) result_.violation = explain(model_, ops_, index_, *r);
    return true;
  }

  bool prepare() {
    for (std::size_t i : part_.ops) {
      const Operation& op = history_.ops[i];
      Prepared<typename M::Op> p = model_.prepare(op);
      if (p.kind == Prepared<typename M::Op>::Kind::Error) {
        error_ = Error{history_.source, op.line, p.error};
        return false;
      }
      if (p.kind == Prepared<typename M::Op>::Kind::Skip) {
        ++result_.skipped;
        continue;
      }
      // A definitely failed op the model keeps (Porcupine's failed cas) still has a return.
      ops_.push_back({std::move(p.op), op.call, op.outcome == Outcome::Info ? kNever : op.ret});
      index_.push_back(i);
    }
    result_.ops = ops_.size();
    return true;
  }

  const History& history_;
  const KeyPartition& part_;
  M model_;
  std::vector<SearchOp<typename M::Op>> ops_;
  std::vector<std::size_t> index_;  // search op → History::ops index
  std::unique_ptr<Searcher<M>> searcher_;
  KeyResult result_;
  std::optional<Error> error_;
};

// Hands out tasks: unfinished active ones round-robin, and new ones while fewer than
// `max_active` are active.
class TaskQueue {
 public:
  TaskQueue(std::size_t tasks, std::size_t max_active) : tasks_(tasks), max_active_(max_active) {}
  std::optional<std::size_t> pop() {
    std::lock_guard lock(mu_);
    if (next_new_ < tasks_ && (active_.size() < max_active_ || active_.empty())) return next_new_++;
    if (active_.empty()) return std::nullopt;
    const std::size_t t = active_.front();
    active_.pop_front();
    return t;
  }
  void push(std::size_t t) {
    std::lock_guard lock(mu_);
    active_.push_back(t);
  }

 private:
  std::mutex mu_;
  std::size_t tasks_;
  std::size_t max_active_;
  std::size_t next_new_ = 0;
  std::deque<std::size_t> active_;
};

}  // namespace lincheck::detail

namespace lincheck {

template <Model M>
Result<CheckResult> check(const History& history, const M& model, const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<KeyPartition> parts = partition_by_key(history);
  MemoryBudget budget(options.memory_limit);
  SearchLimits limits;
  limits.budget = &budget;
  limits.cancel = options.cancel;
  if (options.timeout.count() > 0) limits.deadline = start + options.timeout;

  // Biggest keys first, so that a long key does not start last.
  std::vector<std::size_t> order(parts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return parts[a].ops.size() > parts[b].ops.size(); });
  std::vector<std::unique_ptr<detail::KeyTask<M>>> tasks(parts.size());
  for (std::size_t k = 0; k < parts.size(); ++k) tasks[k] = std::make_unique<detail::KeyTask<M>>(history, parts[k], model);

  const unsigned threads = std::min<unsigned>(resolve_threads(options.threads), static_cast<unsigned>(std::max<std::size_t>(parts.size(), 1)));
  detail::TaskQueue queue(parts.size(), detail::kActivePerThread * threads);
  std::atomic<bool> stop{false};
  std::mutex stop_mu;
  std::string stop_reason;
  run_parallel(threads, threads, [&](std::size_t) {
    while (const std::optional<std::size_t> t = queue.pop()) {
      detail::KeyTask<M>& task = *tasks[order[*t]];
      if (stop.load(std::memory_order_relaxed)) {
        std::lock_guard lock(stop_mu);
        task.abandon(stop_reason);
        continue;
      }
      if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
        task.abandon("not checked: cancelled");
        continue;
      }
      if (std::chrono::steady_clock::now() > limits.deadline) {
        task.abandon("not checked to the end: deadline reached");
        continue;
      }
      if (!task.run_slice(limits)) {
        queue.push(*t);
        continue;
      }
      if (options.stop_at_first_violation && !task.error() && task.result().verdict == Verdict::NotLinearizable) {
        std::lock_guard lock(stop_mu);
        if (!stop.exchange(true)) stop_reason = "not checked: stopped at the first violation (key " + task.result().key + ")";
      }
    }
  });

  CheckResult out;
  std::optional<Error> first_error;
  for (auto& task : tasks) {
    if (task->error()) {
      if (!first_error || task->error()->line < first_error->line) first_error = task->error();
      continue;
    }
    out.verdict = combine(out.verdict, task->result().verdict);
    out.keys.push_back(std::move(task->result()));
  }
  if (first_error) return *first_error;
  out.peak_memo_bytes = budget.peak();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace lincheck
