// The one place that knows the linearizability checker (tests/lincheck): each key's
// operations in, a verdict per key out. Everything else in the workbench stays
// checker-agnostic.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/workbench/src/checker.h"
#include "tests/workbench/src/history.h"

namespace workbench {

// One lin-kv operation on one key, in interval form. Failed operations never reach here:
// Knossos drops them before the search, as they did not happen.
struct RegisterOp {
  std::int64_t invoke_index = 0;
  std::int64_t complete_index = -1;  // -1: never completed
  std::int64_t process = 0;
  std::string f;                     // read, write, cas
  nlohmann::json arg;                // write: v; cas: [from, to]
  nlohmann::json result;             // read: the value returned (null matches anything)
  OpType outcome = OpType::Ok;       // Ok or Info
  Nanos call = 0;
  Nanos ret = 0;                     // meaningless for Info
};

struct KeyOps {
  std::string key;
  std::vector<RegisterOp> ops;
};

struct RegisterCheck {
  std::vector<KeyVerdict> keys;  // in the order given
  std::string text_report;       // the checker's own report, for lincheck.txt ("" if none)
};

// Checks every key against a compare-and-set register that starts empty (Maelstrom's model);
// past timeout_s (0: no limit) the keys not yet decided are unknown.
RegisterCheck check_registers(const std::vector<KeyOps>& keys, double timeout_s);

}  // namespace workbench
