// The Raft core: a deterministic state machine that the caller drives.
//
// Raft here does no I/O and reads no clock. The caller feeds it
//   tick()            every tick interval (the only notion of time),
//   step(message)     for every message from a peer,
//   propose(data)     to replicate a command (leader only),
//   read_index(ctx)   to start a linearizable read (§6.4 of the thesis),
// and, whenever has_ready(), takes a Ready batch, carries it out in this order, then
// calls advance(ready):
//   1. persist ready.hard_state (if set) and append ready.entries to storage;
//   2. send ready.messages (these may also be sent before step 1);
//   3. send ready.messages_after_persist (only now: they promise what step 1 persisted);
//   4. apply ready.committed_entries to the state machine, in order;
//   5. serve ready.read_states (now applied >= each one's index);
//      fail ready.dropped_reads (they will never be served; the caller may retry).
// ready() may be called again before advance(): an I/O thread may persist Readies while
// the core keeps stepping, as long as they are carried out and advance()d in the order
// taken (docs/raft-core.md, "Persisting on another thread").
// See docs/raft-core.md for the full contract.
//
// Snapshots (§7): the caller compacts its storage (LogStorage::compact) with a snapshot of
// its state machine made right after applying, using snapshot_meta() for the metadata.
// A follower that needs compacted entries receives the leader's snapshot in chunks; once
// whole and newer than its commit index it comes out in Ready::snapshot, to persist
// (LogStorage::apply_snapshot) before the Ready's entries and to restore the state
// machine from before applying the Ready's committed entries.
//
// Membership (thesis chapter 4): propose_conf_change() appends a configuration entry; a
// configuration takes effect on every node as soon as it is in its log (committed or not),
// and a change of more than one voter goes through joint consensus. Ready::conf_state
// reports the configuration in effect whenever it changes. See raft/configuration.h.
//
// Roles live in a std::variant: leader-only state (per-follower progress, pending reads)
// does not exist while the node is a follower or candidate, so it cannot be used stale.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "raft/config.h"
#include "raft/configuration.h"
#include "raft/entry.h"
#include "raft/expected.h"
#include "raft/log.h"
#include "raft/message.h"
#include "raft/progress.h"
#include "raft/quorum.h"
#include "raft/read_only.h"
#include "raft/storage.h"
#include "raft/types.h"

namespace raft {

enum class Role { kFollower, kPreCandidate, kCandidate, kLeader };
const char* role_name(Role r);

/// Volatile state worth telling the caller about when it changes.
struct SoftState {
  Role role = Role::kFollower;
  NodeId leader = kNoNode;
  friend bool operator==(const SoftState&, const SoftState&) = default;
};

/// A read that is now safe to serve: the state machine has applied `index` (counting the
/// committed_entries of the same Ready), and leadership was confirmed after the read began.
struct ReadState {
  std::string context;
  Index index;
};

struct Ready {
  std::optional<SoftState> soft_state;      // set when role or leader changed
  std::optional<HardState> hard_state;      // set when term, vote or commit changed
  std::optional<ConfState> conf_state;      // set when the configuration in effect changed
  std::optional<Snapshot> snapshot;         // received: persist first, restore before applying
  std::vector<Entry> entries;               // append to storage (may overwrite a suffix)
  std::vector<Message> messages;            // may leave at once
  std::vector<Message> messages_after_persist;  // vote grants, append/heartbeat acks...
  std::vector<Entry> committed_entries;     // apply in order, after persisting
  std::vector<ReadState> read_states;       // serve after applying committed_entries
  std::vector<std::string> dropped_reads;   // contexts of reads that will never be served

  [[nodiscard]] bool empty() const;
};

/// Where a successful proposal landed. It is committed only if an entry at `index` with
/// `term` shows up in committed_entries; another entry at that index means it was lost.
struct Proposal {
  Index index;
  Term term;
};

/// Why the core refused a request. `leader` is the leader this node knows, if any.
/// `too_large`: this node leads, but the proposed entry is over Config::max_entry_bytes.
/// `transferring_to`: this node leads but is handing leadership to that node (§3.10: it
/// takes no proposals meanwhile); retry shortly, most likely at that node.
struct NotLeader {
  NodeId leader = kNoNode;
  bool too_large = false;
  NodeId transferring_to = kNoNode;
  [[nodiscard]] std::string message() const;
};

class Raft {
 public:
  /// Starts as a follower from the storage's hard state and log. `storage` must outlive
  /// the Raft object; the caller writes to it, Raft only reads.
  Raft(Config config, const Storage& storage);

