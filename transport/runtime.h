// raftkv::Runtime: a Raft node you embed -- the core, a clock, storage and the TCP transport,
// driven for you (the role of etcd's raft.Node or hashicorp/raft's Raft object). You supply
// a state machine (raft::StateMachine: apply, query, snapshot, restore) and get:
//   propose(command) -> its result once committed and applied (any node: a follower
//                       forwards to the leader),
//   read(query)      -> a linearizable read (ReadIndex, thesis §6.4: no log write),
//   status()         -> role, term, leader, commit and applied index,
// plus notifications on leadership changes and applied entries.
//
// The routing, retries and deduplication are raft::Service's (the same code the Maelstrom
// node and the simulator run); the runtime only gives it threads, time and sockets.
//
// Threading model:
//  - the core thread owns the Service (and with it raft::Raft, the storage and your state
//    machine). Everything that touches them runs there, one event at a time: peer messages,
//    client requests, ticks (every `tick`, from a steady clock), and the Ready handling
//    (send, persist, apply). Your StateMachine is therefore only ever called from this one
//    thread, and needs no locking of its own;
//  - the transport's I/O thread (transport::TcpTransport) reads and writes sockets, and
//    decodes peer frames before queueing them for the core thread;
//  - any thread may call propose/read/status/stop. Callbacks (the propose/read `done`, the
//    observers) run on the core thread: keep them short -- complete a promise, post to your
//    own executor -- and never call back into the runtime's blocking API from them.
//
// Persisting and sending overlap (thesis §10.2.1): a Ready's AppendEntries are handed to
// the I/O thread before the core thread writes the same entries to its own log, so the
// followers receive and persist them while the leader syncs. The leader counts its own log
// towards a commit only once its write is durable (Raft::advance after LogStorage::persist,
// raft/replication.cc maybe_commit uses last_stable_index), so acknowledging early is
// never possible. Acknowledgements that arrive during the leader's sync wait in the core
// thread's queue and are stepped right after it: the sync itself still runs on the core
// thread (raft::Service persists inside its Ready loop). The core now allows ready() before
// the previous advance() (docs/raft-core.md, "Persisting on another thread"); moving the
// persist to a storage thread, so the core keeps stepping during the sync, is the next step.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "raft/expected.h"
#include "raft/raft.h"
#include "raft/service.h"
#include "raft/state_machine.h"
#include "transport/tcp_transport.h"

namespace raftkv {

/// How a request ended: raft::Outcome (kOk with the state machine's result; kUnavailable
/// and kTooLarge: it did not happen; kUnknown: it may have).
using Outcome = raft::Outcome;

/// What the embedder configures. Defaults suit a LAN or localhost.
struct RuntimeConfig {
  raft::NodeId id;
  /// Every node's address, this node included: its entry is the address it listens on.
  /// The address book is fixed; a node a membership change will add must be listed.
  std::map<raft::NodeId, transport::Endpoint> peers;
  /// The bootstrap configuration (thesis §4.1): these nodes are the voters of a new
  /// cluster. Empty: every peer. A node not listed starts as a non-member with an empty
  /// configuration and waits -- never campaigning -- until a member adds it
  /// (change_configuration); it then gets the log or a snapshot from the leader.
  std::vector<raft::NodeId> voters;
  /// Empty: the log lives in memory (lost when the process ends). Otherwise the write-ahead
  /// log (raft::Wal) in `data_dir`/<id>/: the node survives kill -9 and restarts.
  std::string data_dir;
  /// The core's clock: one tick every `tick`; elections and heartbeats count ticks.
  std::chrono::milliseconds tick{10};
  int election_ticks = 30;   // T: a follower waits a random [T, 2T) before campaigning
  int heartbeat_ticks = 5;
  /// A request waits this long for a leader to be known before failing as unavailable.
  std::chrono::milliseconds leader_wait{2000};
  /// After this a request is no longer tracked: writes get `unknown`, reads `unavailable`.
  std::chrono::milliseconds request_timeout{5000};
  /// Snapshot the state machine and compact the log every this many applied entries
  /// (§7). 0: never.
  std::uint64_t snapshot_entries = 10000;
  /// Largest command accepted (larger ones fail with too_large).
  std::size_t max_command_bytes = 1 << 20;
  transport::TcpOptions tcp;

