#include "kv/state_machine.h"

namespace kv {

Result StateMachine::read(const json& key) const {
  auto it = map_.find(key.dump());
  if (it == map_.end()) return Result::error(ErrorCode::kKeyDoesNotExist, "key does not exist");
  return Result::success(it->second);
}

Result StateMachine::apply(const Operation& op) {
  const std::string k = op.key.dump();
  switch (op.kind) {
    case Operation::Kind::kWrite:
      map_[k] = op.value;  // write creates the key
      return Result::success();
    case Operation::Kind::kCas: {
      auto it = map_.find(k);
      if (it == map_.end()) {
        return Result::error(ErrorCode::kKeyDoesNotExist, "key does not exist");
      }
      if (it->second != op.from) {
        return Result::error(ErrorCode::kPreconditionFailed,
                             "expected " + op.from.dump() + ", found " + it->second.dump());
      }
      it->second = op.to;
      return Result::success();
    }
    case Operation::Kind::kRead:
      return read(op.key);
  }
  return Result::error(ErrorCode::kNotSupported, "unknown operation");
}

}  // namespace kv
