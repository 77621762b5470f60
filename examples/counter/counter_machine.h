// A replicated counter: the whole state machine of examples/counter, small enough to copy
// as the start of your own (docs/embedding.md).
//
// Commands are text: "add N" adds N (may be negative) and returns the new value. Queries:
// "get" returns the value. The snapshot is a version byte and the value; restore refuses
// anything else. Deterministic: the same commands in the same order give the same value on
// every replica -- the one thing raft::StateMachine requires of you.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "raft/state_machine.h"

namespace counter {

class CounterMachine final : public raft::StateMachine {
 public:
  /// Runs on the runtime's core thread only: no locking needed.
  std::string apply(std::string_view command) override {
    std::int64_t n = 0;
    if (!parse_add(command, n)) return "error: expected 'add N'";  // replicated, but harmless
    value_ += n;
    return std::to_string(value_);
  }

  [[nodiscard]] std::string query(std::string_view q) const override {
    if (q != "get") return "error: expected 'get'";
    return std::to_string(value_);
  }

  [[nodiscard]] std::string snapshot() const override { return "c1 " + std::to_string(value_); }

  [[nodiscard]] std::string restore(std::string_view data) override {
    std::int64_t v = 0;
    if (!data.starts_with("c1 ") || !parse_int(data.substr(3), v)) return "not a counter snapshot (version c1)";
    value_ = v;
    return {};
  }

  [[nodiscard]] std::int64_t value() const { return value_; }

  static bool parse_add(std::string_view command, std::int64_t& n) {
    return command.starts_with("add ") && parse_int(command.substr(4), n);
  }

 private:
  static bool parse_int(std::string_view s, std::int64_t& out) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
  }

  std::int64_t value_ = 0;
};

}  // namespace counter
