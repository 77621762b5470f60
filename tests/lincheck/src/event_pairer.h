// Turns the event form of a history (an invoke, then an ok/fail/info completion, per process;
// Jepsen and Maelstrom write this) into operations with call and return times. Times are the
// positions of the events in the file: only their order matters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "lincheck/history.h"
#include "lincheck/result.h"

namespace lincheck::detail {

enum class EventType : std::uint8_t { Invoke, Ok, Fail, Info };

// Maps "invoke", "ok", "fail", "info" to an EventType.
std::optional<EventType> event_type(std::string_view name);

class EventPairer {
 public:
  explicit EventPairer(std::string source, std::size_t expected_ops = 0) {
    history_.source = std::move(source);
    history_.ops.reserve(expected_ops);
  }

  std::optional<Error> invoke(std::int64_t process, std::string f, std::string key, Value input, std::size_t line);
  // `value` is the completion's value with any [key v] tuple already removed.
  std::optional<Error> complete(std::int64_t process, EventType type, const std::string& f, Value value,
                                std::string error_text, std::size_t line);
  // The key of the op `process` has in flight, if any (completions repeat their invoke's key).
  const std::string* pending_key(std::int64_t process) const;
  // Ops still pending at the end never returned: they become Outcome::Info.
  History finish() &&;

 private:
  Error error(std::size_t line, std::string message) const { return Error{history_.source, line, std::move(message)}; }

  History history_;
  std::unordered_map<std::int64_t, std::size_t> pending_;  // process → index in history_.ops
  std::int64_t clock_ = 0;
};

}  // namespace lincheck::detail
