#include "tests/workbench/src/lin_check.h"

namespace workbench {

KeyVerdict check_register_key(const std::string& key, const std::vector<RegisterOp>& ops) {
  KeyVerdict v;
  v.key = key;
  v.op_count = ops.size();
  v.valid = Validity::Unknown;
  v.explanation = "no linearizability checker is linked in yet";
  return v;
}

}  // namespace workbench