  /// Observers, called on the core thread (see the file comment).
  std::function<void(raft::NodeId leader, raft::Term term)> on_leader_change;
  std::function<void(const raft::Entry& entry)> on_applied;
};

/// A point-in-time view of the node, safe to read from any thread.
struct RuntimeStatus {
  raft::NodeId id;
  raft::Role role = raft::Role::kFollower;
  raft::Term term;
  raft::NodeId leader;
  raft::Index commit;
  raft::Index applied;
  std::size_t pending_requests = 0;
  /// The configuration in effect (the latest in the log, §4.1), the index of its entry and
  /// whether that entry is committed.
  raft::ConfState configuration;
  raft::Index configuration_index;
  bool configuration_committed = false;
};

/// How an administrative request ended (change_configuration, transfer_leadership).
struct AdminOutcome {
  enum class Status : std::uint8_t {
    kOk,       // the change committed (or the transfer began)
    kRefused,  // definite: it did not happen; `refusal` says why (not leader, pending...)
    kUnknown,  // indefinite: appended but not seen committed in time
  };
  Status status = Status::kUnknown;
  raft::AdminError refusal;  // kRefused
  raft::Index index;         // a change's configuration entry
  std::string error;         // a sentence, unless kOk
  [[nodiscard]] bool ok() const { return status == Status::kOk; }

  static AdminOutcome done_at(raft::Index index);
  static AdminOutcome refused(raft::AdminError refusal, std::string error, raft::Index index = {});
  static AdminOutcome unknown(raft::Index index, std::string error);
};

class Runtime {
 public:
  using Done = std::function<void(const Outcome&)>;

  /// Opens the storage, restores `machine` from its snapshot, binds the peer port and
  /// starts the threads. `machine` must outlive the runtime. Fails with a message when the
  /// data directory cannot be opened (locked, damaged) or the port cannot be bound.
  static raft::Expected<std::unique_ptr<Runtime>, std::string> start(RuntimeConfig config,
                                                                     raft::StateMachine& machine);
  ~Runtime();  // stop()
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  /// Replicates `command`; `done` gets the state machine's result once it is applied, or
  /// why not (kUnavailable and kTooLarge mean it did not happen; kUnknown means it may
  /// have).
  void propose(std::string command, Done done);
  std::future<Outcome> propose(std::string command);
  /// Runs `query` against the state machine once it is linearizable to do so.
  void read(std::string query, Done done);
  std::future<Outcome> read(std::string query);

  /// Membership change (thesis chapter 4) on the leader: answered once its configuration
  /// entry commits (a joint change's C_old,new; the leader then appends C_new itself).
  /// Refused at once on a follower (with the leader it knows), while another change is
  /// pending, or for a node without an address in `peers`.
  std::future<AdminOutcome> change_configuration(raft::ConfChangeRequest request);
  /// Leadership transfer (§3.10) from the leader to voter `to`: answered once begun; the
  /// target then campaigns at once (watch status().leader).
  std::future<AdminOutcome> transfer_leadership(raft::NodeId to);

  [[nodiscard]] RuntimeStatus status() const;
  [[nodiscard]] transport::TcpStats transport_stats() const;
  /// The peer port actually bound (useful when the configured port was 0).
  [[nodiscard]] std::uint16_t peer_port() const;

  /// Drops every peer connection and refuses new ones while on (partition tests).
  void isolate(bool isolated);

  /// Stops the threads; requests still pending get `unknown` (writes) or `unavailable`.
  /// Idempotent.
  void stop();

 private:
  class Impl;
  explicit Runtime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace raftkv