  // ---- inputs ----------------------------------------------------------------------
  void tick();
  void step(const Message& m);
  /// Appends `data` to the leader's log. The append to followers goes out in the next
  /// Ready, batched with every other proposal made before it.
  Expected<Proposal, NotLeader> propose(std::string data);
  /// Starts a ReadIndex read. The context comes back in a later Ready's read_states (or
  /// dropped_reads). Fails at once only when no leader is known.
  Expected<std::monostate, NotLeader> read_index(std::string context);
  /// Starts an election now (tests; an embedder's "campaign now"). Does nothing on a
  /// leader (it already leads) or on a node that is not a voter.
  void campaign();

  // ---- administration (thesis chapter 4, §3.10) -------------------------------------
  /// Appends a configuration change to the leader's log. It takes effect at once (on each
  /// node when appended); a change of several voters becomes a joint configuration, which
  /// the leader leaves on its own (appending C_new) once it commits. Committed like any
  /// entry: watch for (index, term) in committed_entries, as with propose().
  Expected<Proposal, AdminError> propose_conf_change(const ConfChangeRequest& request);
  /// Leadership transfer (§3.10): stop taking proposals, bring `to` up to date, then tell
  /// it to campaign at once (TimeoutNow). Abandoned after an election timeout without a
  /// new leader. Succeeds at once (doing nothing) if `to` is this node.
  Expected<std::monostate, AdminError> transfer_leadership(NodeId to);

  /// Batching with a bound (the host decides the bound): while held, a leader keeps new
  /// entries and confirmation rounds for the next Ready after release, so one
  /// AppendEntries per follower carries everything proposed meanwhile and confirms every
  /// read registered meanwhile. Heartbeat ticks, answers and elections are unaffected.
  /// Once a host has held them, each release asks only a quorum's worth of followers to
  /// answer (lazy_followers).
  void hold_broadcasts(bool hold) {
    hold_broadcasts_ = hold;
    batching_ = batching_ || hold;
  }

  // ---- output ----------------------------------------------------------------------
  [[nodiscard]] bool has_ready() const;
  Ready ready();
  /// The caller finished carrying out `ready` (persisted, sent, applied).
  void advance(const Ready& ready);

  // ---- observers (tests, invariant checks, the service) ----------------------------
  [[nodiscard]] NodeId id() const { return config_.id; }
  [[nodiscard]] Term term() const { return term_; }
  [[nodiscard]] NodeId vote() const { return vote_; }
  [[nodiscard]] NodeId leader() const { return leader_; }
  [[nodiscard]] Role role() const;
  [[nodiscard]] bool is_leader() const { return role() == Role::kLeader; }
  [[nodiscard]] const RaftLog& log() const { return log_; }
  /// The quorum rules in effect (both halves while joint).
  [[nodiscard]] const JointConfig& voters() const { return voters_; }
  /// The configuration in effect (the latest in the log) and the index of its entry (0 or
  /// a snapshot's index when it is the bootstrap or the snapshot's configuration).
  [[nodiscard]] const ConfState& configuration() const { return conf_; }
  [[nodiscard]] Index configuration_index() const { return conf_index_; }
  /// The node leadership is being transferred to (kNoNode if none, or not leader).
  [[nodiscard]] NodeId transfer_target() const;
  /// A follower's progress as this leader sees it; nullptr unless leader.
  [[nodiscard]] const Progress* progress(NodeId peer) const;
  [[nodiscard]] const Config& config() const { return config_; }

  /// Metadata for a snapshot of the state machine as it is now, after applying every
  /// committed entry handed out so far: the applied index, its term and the configuration
  /// as of that index. Pass
  /// it with the state machine's bytes to LogStorage::compact.
  [[nodiscard]] SnapshotMeta snapshot_meta() const;

