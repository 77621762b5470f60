// A replicated counter service: named counters that clients add to and read. The example
// state machine of docs/testing-your-service.md -- the whole of what an embedder writes to
// run a service on raft::Service, and to put it through the simulator (counter_test.cc).
//
// Commands and queries are short text, so that histories and timelines read as they are:
//   command "add <key> <n>"  -> the counter's new value, in decimal ("7")
//   query   "get <key>"      -> its value ("0" for a counter never added to)
// Anything else is answered "error: ..." (deterministically: every replica answers alike).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "raft/state_machine.h"

namespace counter {

/// A parsed request.
struct Request {
  enum class Kind : std::uint8_t { kAdd, kGet };
  Kind kind = Kind::kGet;
  std::string key;
  std::int64_t amount = 0;  // kAdd
};

/// Parses "add <key> <n>" or "get <key>"; nullopt for anything else.
std::optional<Request> parse(std::string_view text);
std::string encode(const Request& request);

class Counter : public raft::StateMachine {
 public:
  std::string apply(std::string_view command) override;
  [[nodiscard]] std::string query(std::string_view query) const override;
  [[nodiscard]] std::string snapshot() const override;
  [[nodiscard]] std::string restore(std::string_view data) override;

 protected:
  std::map<std::string, std::int64_t, std::less<>> counters_;  // ordered: deterministic snapshots
};

/// The deliberately broken variant the docs hunt down: its restore() adds the snapshot's
/// counts to the counters it already holds instead of replacing them. Every test that
/// restores into a fresh counter passes -- a restarted node, the simulator's round trip
/// of every snapshot -- but a follower that lagged behind the leader's compacted log and
/// catches up through InstallSnapshot counts its old state twice.
class MergingCounter final : public Counter {
 public:
  [[nodiscard]] std::string restore(std::string_view data) override;
};

}  // namespace counter
