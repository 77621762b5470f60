// The lin-kv state machine: a map from JSON keys to JSON values, with read, write and
// compare-and-set, and Maelstrom's error codes. Deterministic: every replica that applies
// the same commands in the same order holds the same map and gives the same answers.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "raft/state_machine.h"

namespace kv {

using json = nlohmann::json;

/// Maelstrom's error codes that the service produces (see shared maelstrom-protocol.md).
enum class ErrorCode : int {
  kTimeout = 0,                 // indefinite
  kNotSupported = 10,           // definite
  kTemporarilyUnavailable = 11, // definite: the request was never proposed
  kMalformedRequest = 12,       // definite
  kCrash = 13,                  // indefinite
  kKeyDoesNotExist = 20,        // definite
  kPreconditionFailed = 22,     // definite
};

/// A client operation. Keys and values are opaque JSON (Maelstrom sends integers).
struct Operation {
  enum class Kind { kRead, kWrite, kCas, kDelete };  // delete: raft-kv serve's HTTP API only
  Kind kind = Kind::kRead;
  json key;
  json value;  // write: the new value
  json from;   // cas
  json to;     // cas

  static Operation read(json key) { return {Kind::kRead, std::move(key), {}, {}, {}}; }
  static Operation write(json key, json value) {
    return {Kind::kWrite, std::move(key), std::move(value), {}, {}};
  }
  static Operation cas(json key, json from, json to) {
    return {Kind::kCas, std::move(key), {}, std::move(from), std::move(to)};
  }
  static Operation del(json key) { return {Kind::kDelete, std::move(key), {}, {}, {}}; }
};

/// An operation's outcome: ok (with the value, for a read) or a Maelstrom error.
struct Result {
  bool ok = false;
  json value;  // read_ok's value; for a failed cas, the value found
  ErrorCode code = ErrorCode::kTimeout;
  std::string text;

  static Result success(json v = nullptr) { return Result{true, std::move(v), {}, {}}; }
  static Result error(ErrorCode c, std::string t) { return Result{false, nullptr, c, std::move(t)}; }
  /// A cas whose `from` did not match: `found` is the value the key holds.
  static Result precondition_failed(json found);
};

/// kv as a raft::StateMachine: commands are encoded writes and cas operations, queries
/// encoded reads, results encoded kv::Results (kv/command.h).
class StateMachine final : public raft::StateMachine {
 public:
  /// Applies a write or cas (a read is answered, changing nothing).
  Result apply(const Operation& op);
  /// Serves a read against the current state.
  [[nodiscard]] Result read(const json& key) const;
  [[nodiscard]] std::size_t size() const { return map_.size(); }
  /// A hash of the key-value contents that does not depend on their order (tests compare
  /// replicas and snapshots with it).
  [[nodiscard]] std::uint64_t fingerprint() const;

  // raft::StateMachine
  std::string apply(std::string_view command) override;
  [[nodiscard]] std::string query(std::string_view query) const override;
  /// Format (version 2, integers little-endian): "RKVSM" u8 version, u64 key count, per
  /// key in byte order of its JSON text: u32 length + key text, u32 length + value text.
  /// (Version 1 carried the deduplication state too; raft::Service keeps that now.)
  [[nodiscard]] std::string snapshot() const override;
  [[nodiscard]] std::string restore(std::string_view data) override;

 private:
  // Keyed by the key's canonical JSON text: nlohmann::json objects keep keys sorted, so
  // equal JSON values dump to equal strings.
  std::unordered_map<std::string, json> map_;
};

}  // namespace kv
