// The messages Raft nodes exchange. Pure data: the transport decides the wire encoding.
//
// Every message carries the sender's term (§5.1: "if one server's current term is smaller
// than the other's, it updates its current term"). The body is a variant, so a handler can
// only read the fields its message type has.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "raft/entry.h"
#include "raft/snapshot.h"
#include "raft/types.h"

namespace raft {

/// RequestVote (§5.2) and its pre-vote twin (thesis §9.6). A pre-vote carries the term the
/// candidate *would* use (current + 1) without the candidate having moved to it.
struct VoteRequest {
  bool pre_vote = false;
  Index last_log_index;
  Term last_log_term;
  /// The election follows the leader's TimeoutNow (leadership transfer, thesis §3.10):
  /// voters grant it despite having heard from that leader within the election timeout.
  bool transfer = false;
};

struct VoteResponse {
  bool pre_vote = false;
  bool granted = false;
};

/// AppendEntries (§5.3). Also used empty, to probe a follower's log. `read_seq` is the
/// newest confirmation round the leader had opened when it sent this (§6.4, as in
/// HeartbeatRequest): an append answered by a quorum confirms leadership like a heartbeat.
///
/// `want_answer` false: a batching leader that needs only a quorum's answers to commit and
/// confirm reads asks the other followers to accept silently (Raft::lazy_followers); a
/// later answer acknowledges everything up to it. Rejections are always answered.
struct AppendRequest {
  Index prev_log_index;
  Term prev_log_term;
  std::vector<Entry> entries;
  Index leader_commit;
  std::uint64_t read_seq = 0;
  bool want_answer = true;
};

/// Reply to AppendEntries. On success `index` is the last index the follower now holds in
/// agreement with the leader. On rejection `index` echoes the rejected prev_log_index, and
/// (hint_index, hint_term) is the follower's last entry at or below it whose term is at most
/// prev_log_term: the leader can skip every index above the hint at once (fast backtracking,
/// §5.3 "the follower can include the term of the conflicting entry").
struct AppendResponse {
  bool success = false;
  Index index;
  Index hint_index;
  Term hint_term;
  std::uint64_t read_seq = 0;  // echoes the request's, rejections too
};

/// Leader heartbeat. Carries `commit` = min(leader commit, follower's match) so a follower
/// never commits past what it is known to hold, and `read_seq`, the newest ReadIndex round
/// the leader wants confirmed (§6.4). A heartbeat resets the follower's election timer
/// whether or not it is answered; `want_answer` is false when the leader has no use for an
/// answer (no read to confirm, no lease to renew, the follower already counted for
/// check-quorum in this election timeout, its log known to be complete): the follower then
/// stays silent, which halves an idle cluster's traffic. `leader_commit` is the leader's
/// whole commit index: the follower commits up to it as far as it knows its log matches
/// this leader's from appends of this term (a follower that took a batch silently has no
/// answered match at the leader, so `commit` alone would leave it behind).
struct HeartbeatRequest {
  Index commit;
  std::uint64_t read_seq = 0;
  bool want_answer = true;
  Index leader_commit{};
};

struct HeartbeatResponse {
  std::uint64_t read_seq = 0;
};

/// A follower asks the leader for a read index on behalf of its client (§6.4).
struct ReadIndexRequest {
  std::string context;
};

/// The leader's answer: serve the read once applied >= index. `ok` is false when the
/// leader could not serve it (it is no longer leader). The asking follower counts as one of
/// the confirming quorum (§6.4): receiving this in the leader's term proves it had voted in
/// no newer term when it did, so it serves the read only then. `index` is committed: the
/// follower may commit up to it, as far as its log is known to match the leader's.
struct ReadIndexResponse {
  std::string context;
  Index index;
  bool ok = false;
};

/// InstallSnapshot (paper §7, thesis §5.2), one chunk of it. The leader sends the
/// snapshot's bytes in order, `data` starting at byte `offset` of the whole; `done` marks
/// the last chunk. Every chunk repeats the metadata so a follower can tell chunks of
/// different snapshots apart (a leader may compact again mid-transfer and start over).
struct SnapshotRequest {
  SnapshotMeta meta;
  std::uint64_t offset = 0;
  Bytes data;
  bool done = false;
};

/// The follower's answer to a chunk. `next_offset` is the byte it wants next (it holds
/// every byte before it): the leader resends from there, which covers chunks lost,
/// duplicated or reordered on the way. Once installed (or found unnecessary: the follower
/// already had the snapshot's last entry or committed past it), `installed` is set and
/// `index` is the index up to which the follower's log now matches the leader's.
struct SnapshotResponse {
  Index snapshot_index;  // which snapshot this answers (its meta.index)
  std::uint64_t next_offset = 0;
  bool installed = false;
  Index index;
};

/// Leadership transfer (thesis §3.10): the leader tells a caught-up voter to start an
/// election now, skipping its election timeout and the pre-vote round.
struct TimeoutNow {};

using MessageBody = std::variant<VoteRequest, VoteResponse, AppendRequest, AppendResponse,
                                 HeartbeatRequest, HeartbeatResponse, ReadIndexRequest,
                                 ReadIndexResponse, SnapshotRequest, SnapshotResponse,
                                 TimeoutNow>;

struct Message {
  NodeId from;
  NodeId to;
  Term term;
  MessageBody body;
};

/// A short name of the body type, for logs and timelines ("AppendRequest", ...).
const char* message_type_name(const MessageBody& body);

}  // namespace raft
