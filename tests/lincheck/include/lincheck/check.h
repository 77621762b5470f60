// Checking a history: split it by key, search each key for a linearization (in parallel),
// and explain the first violation of each bad key.
//
//   lincheck::History h = ...;                       // parse.h or built in code
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

#include "lincheck/history.h"
#include "lincheck/memory_budget.h"
#include "lincheck/model.h"
#include "lincheck/result.h"
#include "lincheck/search.h"
#include "lincheck/verdict.h"

namespace lincheck {

struct CheckOptions {
  unsigned threads = 0;                        // keys checked in parallel; 0 = one per core
  std::chrono::milliseconds timeout{0};        // whole check; 0 = none. Past it: Unknown
  std::size_t memory_limit = std::size_t{2} << 30;  // bytes of memo, all keys together
  // Stop every key once one is found not linearizable (as Porcupine does): the overall
  // verdict is decided, and refuting a key can cost far more than finding one bad key. Keys
  // left unfinished are then Unknown with not_checked set. Off by default: every key gets
  // its own verdict. The CLI turns it on (--every-key turns it off).
  bool stop_at_first_violation = false;
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
  bool not_checked = false;  // Unknown because the check stopped early (first violation, cancel)
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
  CasRegister,  // read / write / cas (cas_register.h)
  StringKv,     // get / put / append (string_kv.h)
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

}  // namespace lincheck

#include "lincheck/check_impl.h"  // IWYU pragma: export