 private:
  struct Follower {};
  /// Pre-vote round (§9.6): still at the old term, asking whether it could win.
  struct PreCandidate {
    std::unordered_map<NodeId, bool> votes;
  };
  struct Candidate {
    std::unordered_map<NodeId, bool> votes;
  };
  struct Leader {
    std::unordered_map<NodeId, Progress> progress;  // every member (learners too) but this node
    ReadOnly reads;
    /// Reads that arrived before this leader committed an entry of its own term: until
    /// then it does not know the true commit index (§6.4 step 1, §8).
    std::vector<PendingRead> reads_awaiting_commit;
    int election_elapsed_at_last_check = 0;
    /// Leadership transfer under way (§3.10): its target, and ticks since it began.
    NodeId transfer_target = kNoNode;
    int transfer_elapsed = 0;
    /// Progress kept for nodes the latest configuration removes, until it commits.
    bool prune_pending = false;
    /// Lease reads count only rounds from this one on: a configuration change or a
    /// leadership transfer (whose TimeoutNow voters obey despite their lease) voids the
    /// lease earned before it.
    std::uint64_t lease_min_round = 1;
    /// Counts answers from followers (Progress::heard orders them by recency).
    std::uint64_t answers = 0;
    /// The round opened by the last heartbeat tick: reads from before it are overdue...
    std::uint64_t heartbeat_round = 0;
    /// ...if their round was sent by then: the newest round when the leader last released
    /// its messages (a batching leader holds read rounds until then, hold_broadcasts).
    std::uint64_t released_round = 0;
    /// Batches released (broadcast_append while batching): whose turn it is to answer.
    std::uint64_t batches = 0;
  };
  /// A follower's half-received snapshot: chunks append in order, from one leader term.
  struct SnapshotReceiver {
    NodeId from;
    Term term;
    SnapshotMeta meta;
    std::string data;
  };
  using RoleState = std::variant<Follower, PreCandidate, Candidate, Leader>;

  // election.cc: timers, campaigns, votes (§5.2, §5.4.1, §9.6, §6.2 check-quorum)
  void tick_election();
  void tick_heartbeat();
  void become_follower(Term term, NodeId leader);
  void become_pre_candidate();
  void become_candidate();
  void become_leader();
  void start_pre_vote();
  /// `transfer`: asked for by the leader's TimeoutNow, so voters ignore their lease (§3.10).
  void start_election(bool transfer = false);
  void handle_vote_request(const Message& m);
  void handle_vote_response(const Message& m);
  void tally_votes(std::unordered_map<NodeId, bool>& votes, bool pre_vote);
  [[nodiscard]] bool in_leader_lease() const;
  /// May campaign: a voter of the configuration in effect -- or of the last committed one
  /// while a newer configuration that drops it is not known to be committed (see
  /// membership.cc: otherwise a cluster can be left with no node able to win).
  [[nodiscard]] bool is_promotable() const;
  void reset_election_timer();
  void reset_term(Term term);

  // replication.cc: AppendEntries both ways, commitment (§5.3, §5.4.2)
  void handle_append_request(const Message& m);
  void handle_heartbeat_request(const Message& m);
  void handle_append_response(Leader& leader, const Message& m);
  void handle_heartbeat_response(Leader& leader, const Message& m);
  bool maybe_send_append(Leader& leader, NodeId to, bool send_if_empty, bool want_answer = true);
  std::vector<NodeId> lazy_followers(Leader& leader);
  /// `batch`: a batching leader's release (see lazy_followers).
  void broadcast_append(Leader& leader, bool batch = false);
  /// The heartbeat tick: a heartbeat to every follower that heard nothing from us since
  /// the last one (or to all, while reads wait for confirmation).
  void broadcast_heartbeat(Leader& leader);
  void send_heartbeat(Leader& leader, NodeId to);
  bool heartbeat_needs_answer(const Leader& leader, const Progress& pr) const;
  void drop_queued_heartbeat(NodeId to, bool append_answered);
  /// A follower answered (any answer at our term): recency, check-quorum, read rounds.
  Progress& note_answer(Leader& leader, NodeId from, std::uint64_t round);
  /// Follower: the current leader says `commit` is committed; commit as far as our log
  /// is known to match its log (leader_match_).
  void learn_commit(Index commit);
  bool maybe_commit(Leader& leader);
  [[nodiscard]] bool committed_in_current_term() const;

