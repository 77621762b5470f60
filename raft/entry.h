// Log entries and the state that must survive a crash.
#pragma once

#include <cstddef>
#include <string>

#include "raft/bytes.h"
#include "raft/types.h"

namespace raft {

enum class EntryType : std::uint8_t {
  /// A command for the replicated state machine; `data` is opaque to Raft.
  kNormal = 0,
  /// The empty entry a new leader appends to commit entries of earlier terms (§5.4.2, §8).
  kNoop = 1,
  /// Reserved: a membership change (joint consensus, learners). Not produced yet.
  kConfig = 2,
};

struct Entry {
  Term term;
  Index index;
  EntryType type = EntryType::kNormal;
  Bytes data;  // the command, opaque to Raft

  /// Bytes this entry counts for in message-size limits.
  [[nodiscard]] std::size_t size_bytes() const { return data.size() + 24; }
  friend bool operator==(const Entry&, const Entry&) = default;
};

/// Figure 2's "persistent state on all servers", minus the log: currentTerm, votedFor, and
/// (like etcd) the commit index, so a restarted node need not relearn it. Must be on stable
/// storage before any message that depends on it leaves the node (see Ready).
struct HardState {
  Term term;
  NodeId vote = kNoNode;
  Index commit;
  friend bool operator==(const HardState&, const HardState&) = default;
};

}  // namespace raft
