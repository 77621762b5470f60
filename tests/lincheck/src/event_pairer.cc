#include "event_pairer.h"

namespace lincheck::detail {

std::optional<EventType> event_type(std::string_view name) {
  if (name == "invoke") return EventType::Invoke;
  if (name == "ok") return EventType::Ok;
  if (name == "fail") return EventType::Fail;
  if (name == "info") return EventType::Info;
  return std::nullopt;
}

std::optional<Error> EventPairer::invoke(std::int64_t process, std::string f, std::string key, Value input,
                                         std::size_t line) {
  auto [it, inserted] = pending_.try_emplace(process, history_.ops.size());
  if (!inserted) {
    return error(line, "process " + std::to_string(process) + " invokes an operation while its operation from line " +
                           std::to_string(history_.ops[it->second].line) + " is still pending");
  }
  Operation op;
  op.process = process;
  op.f = std::move(f);
  op.key = std::move(key);
  op.input = std::move(input);
  op.outcome = Outcome::Info;
  op.call = clock_++;
  op.ret = kNever;
  op.line = line;
  history_.ops.push_back(std::move(op));
  return std::nullopt;
}

const std::string* EventPairer::pending_key(std::int64_t process) const {
  auto it = pending_.find(process);
  return it == pending_.end() ? nullptr : &history_.ops[it->second].key;
}

std::optional<Error> EventPairer::complete(std::int64_t process, EventType type, const std::string& f, Value value,
                                           std::string error_text, std::size_t line) {
  auto it = pending_.find(process);
  if (it == pending_.end()) {
    return error(line, "expected an :invoke before this completion: process " + std::to_string(process) +
                           " has no operation in flight");
  }
  Operation& op = history_.ops[it->second];
  if (op.f != f) {
    return error(line, "completion :" + f + " of process " + std::to_string(process) + " does not match its :invoke :" +
                           op.f + " on line " + std::to_string(op.line));
  }
  pending_.erase(it);
  const std::int64_t t = clock_++;
  op.output = std::move(value);
  op.error = std::move(error_text);
  switch (type) {
    case EventType::Ok: op.outcome = Outcome::Ok; op.ret = t; break;
    case EventType::Fail: op.outcome = Outcome::Fail; op.ret = t; break;
    case EventType::Info:
    case EventType::Invoke: op.outcome = Outcome::Info; op.ret = kNever; break;
  }
  return std::nullopt;
}

History EventPairer::finish() && { return std::move(history_); }

}  // namespace lincheck::detail
