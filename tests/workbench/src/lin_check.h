// The one place that knows the linearizability checker (tests/lincheck): one key's
// operations in, a verdict out. Everything else in the workbench stays checker-agnostic.
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

// Checks the operations against a compare-and-set register that starts empty.
KeyVerdict check_register_key(const std::string& key, const std::vector<RegisterOp>& ops);

}  // namespace workbench
