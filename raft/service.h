// A replicated service: client requests in, Raft underneath, answers out -- for any
// raft::StateMachine. Transport-free and single-threaded: the Maelstrom node
// (examples/raft-kv), the TCP runtime and the cluster simulator drive this very code, each
// supplying a ServiceHost that moves peer messages and delivers answers.
//
// Routing (any node accepts any request):
//  - propose: the leader appends the command; a follower forwards it to the leader it
//    knows. The command carries its origin; the leader sends the origin the result when
//    it applies the entry (ForwardAnswer), and the origin answers its client then or when
//    it applies the entry itself, whichever comes first -- so an answer always reflects
//    the committed, applied result.
//  - batching: with ServiceConfig::max_batch_delay_ticks > 0, the leader holds its
//    proposals and read rounds and releases them together every that many ticks: one
//    AppendEntries per follower carries them all. A follower holds its requests until its
//    next tick (or its next message to the leader, below), then forwards the commands in
//    one message and asks one read index for all reads. Between begin_batch() and
//    end_batch() requests are held the same way.
//  - bundling: what one step sends to one peer leaves as one PeerBundle. With batching, a
//    follower's requests (forwards, read-index requests) ride with its answer to a leader
//    message that arrives before its next tick. (They wait no longer: the leader releases
//    on its own clock, and a request held past it waits a whole delay more there. Answers
//    do not wait at all: holding them for the leader's next batch cost more latency than
//    it saved messages -- docs/message-economy.md.)
//  - read: ReadIndex (thesis §6.4) on the node the client asked; a follower gets the read
//    index from the leader and answers from its own state machine once applied that far.
//    No log write.
//  - no leader known: the request waits up to leader_wait_ticks for one, then fails as
//    unavailable -- only if it was never handed to any leader.
//
// The rule this file protects: a definite failure means "did not and will not happen". A
// command that reached a leader may still commit, so it never gets a definite failure: it
// is answered with its applied result, or with the indefinite kUnknown when the service
// stops tracking it. Retried proposals apply once (raft/dedup.h, thesis §6.3).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "raft/raft.h"
#include "raft/replicated_state.h"
#include "raft/state_machine.h"
#include "raft/storage.h"

namespace raft {

/// The host's name for one client request awaiting its answer.
using ClientHandle = std::uint64_t;

/// One command a follower hands to the leader: the envelope's parts but the origin.
struct ForwardedCommand {
  std::uint64_t seq = 0;
  std::string command;
};

/// A follower hands commands to the leader, as many as it held (one message for a batch).
struct ForwardRequest {
  NodeId origin;
  std::vector<ForwardedCommand> commands;
};

/// The node asked was not the leader and proposed none of these forwarded commands.
struct ForwardRejected {
  std::vector<std::uint64_t> seqs;
  NodeId leader;  // who it thinks leads, if anyone
};

/// The leader applied commands another node forwarded: their results, so the origin can
/// answer its clients without waiting to learn the commit index itself.
struct ForwardAnswer {
  struct Result {
    std::uint64_t seq = 0;
    std::string result;
  };
  std::vector<Result> results;
};

struct PeerBundle;

using PeerMessage = std::variant<Message, ForwardRequest, ForwardRejected, ForwardAnswer, PeerBundle>;

/// Several messages for one peer, sent as one: everything a step of the service produced
/// for that peer (see ServiceConfig::max_batch_delay_ticks for what waits for company).
/// Never nested.
struct PeerBundle {
  std::vector<PeerMessage> messages;
};

/// How a client request ended.
struct Outcome {
  enum class Status : std::uint8_t {
    kOk,           // `result` is the state machine's answer (apply or query)
    kUnavailable,  // definite: it did not and will not happen (no leader in time)
    kTooLarge,     // definite: the command is over Config::max_entry_bytes; never proposed
    kUnknown,      // indefinite: it reached a leader and may or may not have been applied
  };
  Status status = Status::kUnknown;
  std::string result;  // kOk only
  std::string error;   // a sentence for the others