  // snapshot.cc: InstallSnapshot both ways (§7, thesis §5.2)
  bool maybe_send_snapshot(NodeId to, Progress& pr);
  void handle_snapshot_request(const Message& m);
  void handle_snapshot_response(Leader& leader, const Message& m);
  void install_snapshot(const Message& m, Snapshot snap);
  void follow(NodeId leader);  // a leader of our term spoke: concede, reset the timer

  // membership.cc: configurations in the log (thesis chapter 4)
  void load_configuration(const Storage& storage);
  /// Makes the configuration the log says is in effect the one in use: quorum rules,
  /// and on a leader the set of followers it replicates to.
  void apply_configuration();
  void sync_progress(Leader& leader);
  Proposal append_configuration(ConfState next);
  /// A leader's commit index advanced: leave a committed joint configuration, or step down
  /// once a configuration without this node as voter is committed (§4.2.2, §4.3).
  void on_leader_commit(Leader& leader);
  /// A follower's log from entries.front() on is `entries`, and ends at log_.last_index().
  void on_follower_append(const std::vector<Entry>& entries);
  void on_snapshot_restored(const SnapshotMeta& meta);

  // leadership_transfer.cc (§3.10)
  void handle_timeout_now(const Message& m);
  void maybe_send_timeout_now(Leader& leader, NodeId to);
  /// A leader's tick: abandons a transfer that took an election timeout.
  void tick_transfer(Leader& leader);

  // read_index.cc: ReadIndex (§6.4)
  void handle_read_index_request(const Message& m);
  void handle_read_index_response(const Message& m);
  void leader_read(Leader& leader, PendingRead read);
  [[nodiscard]] bool lease_valid(const Leader& leader) const;
  void send_read_round(Leader& leader);
  void confirm_round(Leader& leader, NodeId from, std::uint64_t seq);
  void release_read(const PendingRead& read);
  void drop_leader_reads(Leader& leader);
  void collect_read_states(Ready& rd);

  // raft.cc: plumbing
  bool step_term(const Message& m);  // §5.1 term rules; false = drop the message
  /// Queues a message; `term` overrides our term (pre-vote requests and grants).
  void send(NodeId to, MessageBody body, std::optional<Term> term = std::nullopt);
  /// Queues a message that may leave before the Ready is persisted, whatever its type.
  void send_unpromised(NodeId to, MessageBody body);
  void enqueue(std::vector<Message>& out, NodeId to, MessageBody body, std::optional<Term> term);
  [[nodiscard]] HardState hard_state() const;
  [[nodiscard]] SoftState soft_state() const;
  Leader* leader_state() { return std::get_if<Leader>(&role_); }

  Config config_;
  std::shared_ptr<spdlog::logger> logger_;
  RaftLog log_;
  ConfigLog conf_log_;  // every configuration in the log, and the one before it
  ConfState conf_;      // the configuration in effect
  Index conf_index_;    // the index of its entry
  JointConfig voters_;  // its quorum rules
  std::mt19937_64 rng_;

  Term term_;
  NodeId vote_ = kNoNode;
  NodeId leader_ = kNoNode;
  RoleState role_ = Follower{};

  std::uint64_t now_ = 0;  // ticks since start: the leader lease's clock
  int election_elapsed_ = 0;
  int heartbeat_elapsed_ = 0;
  /// Follower, within the current term: the last index known to match the leader's log
  /// (entries it sent us this term, or committed ones), and the highest commit index it
  /// reported. We commit min of the two: commit news may come apart from the entries.
  Index leader_match_;
  Index leader_commit_;
  int randomized_election_timeout_ = 0;

  // Outputs accumulated until the next ready().
  std::vector<Message> msgs_;
  std::vector<Message> msgs_after_persist_;
  std::vector<ReadState> reads_awaiting_apply_;
  std::vector<std::string> dropped_reads_;
  bool broadcast_pending_ = false;  // proposals appended, followers not yet sent them
  bool read_round_pending_ = false;  // reads registered, heartbeat round not yet sent
  bool hold_broadcasts_ = false;     // see hold_broadcasts()
  bool batching_ = false;            // hold_broadcasts(true) was called: releases are batches
  Index released_index_;             // the leader's last index when it last released them
  HardState prev_hard_;
  SoftState prev_soft_;
  ConfState prev_conf_;
  std::optional<SnapshotReceiver> receiving_;
};

}  // namespace raft
