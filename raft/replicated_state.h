// What every replica of a raft::Service holds: the embedder's state machine plus the
// exactly-once bookkeeping (raft::Dedup), applied and snapshotted together -- a snapshot
// that held the state machine without the dedup state would let a command re-proposed
// after it apply twice.
//
// A client command travels through the log as an envelope: (origin, seq) -- who waits for
// its result, and under which request number -- around the embedder's bytes. Format:
//   'C' 0x01 | varint origin | varint seq | payload (the rest)
// A service snapshot: "RSVC" 0x01 | u64 length of the dedup state | dedup state
// (raft/dedup.h) | the state machine's own snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "raft/dedup.h"
#include "raft/state_machine.h"
#include "raft/types.h"

namespace raft {

struct ClientCommand {
  NodeId origin;
  std::uint64_t seq = 0;
  std::string_view payload;  // points into the bytes it was decoded from
};

std::string encode_client_command(NodeId origin, std::uint64_t seq, std::string_view payload);
/// Nullopt if `bytes` is not an envelope in this format.
std::optional<ClientCommand> decode_client_command(std::string_view bytes);
/// Bytes the envelope adds around a payload (at most): for the entry-size check up front.
inline constexpr std::size_t kClientCommandOverhead = 2 + 10 + 10;

class ReplicatedState {
 public:
  /// `machine` must outlive this object.
  ReplicatedState(StateMachine& machine, std::size_t dedup_window)
      : machine_(machine), dedup_(dedup_window) {}

  /// Applies `c` unless (origin, seq) was applied before; returns its result, or nullopt
  /// for a duplicate.
  std::optional<std::string> apply(const ClientCommand& c);

  [[nodiscard]] std::string snapshot() const;
  /// Replaces the state machine and the dedup state with those in `data`. Returns an error
  /// message (and changes nothing it can avoid changing) when `data` cannot be read.
  [[nodiscard]] std::string restore(std::string_view data);

  /// The state machine's own snapshot inside a service snapshot, without decoding the
  /// dedup state (the simulator checks every stored snapshot's content with it). Nullopt,
  /// with `error` set, if `data` is not a service snapshot this build reads.
  static std::optional<std::string_view> machine_part(std::string_view data, std::string& error);

  [[nodiscard]] StateMachine& machine() { return machine_; }
  [[nodiscard]] const StateMachine& machine() const { return machine_; }
  [[nodiscard]] const Dedup& dedup() const { return dedup_; }

 private:
  StateMachine& machine_;
  Dedup dedup_;
};

}  // namespace raft
