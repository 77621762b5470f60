// Checking a history: split it by key, search each key for a linearization (in parallel),
// and explain the first violation of each bad key.
//
//   lincheck::History h = ...;                       // parse.hpp or built in code
//   auto r = lincheck::check(h, lincheck::ModelSpec{}, {});   // built-in model, inferred
//   auto r = lincheck::check(h, MyModel{}, {});               // any type satisfying Model
//   if (!r) std::cerr << r.error().to_string();      // an op the model cannot interpret
//   else if (r->verdict == lincheck::Verdict::NotLinearizable) ...
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lincheck/history.hpp"
#include "lincheck/memory_budget.hpp"
#include "lincheck/model.hpp"
#include "lincheck/parallel.hpp"
#include "lincheck/result.hpp"
#include "lincheck/search.hpp"
#include "lincheck/verdict.hpp"

namespace lincheck {

struct CheckOptions {
  unsigned threads = 0;                        // keys checked in parallel; 0 = one per core
  std::chrono::milliseconds timeout{0};        // whole check; 0 = none. Past it: Unknown
  std::size_t memory_limit = std::size_t{2} << 30;  // bytes of memo, all keys together
  const std::atomic<bool>* cancel = nullptr;   // set it from another thread to stop (Unknown)
};

// Why a key is not linearizable: the longest linearizable prefix the search found and the op
// that cannot follow it. Indices are into History::ops.
struct Violation {
  std::vector<std::size_t> prefix;      // in linearization order
  std::size_t blocked = 0;              // an op that returned but cannot be placed next
  std::vector<std::size_t> concurrent;  // other unplaced ops called before `blocked` returned
  std::string state_after_prefix;       // the model state, rendered by the model
  bool blocked_step_possible = false;   // false: `blocked` itself is impossible in that state
};

struct KeyResult {
  std::string key;
  Verdict verdict = Verdict::Unknown;
  std::size_t ops = 0;      // operations searched
  std::size_t skipped = 0;  // operations that constrain nothing (see Model::prepare)
  std::string unknown_reason;
  std::optional<Violation> violation;
  SearchStats stats;
  double seconds = 0;
};

struct CheckResult {
  Verdict verdict = Verdict::Linearizable;
  std::vector<KeyResult> keys;  // in order of each key's first appearance in the history
  std::size_t peak_memo_bytes = 0;
  double seconds = 0;
};

// Checks `history` against copies of `model` (one per key). Errors: an op the model rejects.
template <Model M>
Result<CheckResult> check(const History& history, const M& model, const CheckOptions& options = {});

// ---- Built-in models -------------------------------------------------------------------

enum class ModelKind : std::uint8_t {
  Auto,         // StringKv if the history has get/put/append ops, else CasRegister
  CasRegister,  // read / write / cas (cas_register.hpp)
  StringKv,     // get / put / append (string_kv.hpp)
};
std::string_view to_string(ModelKind k);

struct ModelSpec {
  ModelKind kind = ModelKind::Auto;
  Semantics semantics = Semantics::Knossos;
};

ModelKind infer_model(const History& history);
Result<CheckResult> check(const History& history, const ModelSpec& spec, const CheckOptions& options = {});

// A Maelstrom lin-kv history (parse_maelstrom_history / parse_edn_history): every key a
// compare-and-set register under Knossos semantics, as Maelstrom's own checker does.
Result<CheckResult> check_maelstrom_lin_kv(const History& history, const CheckOptions& options = {});

// ---- Implementation ----------------------------------------------------------------------

namespace detail {

// Fills what a violation report needs by replaying the prefix on the (searched) model copy.
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

template <Model M>
Result<KeyResult> check_key(const History& h, const KeyPartition& part, M model, const SearchLimits& limits) {
  const auto start = std::chrono::steady_clock::now();
  KeyResult kr;
  kr.key = part.key;
  std::vector<SearchOp<typename M::Op>> ops;
  std::vector<std::size_t> index;  // search op → History::ops index
  for (std::size_t i : part.ops) {
    const Operation& op = h.ops[i];
    Prepared<typename M::Op> p = model.prepare(op);
    if (p.kind == Prepared<typename M::Op>::Kind::Error) return Error{h.source, op.line, p.error};
    if (p.kind == Prepared<typename M::Op>::Kind::Skip) {
      ++kr.skipped;
      continue;
    }
    // A definitely failed op the model keeps (Porcupine's failed cas) still has a return time.
    ops.push_back({std::move(p.op), op.call, op.outcome == Outcome::Info ? kNever : op.ret});
    index.push_back(i);
  }
  kr.ops = ops.size();
  SearchResult r = search(model, ops, limits);
  kr.verdict = r.verdict;
  kr.unknown_reason = r.unknown_reason;
  kr.stats = r.stats;
  if (r.verdict == Verdict::NotLinearizable) kr.violation = explain(model, ops, index, r);
  kr.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return kr;
}

}  // namespace detail

template <Model M>
Result<CheckResult> check(const History& history, const M& model, const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<KeyPartition> parts = partition_by_key(history);
  MemoryBudget budget(options.memory_limit);
  SearchLimits limits;
  limits.budget = &budget;
  limits.cancel = options.cancel;
  if (options.timeout.count() > 0) limits.deadline = start + options.timeout;

  // Biggest keys first, so one long key does not start last on a busy pool.
  std::vector<std::size_t> order(parts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return parts[a].ops.size() > parts[b].ops.size(); });
  std::vector<std::optional<Result<KeyResult>>> results(parts.size());
  run_parallel(parts.size(), options.threads, [&](std::size_t t) {
    const std::size_t k = order[t];
    results[k].emplace(detail::check_key(history, parts[k], model, limits));
  });

  CheckResult out;
  std::optional<Error> first_error;
  for (auto& r : results) {
    if (!r->ok()) {
      if (!first_error || r->error().line < first_error->line) first_error = r->error();
      continue;
    }
    out.verdict = combine(out.verdict, (*r)->verdict);
    out.keys.push_back(std::move(**r));
  }
  if (first_error) return *first_error;
  out.peak_memo_bytes = budget.peak();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace lincheck
