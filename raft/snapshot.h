// A snapshot: the state machine's state as of one log index, which replaces the log up to
// that index (paper §7, thesis chapter 5).
//
// The core never looks inside `data`: the embedder's state machine writes it
// (StateMachine::snapshot in kv) and reads it back (restore). The metadata is what Raft
// itself needs to keep working without the entries the snapshot replaced: the index and
// term of the last entry it covers (so AppendEntries' consistency check still works at the
// first index after it, §7) and the voter configuration as of that index (thesis §5.1:
// "the latest configuration as of the last included index").
#pragma once

#include <vector>

#include "raft/bytes.h"
#include "raft/types.h"

namespace raft {

struct SnapshotMeta {
  /// Last included index and term. Index 0 means "no snapshot".
  Index index;
  Term term;
  /// The configuration as of `index` (thesis §5.1: "the latest configuration as of the
  /// last included index"): the voters (C_new while joint), the outgoing voters (C_old,
  /// only while joint) and the learners. All three empty means "no configuration".
  std::vector<NodeId> voters;
  std::vector<NodeId> voters_outgoing{};
  std::vector<NodeId> learners{};
  friend bool operator==(const SnapshotMeta&, const SnapshotMeta&) = default;
};

struct Snapshot {
  SnapshotMeta meta;
  Bytes data;  // opaque to Raft: the state machine's encoding
  [[nodiscard]] bool empty() const { return meta.index.value() == 0; }
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

}  // namespace raft
