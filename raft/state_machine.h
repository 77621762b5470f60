// What the core asks of an embedder's state machine once logs are compacted (paper §7,
// thesis §5.1): it must be able to write down its whole state and to come back from it.
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

}  // namespace raft
