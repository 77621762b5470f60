// The lin-kv service: client requests in, Raft underneath, answers out. Transport-free:
// the Maelstrom node (examples/raft-kv) and the cluster simulator drive the very same code,
// each supplying a Host that moves peer messages and delivers answers.
//
// Routing (any node accepts any request):
//  - write / cas: the leader proposes the command; a follower forwards it to the leader it
//    knows. The command carries its origin, and the origin answers its client when it
//    applies the entry -- so an answer always reflects the committed, applied outcome.
//  - read: ReadIndex (§6.4) on the node the client asked; a follower gets the read index
//    from the leader and serves from its own state machine once applied that far. No
//    log write.
//  - no leader known: the request waits up to leader_wait_ticks for one, then fails with
//    11 (temporarily unavailable) -- only if it was never handed to any leader.
//
// The rule this file protects: a definite error means "did not and will not happen". A
// write or cas that reached a leader may still commit, so it never gets a definite error:
// it is answered with its applied outcome, or with the indefinite 0 (timeout) when the
// service stops tracking it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "kv/command.h"
#include "kv/state_machine.h"
#include "raft/raft.h"

namespace kv {

/// The host's name for one client request awaiting its answer.
using ClientHandle = std::uint64_t;

/// A follower hands a write or cas to the leader.
struct ForwardRequest {
  raft::NodeId origin;
  std::uint64_t seq = 0;
  Operation op;
};

/// The node asked was not the leader and did not propose the request.
struct ForwardRejected {
  std::uint64_t seq = 0;
  raft::NodeId leader;  // who it thinks leads, if anyone
};

using PeerMessage = std::variant<raft::Message, ForwardRequest, ForwardRejected>;

/// What the service needs from its environment.
class Host {
 public:
  virtual ~Host() = default;
  /// Deliver to another node of the cluster (best effort: may be lost, delayed, reordered).
  virtual void send(raft::NodeId to, PeerMessage message) = 0;
  /// The answer for a client request (called once per handle).
  virtual void respond(ClientHandle client, const Result& result) = 0;
  /// Observation hooks (the simulator's checks, metrics): an entry is being applied, at
  /// this node's current `term` (an upper bound on the term it was committed in); the
  /// state machine was restored from a snapshot received from the leader.
  virtual void applied(const raft::Entry& entry, raft::Term term) {
    (void)entry;
    (void)term;
  }
  virtual void restored(const raft::SnapshotMeta& meta) { (void)meta; }
};

struct ServiceConfig {
  raft::Config raft;
  /// Distinguishes this run of the node from earlier ones on the same storage, so request
  /// numbers never collide with commands already in the log (e.g. a restart counter).
  std::uint64_t incarnation = 0;
  /// Ticks a request waits for a leader to be known before failing with 11.
  int leader_wait_ticks = 20;
  /// Ticks after which a request is no longer tracked (its client has long given up):
  /// reads then fail with 11, writes get the indefinite 0.
  int request_timeout_ticks = 200;
  /// A read not served within this many ticks asks for a read index again (the request
  /// or the answer may have been lost); the wait doubles with each try, up to 16 times this.
  int read_retry_ticks = 5;
  /// Log compaction (§7): every this many applied entries, snapshot the state machine,
  /// and compact the storage with the snapshot taken the time before -- so the log keeps
  /// at least this many entries and a follower that far behind still gets entries, not
  /// the snapshot. 0: never.
  std::uint64_t snapshot_entries = 0;
  /// Request numbers remembered per node for deduplication (kv::Dedup). Must be equal on
  /// every node: it decides which late duplicates are dropped.
  std::size_t dedup_window = Dedup::kDefaultWindow;
  /// A write or cas not applied within this many ticks of being handed to a leader is
  /// handed again (the forward or the entry may have been lost). Safe: (origin, seq)
  /// makes a command that lands twice apply once. About an election timeout: by then a
  /// lost leader has been replaced.
  int write_retry_ticks = 20;
  /// After a forward is rejected, the request waits 1, 2, 4, ... up to this many ticks
  /// before it is forwarded again, so stale leader views cannot bounce it at network speed.
  int max_forward_backoff_ticks = 16;
};

class Service {
 public:
  /// `storage` holds what survives a crash and must outlive the service. The state
  /// machine starts from the storage's snapshot; throws std::runtime_error if that
  /// snapshot cannot be read (a format from a newer version, or a bug).
  Service(ServiceConfig config, raft::LogStorage& storage, Host& host);

  void handle_client(ClientHandle client, Operation op);
  void handle_peer(raft::NodeId from, const PeerMessage& message);
  void tick();

  [[nodiscard]] const raft::Raft& raft() const { return raft_; }
  [[nodiscard]] const StateMachine& state() const { return state_; }
  [[nodiscard]] std::size_t pending_requests() const { return requests_.size(); }

 private:
  struct Request {
    ClientHandle client = 0;
    Operation op;
    std::uint64_t deadline = 0;     // tick at which we stop tracking it
    std::uint64_t wait_until = 0;   // while no leader: tick at which it fails with 11
    std::uint64_t retry_at = 0;     // tick at which to ask (reads) or hand over (writes) again
    bool handed_to_leader = false;  // writes: proposed or forwarded at least once
    bool waiting = false;           // queued until a leader is known
    // Writes whose forward was rejected: not forwarded again before this tick, nor to
    // the node that rejected it while a different leader is suggested.
    std::uint64_t forward_not_before = 0;
    int rejections = 0;
    int read_tries = 0;  // reads: read indexes asked for so far
    raft::NodeId rejected_by;
    raft::NodeId suggested_leader;
  };

  void route(std::uint64_t seq);
  void route_write(std::uint64_t seq, Request& r);
  void route_read(std::uint64_t seq, Request& r);
  void wait_for_leader(std::uint64_t seq, Request& r);
  void route_waiting();
  void handle_forward(const ForwardRequest& f);
  void handle_rejection(raft::NodeId from, const ForwardRejected& rej);
  [[nodiscard]] raft::NodeId forward_target(const Request& r) const;
  void retry_due(std::uint64_t seq, Request& r);
  void note_lost_proposal(const raft::Entry& e);
  void process_ready();
  void apply(const raft::Entry& e);
  void restore(const raft::Snapshot& snap);
  void answer_covered_writes();
  void maybe_compact();
  void serve_read(const std::string& context);
  void finish(std::uint64_t seq, const Result& result);
  void expire_requests();
  [[nodiscard]] std::uint64_t seq_for_context(const std::string& context) const;

  ServiceConfig config_;
  raft::LogStorage& storage_;
  Host& host_;
  raft::Raft raft_;
  StateMachine state_;
  /// The snapshot taken at the last compaction point, waiting for the next one to be
  /// applied to the storage (see ServiceConfig::snapshot_entries).
  std::optional<raft::Snapshot> next_compaction_;

  std::uint64_t now_ = 0;  // ticks since start
  std::uint64_t next_seq_;
  std::map<std::uint64_t, Request> requests_;  // by seq, writes and reads
  std::deque<std::uint64_t> waiting_;          // seqs waiting for a leader
  /// Our own proposals by log index, with the term they were proposed in: a different
  /// entry committed at that index means the proposal was lost (overwritten after a
  /// leader change, §5.3), and the write is handed over again at once.
  std::map<std::uint64_t, std::pair<raft::Term, std::uint64_t>> proposals_;
  // Commands applied so far, by (origin, seq), live in the state machine (Dedup): they
  // are part of its snapshot, bounded, and identical on every replica.
};

}  // namespace kv