  [[nodiscard]] bool ok() const { return status == Status::kOk; }
  /// True when the request surely did not take effect.
  [[nodiscard]] bool definite_failure() const {
    return status == Status::kUnavailable || status == Status::kTooLarge;
  }
};

/// What the service needs from its environment.
class ServiceHost {
 public:
  virtual ~ServiceHost() = default;
  /// Deliver to another node of the cluster (best effort: may be lost, delayed, reordered).
  virtual void send(NodeId to, PeerMessage message) = 0;
  /// The answer for a client request (called once per handle).
  virtual void respond(ClientHandle client, const Outcome& outcome) = 0;
  /// Observation hooks (the simulator's checks, metrics): an entry is being applied, at
  /// this node's current `term` (an upper bound on the term it was committed in); the
  /// state machine was restored from a snapshot received from the leader.
  virtual void applied(const Entry& entry, Term term) {
    (void)entry;
    (void)term;
  }
  virtual void restored(const SnapshotMeta& meta) { (void)meta; }
};

struct ServiceConfig {
  Config raft;
  /// Distinguishes this run of the node from earlier ones on the same storage, so request
  /// numbers never collide with commands already in the log (e.g. a restart counter).
  std::uint64_t incarnation = 0;
  /// Ticks a request waits for a leader to be known before failing as unavailable.
  int leader_wait_ticks = 20;
  /// Ticks after which a request is no longer tracked (its client has long given up):
  /// reads then fail as unavailable, commands get the indefinite kUnknown.
  int request_timeout_ticks = 200;
  /// A read not answered within this many ticks asks for a read index again (the request
  /// or the answer may have been lost); the wait doubles with each try, up to 16 times this.
  int read_retry_ticks = 5;
  /// Log compaction (§7): every this many applied entries, snapshot the state machine,
  /// and compact the storage with the snapshot taken the time before -- so the log keeps
  /// at least this many entries and a follower that far behind still gets entries, not
  /// the snapshot. 0: never.
  std::uint64_t snapshot_entries = 0;
  /// Request numbers remembered per node for deduplication (raft::Dedup). Must be equal on
  /// every node: it decides which late duplicates are dropped.
  std::size_t dedup_window = Dedup::kDefaultWindow;
  /// A command not applied within this many ticks of being handed to a leader is handed
  /// again (the forward or the entry may have been lost). Safe: (origin, seq) makes a
  /// command that lands twice apply once. About an election timeout: by then a lost
  /// leader has been replaced.
  int write_retry_ticks = 20;
  /// After a forward is rejected, the request waits 1, 2, 4, ... up to this many ticks
  /// before it is forwarded again, so stale leader views cannot bounce it at network speed.
  int max_forward_backoff_ticks = 16;
  /// Batching with a bound: the leader releases its batch every this many ticks, so an
  /// entry or read round waits at most that long there; a follower holds requests until
  /// its next tick at most. One message then carries many. 0: routed at once.
  int max_batch_delay_ticks = 0;
};

class Service {
 public:
  /// `storage` holds what survives a crash; it, `machine` and `host` must outlive the
  /// service. The state machine starts from the storage's snapshot; throws
  /// std::runtime_error if that snapshot cannot be read (a newer format, or a bug).
  Service(ServiceConfig config, LogStorage& storage, StateMachine& machine, ServiceHost& host);

  // ---- inputs ----------------------------------------------------------------------
  /// A command for the state machine; answered with its result once applied.
  void propose(ClientHandle client, std::string command);
  /// A read-only query; answered linearizably.
  void read(ClientHandle client, std::string query);
  void handle_peer(NodeId from, const PeerMessage& message);
  void tick();
  /// Administration (thesis chapter 4, §3.10), passed to the core (raft/raft.h) on the
  /// leader; the resulting Ready is carried out at once. No forwarding: a follower answers
  /// kNotLeader with the leader it knows, and the embedder decides where to ask. A
  /// configuration entry never reaches the state machine (apply() skips non-normal entries).
  Expected<Proposal, AdminError> propose_conf_change(const ConfChangeRequest& request);
  Expected<std::monostate, AdminError> transfer_leadership(NodeId to);
  /// Between begin_batch() and end_batch() inputs only accumulate in the core; end_batch()
  /// carries out one Ready for all of them. A host that takes many inputs at once (the TCP
  /// runtime drains a queue) then sends one AppendEntries per follower and writes its log
  /// once (group commit) instead of once per input. Nestable.
  void begin_batch() { ++batch_depth_; }
  void end_batch();

  // ---- observers -------------------------------------------------------------------
  [[nodiscard]] const Raft& raft() const { return raft_; }
  [[nodiscard]] const ReplicatedState& state() const { return state_; }
  [[nodiscard]] std::size_t pending_requests() const { return requests_.size(); }
  /// The request number the next client request gets (the simulator finds commands in the
  /// log by it).
  [[nodiscard]] std::uint64_t next_seq() const { return next_seq_; }

