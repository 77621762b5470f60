// Exactly-once application of client commands (thesis §6.3): a command may reach the log
// twice -- a forward retried after a lost answer, a write handed again to a new leader --
// and must take effect once. Every command carries (origin, seq): the node that took the
// client request and that node's request number.
//
// Memory stays bounded: per origin it keeps `floor` (every number at or below it counts as
// done) and the applied numbers above it, each with its result; past `window` of those, the
// lowest becomes the new floor. A command numbered below the floor that was never applied
// is then dropped: a proposal delayed behind `window` newer ones of its origin. Its client
// gets the indefinite "unknown" outcome, which allows either. Deterministic: it depends
// on the applied commands alone, so every replica drops the same ones -- it is part of the
// replicated state and of every snapshot (raft::Service writes it in front of the state
// machine's own snapshot).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace raft {

class Dedup {
 public:
  /// More than one node originates over a request's lifetime at Maelstrom's rates: ~850
  /// writes in 5 s at 1,000 ops/s over 3 nodes. Part of the replicated state machine's
  /// semantics: every replica must use the same window.
  static constexpr std::size_t kDefaultWindow = 1024;
  explicit Dedup(std::size_t window = kDefaultWindow) : window_(window) {}
  [[nodiscard]] std::size_t window() const { return window_; }

  /// True (and recorded) if (origin, seq) was not applied before.
  bool first_time(std::uint64_t origin, std::uint64_t seq);
  /// Records the result of (origin, seq), after first_time.
  void set_result(std::uint64_t origin, std::uint64_t seq, std::string result);

  /// What a lookup found.
  enum class Seen {
    kNo,       // not applied (yet)
    kApplied,  // applied; the result is remembered
    kSettled,  // at or below the floor: applied, or dropped for good; the result is gone
  };
  /// Whether (origin, seq) was applied, and its result if still remembered: lets an origin
  /// whose log was replaced by a snapshot answer the requests that snapshot covers.
  [[nodiscard]] Seen lookup(std::uint64_t origin, std::uint64_t seq,
                            std::string* result = nullptr) const;
  /// Numbers remembered over all origins (the bound: window() per origin).
  [[nodiscard]] std::size_t size() const;

  /// Format (integers little-endian): u64 origin count; per origin, ascending: u64 origin,
  /// u64 floor, u32 count; per number ascending: varint gap from the previous one (the
  /// first from the floor), varint result length, result bytes.
  void encode(std::string& out) const;
  /// Reads what encode wrote from the front of `in`, and consumes it. On failure returns
  /// false and changes nothing.
  bool decode(std::string_view& in);

  friend bool operator==(const Dedup& a, const Dedup& b) = default;

 private:
  struct Window {
    std::uint64_t floor = 0;
    // (seq, result), ascending. A deque, not a map: numbers arrive almost in order
    // (appends), leave from the front, and are encoded in order every snapshot.
    std::deque<std::pair<std::uint64_t, std::string>> above;
    friend bool operator==(const Window& a, const Window& b) = default;
  };
  using Above = std::deque<std::pair<std::uint64_t, std::string>>;
  static Above::const_iterator find(const Above& above, std::uint64_t seq);
  /// The window of `origin`, created empty if it has none.
  Window& window_of(std::uint64_t origin);
  [[nodiscard]] const Window* find_window(std::uint64_t origin) const;

  std::size_t window_;
  // By origin, ascending. A sorted vector, not a map: there are as many origins as nodes
  // that ever took a client request, and this is looked up on every applied command.
  std::vector<std::pair<std::uint64_t, Window>> origins_;
};

}  // namespace raft
