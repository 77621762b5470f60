// Test-only switches that plant known Raft bugs, so the simulator's properties can prove
// they catch them (a property that never fails proves nothing).
//
// The switches are honoured only by the `raft_planted_bugs` library, compiled from the
// same sources with RAFT_PLANTED_BUGS=1. The production `raft` library is compiled with
// RAFT_PLANTED_BUGS=0, where every check below is an `if constexpr (false)` and vanishes:
// setting a switch there has no effect. The struct itself is always declared so the
// headers (and so every type's layout) are identical in both builds.
#pragma once

namespace raft {

struct PlantedBugs {
  /// Commit an entry of an earlier term by counting replicas (the figure 8 bug, §5.4.2).
  bool commit_earlier_term_by_counting = false;
  /// Send vote grants at once, before the vote is persisted (a crash then forgets it and
  /// the node may vote twice in one term).
  bool vote_before_persist = false;
  /// Serve ReadIndex reads without the heartbeat round that confirms leadership (§6.4).
  bool read_without_quorum_check = false;
  /// On an AppendEntries whose entries all match, still truncate the log after them
  /// (drops entries a newer AppendEntries already added: §5.3 "if an existing entry
  /// conflicts" is the only reason to truncate).
  bool truncate_on_matching_append = false;
  /// Install a snapshot from the leader even when it is older than the commit index
  /// (§7: only a snapshot newer than what the follower committed may replace its log):
  /// commit and applied move back, and the state machine forgets applied writes.
  bool install_stale_snapshot = false;
  /// A leader's snapshot_meta() names its last persisted entry instead of the applied
  /// one, so the embedder compacts past entries that are not committed yet (§7: only
  /// committed entries may be compacted) and ships them in snapshots.
  bool compact_uncommitted = false;
  /// Write-ahead log (WalOptions::planted_bugs): return from persist before the write is
  /// synced -- it is synced only at the next persist -- so acknowledgements leave for data
  /// a crash can still lose.
  bool ack_before_sync = false;
  /// A configuration takes effect when it commits instead of when it is appended (thesis
  /// §4.1 requires the latter): nodes disagree about the quorum while a change is in flight.
  bool config_on_commit = false;
  /// Allow a single-server change before the leader committed an entry of its own term
  /// (the 2015 single-server bug, thesis §4.2 / raft-dev "bug in single-server changes").
  bool single_server_change_before_commit = false;
  /// Count learners towards the commit quorum as if they voted.
  bool learner_counts_in_quorum = false;
  /// Lease reads (§6.4.1) with a lease of twice the election timeout: a deposed leader
  /// keeps serving reads after the others elected a new leader and wrote.
  bool lease_longer_than_election_timeout = false;
  /// Lease reads without check-quorum: the constructor accepts the combination, and
  /// followers grant votes while the leader still trusts its lease.
  bool lease_without_check_quorum = false;
};

}  // namespace raft