 private:
  struct Request {
    ClientHandle client = 0;
    bool is_read = false;
    std::string payload;            // the command or the query
    std::uint64_t deadline = 0;     // tick at which we stop tracking it
    std::uint64_t wait_until = 0;   // while no leader: tick at which it fails as unavailable
    std::uint64_t retry_at = 0;     // tick at which to ask (reads) or hand over (commands) again
    bool handed_to_leader = false;  // commands: proposed or forwarded at least once
    bool waiting = false;           // queued until a leader is known
    // Commands whose forward was rejected: not forwarded again before this tick, nor to
    // the node that rejected it while a different leader is suggested.
    std::uint64_t forward_not_before = 0;
    int rejections = 0;
    int read_tries = 0;  // reads: read indexes asked for so far
    NodeId rejected_by;
    NodeId suggested_leader;
  };

  void accept(ClientHandle client, bool is_read, std::string payload);
  void route(std::uint64_t seq);
  /// Routes the held requests together (see ServiceConfig::max_batch_delay_ticks).
  void flush_held();
  void route_write(std::uint64_t seq, Request& r);
  /// Asks for one read index for all of `seqs`.
  void route_reads(const std::vector<std::uint64_t>& seqs);
  void send_forwards();
  void send_answers();
  /// Every message leaves through here: queued per peer, sent by flush_outbox().
  void post(NodeId to, PeerMessage message);
  /// Sends what the outbox holds, one bundle per peer; with batching, a follower's requests
  /// wait for a Raft message to the leader or for the end of the batch.
  void flush_outbox(bool end_of_batch);
  void handle_answer(const ForwardAnswer& a);
  void wait_for_leader(std::uint64_t seq, Request& r);
  void route_waiting();
  void handle_forward(const ForwardRequest& f);
  void handle_rejection(NodeId from, const ForwardRejected& rej);
  void reject_one(NodeId from, std::uint64_t seq, NodeId leader);
  [[nodiscard]] NodeId forward_target(const Request& r) const;
  void retry_due(std::uint64_t seq, Request& r);
  void note_lost_proposal(const Entry& e);
  void process_ready();
  void apply(const Entry& e);
  void restore(const Snapshot& snap);
  void answer_covered_writes();
  void maybe_compact();
  void serve_read(const std::string& context);
  void retry_reads(const std::string& context);
  void reask_reads();
  void finish(std::uint64_t seq, Outcome outcome);
  void expire_requests();
  [[nodiscard]] static std::uint64_t seq_for_context(const std::string& context);

  ServiceConfig config_;
  LogStorage& storage_;
  ServiceHost& host_;
  Raft raft_;
  ReplicatedState state_;
  /// The snapshot taken at the last compaction point, waiting for the next one to be
  /// applied to the storage (see ServiceConfig::snapshot_entries).
  std::optional<Snapshot> next_compaction_;

  int batch_depth_ = 0;    // begin_batch() nesting; Ready handling waits while > 0
  std::uint64_t now_ = 0;  // ticks since start
  std::uint64_t next_seq_;
  std::map<std::uint64_t, Request> requests_;  // by seq, commands and reads
  std::deque<std::uint64_t> waiting_;          // seqs waiting for a leader
  std::vector<std::uint64_t> held_;            // seqs held for the next batch
  /// Reads that share one read index, by the context they asked with.
  std::map<std::uint64_t, std::vector<std::uint64_t>> read_groups_;
  std::uint64_t next_read_group_ = 1;
  /// Forwards to send at the end of this step, one message per leader.
  std::map<NodeId, std::vector<ForwardedCommand>> outgoing_forwards_;
  /// Leader: results for other origins, one message per origin per Ready.
  std::map<NodeId, std::vector<ForwardAnswer::Result>> outgoing_answers_;
  std::map<NodeId, std::vector<PeerMessage>> outbox_;
  Term reasked_term_;  // the term whose leader got our pending reads (reask_reads)
  /// Our own proposals by log index, with the term they were proposed in: a different
  /// entry committed at that index means the proposal was lost (overwritten after a
  /// leader change, §5.3), and the command is handed over again at once.
  std::map<std::uint64_t, std::pair<Term, std::uint64_t>> proposals_;
};

}  // namespace raft
