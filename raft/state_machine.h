// The one state-machine interface: what an embedder implements so that any host -- the
// Maelstrom node, the TCP runtime, the simulator -- can replicate it through raft::Service
// (raft/service.h). kv::StateMachine is one implementation of it.
//
// Snapshottable is what compaction asks of it (paper §7, thesis §5.1): it must be able to
// write down its whole state and to come back from it.
//
// The core itself never calls these (it does no I/O and holds no state machine); the
// embedder does, following the Ready contract (docs/raft-core.md, "Snapshots"):
//  - take:    right after applying a Ready's committed entries, snapshot() describes the
//             state as of Raft::snapshot_meta().index; hand both to LogStorage::compact.
//  - restore: when a Ready carries a snapshot, restore() from its data after persisting
//             it (LogStorage::apply_snapshot) and before applying the Ready's committed
//             entries; and at start-up from Storage::snapshot(), before the first Ready.
// Requirements, because every replica must reach the same state from the same log:
//  - deterministic: equal states give equal bytes (no hash-map iteration order, no
//    addresses, no clocks), so replicas and restarts agree byte for byte;
//  - complete: everything applying depends on is in it -- in kv also the deduplication
//    state, or a command re-proposed after a snapshot would apply twice;
//  - versioned: restore() refuses a format it does not know with a clear error and leaves
//    the state unchanged.
#pragma once

#include <string>
#include <string_view>

namespace raft {

class Snapshottable {
 public:
  virtual ~Snapshottable() = default;
  /// The whole state, as bytes.
  [[nodiscard]] virtual std::string snapshot() const = 0;
  /// Replaces the whole state with the one `data` describes. Returns an error message
  /// (and changes nothing) if `data` is not a snapshot this version can read.
  [[nodiscard]] virtual std::string restore(std::string_view data) = 0;
};

/// A replicated state machine. Commands and queries are opaque bytes: the embedder chooses
/// their encoding (kv uses a compact binary one, kv/command.h).
///
/// Requirements, because every replica applies the same commands in the same order:
///  - apply() is deterministic: its result and the state it leaves depend only on the
///    state before and the command (no clocks, no randomness, no I/O);
///  - apply() never throws for a command it does not understand: it returns an error
///    result (a command in the log is applied by every replica forever);
///  - query() does not change the state.
/// The service applies each command once (it deduplicates retried proposals by the
/// client's request number, and keeps that bookkeeping in its own part of the snapshot).
class StateMachine : public Snapshottable {
 public:
  /// Applies one committed command and returns its result, which goes back to the client
  /// that proposed it.
  virtual std::string apply(std::string_view command) = 0;
  /// Answers a read-only query from the current state. The service calls it only once this
  /// replica has applied every command committed before the read began (ReadIndex, thesis
  /// §6.4), so the answer is linearizable.
  [[nodiscard]] virtual std::string query(std::string_view query) const = 0;
};

}  // namespace raft
