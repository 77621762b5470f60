// The lin-kv state machine: a map from JSON keys to JSON values, with read, write and
// compare-and-set, and Maelstrom's error codes. Deterministic: every replica that applies
// the same commands in the same order holds the same map and gives the same answers.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
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
  enum class Kind { kRead, kWrite, kCas };
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
};

/// An operation's outcome: ok (with the value, for a read) or a Maelstrom error.
struct Result {
  bool ok = false;
  json value;  // read_ok's value
  ErrorCode code = ErrorCode::kTimeout;
  std::string text;

  static Result success(json v = nullptr) { return Result{true, std::move(v), {}, {}}; }
  static Result error(ErrorCode c, std::string t) { return Result{false, nullptr, c, std::move(t)}; }
};

/// Which commands were applied, per origin node, so a command proposed twice (a forward
/// retried or duplicated) takes effect once -- in bounded memory. Per origin it keeps
/// `floor` (every command numbered at or below it counts as done) and the applied numbers
/// above it, with their outcomes; past `window` of those, the lowest becomes the new
/// floor. A command numbered below the floor that was never applied is then dropped: a
/// proposal delayed behind `window` newer ones of its origin. Its client gets the
/// indefinite "timeout", which allows either outcome. Deterministic: it depends on the
/// applied commands alone, so every replica drops the same ones.
class Dedup {
 public:
  /// More than one node originates over a request's lifetime (request_timeout_ticks) at
  /// Maelstrom's rates: ~850 writes in 5 s at 1,000 ops/s over 3 nodes. Part of the
  /// replicated state machine's semantics: every replica must use the same window.
  static constexpr std::size_t kDefaultWindow = 1024;
  explicit Dedup(std::size_t window = kDefaultWindow) : window_(window) {}
  [[nodiscard]] std::size_t window() const { return window_; }
  /// True (and recorded) if (origin, seq) was not applied before.
  bool first_time(std::uint64_t origin, std::uint64_t seq);
  /// Records how (origin, seq) turned out (after first_time): 0 ok, else the error code.
  void set_outcome(std::uint64_t origin, std::uint64_t seq, ErrorCode code);
  /// How (origin, seq) turned out, if it was applied and is still remembered: lets an
  /// origin whose log was replaced by a snapshot answer requests the snapshot covers.
  /// nullopt: not applied yet -- or at or below the floor (then `settled` is set).
  [[nodiscard]] std::optional<Result> outcome(std::uint64_t origin, std::uint64_t seq,
                                              bool& settled) const;
  /// Numbers remembered over all origins (the bound: window() per origin).
  [[nodiscard]] std::size_t size() const;

  void encode(std::string& out) const;
  /// Appends nothing on failure; returns false.
  bool decode(std::string_view& in);

 private:
  struct Window {
    std::uint64_t floor = 0;
    // (seq, 0 ok or the error code), ascending. A deque, not a map: numbers arrive almost
    // in order (appends), leave from the front, and are encoded in order every snapshot.
    std::deque<std::pair<std::uint64_t, std::uint8_t>> above;
  };
  std::size_t window_;
  std::map<std::uint64_t, Window> origins_;
};

class StateMachine final : public raft::Snapshottable {
 public:
  explicit StateMachine(std::size_t dedup_window = Dedup::kDefaultWindow)
      : dedup_(dedup_window) {}
  /// Applies a write or cas. Reads never go through here (they use ReadIndex).
  Result apply(const Operation& op);
  /// Applies command (origin, seq) unless it was applied before (nullopt then).
  std::optional<Result> apply_once(std::uint64_t origin, std::uint64_t seq, const Operation& op);
  /// Serves a read against the current state.
  [[nodiscard]] Result read(const json& key) const;
  [[nodiscard]] std::size_t size() const { return map_.size(); }
  [[nodiscard]] const Dedup& dedup() const { return dedup_; }
  /// A hash of the key-value contents that does not depend on their order (tests compare
  /// replicas and snapshots with it).
  [[nodiscard]] std::uint64_t fingerprint() const;

  /// Format (version 1, integers little-endian): "RKVSM" u8 version, u64 key count, per
  /// key in byte order of its JSON text: u32 length + key text, u32 length + value text;
  /// then the dedup state: u64 origin count, per origin: u64 origin, u64 floor, u32 count,
  /// per number ascending: varint gap from the previous one (the first from the floor),
  /// u8 outcome (0 ok, else the error code).
  [[nodiscard]] std::string snapshot() const override;
  [[nodiscard]] std::string restore(std::string_view data) override;

 private:
  // Keyed by the key's canonical JSON text: nlohmann::json objects keep keys sorted, so
  // equal JSON values dump to equal strings.
  std::unordered_map<std::string, json> map_;
  Dedup dedup_;
};

}  // namespace kv
