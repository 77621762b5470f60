#include "kv/state_machine.h"

#include <charconv>

namespace kv {

namespace {
// Compact JSON text, as json::dump() writes it; integers (all Maelstrom sends) without
// dump()'s serializer set-up, which costs more than the rest of applying a command.
std::string text_of(const json& v) {
  char buf[24];
  std::to_chars_result r{};
  if (v.is_number_unsigned()) {
    r = std::to_chars(buf, buf + sizeof buf, v.get<std::uint64_t>());
  } else if (v.is_number_integer()) {
    r = std::to_chars(buf, buf + sizeof buf, v.get<std::int64_t>());
  } else {
    return v.dump();
  }
  return std::string(buf, r.ptr);
}
}  // namespace

Result StateMachine::read(const json& key) const {
  auto it = map_.find(text_of(key));
  if (it == map_.end()) return Result::error(ErrorCode::kKeyDoesNotExist, "key does not exist");
  return Result::success(it->second);
}

Result StateMachine::apply(const Operation& op) {
  const std::string k = text_of(op.key);
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
                             "expected " + text_of(op.from) + ", found " + text_of(it->second));
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
