// Plumbing of the Raft core: construction, the §5.1 term rules every message passes
// through, dispatch by message type, and the Ready / advance handshake.
#include "raft/raft.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "raft/fail_stop.h"
#include "raft/planted_bugs_compiled.h"

namespace raft {

namespace {

// The core logs role, term and leader changes, elections and unresponsive or lagging peers
// at info: a few lines per event, enough to explain a stall from stderr alone. Per-message
// detail is debug. So these lines show at a program's default level (warn, which governs
// its own logs) and below; a program asking for error or off silences them too.
spdlog::level::level_enum default_level() {
  const auto program = spdlog::default_logger()->level();
  if (program >= spdlog::level::err) return program;
  return std::min(program, spdlog::level::info);
}

std::shared_ptr<spdlog::logger> default_logger() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get("raft")) return existing;
    auto l = spdlog::stderr_logger_mt("raft");
    l->set_pattern("%H:%M:%S.%e %^%l%$ raft %v");
    l->set_level(default_level());
    return l;
  }();
  return logger;
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// C++20 deduces this for aggregates; clang 14 (the fuzzing build) still needs the guide.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

const char* role_name(Role r) {
  switch (r) {
    case Role::kFollower: return "follower";
    case Role::kPreCandidate: return "pre-candidate";
    case Role::kCandidate: return "candidate";
    case Role::kLeader: return "leader";
  }
  return "?";
}

const char* message_type_name(const MessageBody& body) {
  return std::visit(Overloaded{
                        [](const VoteRequest& v) { return v.pre_vote ? "PreVoteRequest" : "VoteRequest"; },
                        [](const VoteResponse& v) { return v.pre_vote ? "PreVoteResponse" : "VoteResponse"; },
                        [](const AppendRequest&) { return "AppendRequest"; },
                        [](const AppendResponse&) { return "AppendResponse"; },
                        [](const HeartbeatRequest&) { return "HeartbeatRequest"; },
                        [](const HeartbeatResponse&) { return "HeartbeatResponse"; },
                        [](const ReadIndexRequest&) { return "ReadIndexRequest"; },
                        [](const ReadIndexResponse&) { return "ReadIndexResponse"; },
                        [](const SnapshotRequest&) { return "SnapshotRequest"; },
                        [](const SnapshotResponse&) { return "SnapshotResponse"; },
                        [](const TimeoutNow&) { return "TimeoutNow"; },
                    },
                    body);
}

std::string NotLeader::message() const {
  if (too_large) return "the entry is larger than the limit (Config::max_entry_bytes)";
  if (!transferring_to.is_none()) {
    return "leadership is being transferred to node " + std::to_string(transferring_to.value()) +
           "; retry shortly";
  }
  if (leader.is_none()) return "not the leader; no leader is known";
  return "not the leader; the leader is node " + std::to_string(leader.value());
}

bool Ready::empty() const {
  return !soft_state && !hard_state && !conf_state && !snapshot && entries.empty() && messages.empty() &&
         messages_after_persist.empty() && committed_entries.empty() && read_states.empty() &&
         dropped_reads.empty();
}

Raft::Raft(Config config, const Storage& storage)
    : config_(std::move(config)),
      logger_(config_.logger ? config_.logger : default_logger()),
      log_(storage),
      rng_(config_.seed != 0 ? config_.seed : 0x9e3779b97f4a7c15ULL ^ config_.id.value()) {
  if (config_.id.is_none()) throw std::invalid_argument("raft::Config: id must not be 0");
  if (config_.heartbeat_tick <= 0 || config_.election_tick <= config_.heartbeat_tick) {
    throw std::invalid_argument("raft::Config: need 0 < heartbeat_tick < election_tick");
  }
  bool lease_needs_check_quorum = true;
  if constexpr (kPlantedBugsCompiled) {
    lease_needs_check_quorum = !config_.planted_bugs.lease_without_check_quorum;
  }
  if (config_.lease_read && !config_.check_quorum && lease_needs_check_quorum) {
    throw std::invalid_argument(
        "raft::Config: lease_read needs check_quorum (followers must refuse votes while they "
        "trust a leader, or a lease protects nothing)");
  }
  if (config_.lease_read && (config_.max_clock_drift < 0 || config_.max_clock_drift >= 1 ||
                             config_.lease_ticks() < 1)) {
    throw std::invalid_argument(
        "raft::Config: lease_read needs 0 <= max_clock_drift < 1 and an election_tick long "
        "enough for a lease of at least one tick");
  }
  if (config_.max_inflight_msgs == 0 || config_.max_entries_per_msg == 0 ||
      config_.max_entry_bytes == 0) {
    throw std::invalid_argument("raft::Config: flow-control limits must be positive");
  }
  if (!config_.voters.empty() &&
      std::find(config_.voters.begin(), config_.voters.end(), config_.id) == config_.voters.end()) {
    throw std::invalid_argument("raft::Config: id " + std::to_string(config_.id.value()) +
                                " is not among the voters (leave the voters empty for a "
                                "node that will be added to a running cluster)");
  }
  const HardState hs = storage.hard_state();
  if (hs.commit > storage.last_index()) {
    // The storage claims entries committed that it does not hold: it lost writes it had
    // acknowledged. Nothing it says can be trusted (etcd-raft panics here too).
    fail_stop("raft: stored commit index " + std::to_string(hs.commit.value()) +
              " is beyond the stored log's last index " +
              std::to_string(storage.last_index().value()));
  }
  term_ = hs.term;
  vote_ = hs.vote;
  prev_hard_ = hs;
  load_configuration(storage);
  prev_conf_ = conf_;
  reset_election_timer();
}

Role Raft::role() const {
  return std::visit(Overloaded{[](const Follower&) { return Role::kFollower; },
                               [](const PreCandidate&) { return Role::kPreCandidate; },
                               [](const Candidate&) { return Role::kCandidate; },
                               [](const Leader&) { return Role::kLeader; }},
                    role_);
}

const Progress* Raft::progress(NodeId peer) const {
  const Leader* l = std::get_if<Leader>(&role_);
  if (!l) return nullptr;
  auto it = l->progress.find(peer);
  return it == l->progress.end() ? nullptr : &it->second;
}

SnapshotMeta Raft::snapshot_meta() const {
  Index i = log_.applied();
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.compact_uncommitted && is_leader()) i = log_.last_stable_index();
  }
  const ConfState& c = conf_log_.at(i);
  return SnapshotMeta{i, log_.term_or_zero(i), c.voters, c.voters_outgoing, c.learners};
}

HardState Raft::hard_state() const { return HardState{term_, vote_, log_.committed()}; }
SoftState Raft::soft_state() const { return SoftState{role(), leader_}; }

void Raft::tick() {
  ++now_;
  if (leader_state()) {
    tick_heartbeat();
  } else {
    tick_election();
  }
}

Expected<Proposal, NotLeader> Raft::propose(std::string data) {
  const Leader* l = leader_state();
  if (!l) return Unexpected{NotLeader{leader_}};
  // §3.10: while handing leadership over, take no proposals (they would keep the target
  // from catching up, and would likely be lost in the hand-over anyway).
  if (!l->transfer_target.is_none()) return Unexpected{NotLeader{id(), false, l->transfer_target}};
  if (data.size() > config_.max_entry_bytes) return Unexpected{NotLeader{leader_, true}};
  const Index index = log_.append({Entry{term_, log_.last_index().next(), EntryType::kNormal,
                                         std::move(data)}});
  broadcast_pending_ = true;
  return Proposal{index, term_};
}

void Raft::step(const Message& m) {
  if (m.to != id()) {
    logger_->warn("{}: dropping a {} addressed to {}", id().value(),
                  message_type_name(m.body), m.to.value());
    return;
  }
  // Messages from non-members are not dropped: a node added to the cluster hears from a
  // leader its (empty or older) configuration does not list, and a voter of C_new may ask
  // for votes before we appended C_new (thesis §4.1). Their answers matter only if the
  // sender is a member (the quorum rules count members only).
  if (!step_term(m)) return;
  std::visit(
      Overloaded{
          [&](const VoteRequest&) { handle_vote_request(m); },
          [&](const VoteResponse&) { handle_vote_response(m); },
          [&](const AppendRequest&) { handle_append_request(m); },
          [&](const HeartbeatRequest&) { handle_heartbeat_request(m); },
          [&](const AppendResponse&) {
            if (Leader* l = leader_state()) handle_append_response(*l, m);
          },
          [&](const HeartbeatResponse&) {
            if (Leader* l = leader_state()) handle_heartbeat_response(*l, m);
          },
          [&](const ReadIndexRequest&) { handle_read_index_request(m); },
          [&](const ReadIndexResponse&) { handle_read_index_response(m); },
          [&](const SnapshotRequest&) { handle_snapshot_request(m); },
          [&](const SnapshotResponse&) {
            if (Leader* l = leader_state()) handle_snapshot_response(*l, m);
          },
          [&](const TimeoutNow&) { handle_timeout_now(m); },
      },
      m.body);
}

// §5.1: "Current terms are exchanged whenever servers communicate; if one server's current
// term is smaller than the other's, then it updates its current term to the larger value.
// If a candidate or leader discovers that its term is out of date, it immediately reverts
// to follower state. If a server receives a request with a stale term number, it rejects
// the request." Plus the two refinements of thesis §9.6 (pre-vote) and §6.2 (check-quorum).
bool Raft::step_term(const Message& m) {
  const auto* vote_req = std::get_if<VoteRequest>(&m.body);
  const auto* vote_resp = std::get_if<VoteResponse>(&m.body);
  const bool from_leader = std::holds_alternative<AppendRequest>(m.body) ||
                           std::holds_alternative<HeartbeatRequest>(m.body) ||
                           std::holds_alternative<SnapshotRequest>(m.body) ||
                           std::holds_alternative<TimeoutNow>(m.body);
  if (m.term > term_) {
    // A transfer's election was asked for by the leader itself (§3.10): no lease to defend.
    if (vote_req && !vote_req->transfer && in_leader_lease()) {
      // We heard from a live leader less than an election timeout ago: a node asking for
      // votes is disruptive (e.g. just back from a partition), not a sign of a dead leader.
      logger_->debug("{}: ignoring {} from {} at term {}: leader lease", id().value(),
                    message_type_name(m.body), m.from.value(), m.term.value());
      return false;
    }
    // A pre-vote asks about a term nobody moved to yet; a granted pre-vote answer carries
    // that future term. Neither means a real newer term exists.
    if (vote_req && vote_req->pre_vote) return true;
    if (vote_resp && vote_resp->pre_vote && vote_resp->granted) return true;
    logger_->info("{}: term {} -> {} on {} from {}", id().value(), term_.value(),
                  m.term.value(), message_type_name(m.body), m.from.value());
    become_follower(m.term, from_leader ? m.from : kNoNode);
    return true;
  }
  if (m.term < term_) {
    if (from_leader) {
      // A stale leader: tell it our term so it steps down (it may be cut off and unable
      // to learn it otherwise, which with check-quorum/pre-vote could stall the cluster).
      // The answer promises nothing about our log, so it need not wait for a sync.
      send_unpromised(m.from, AppendResponse{});
    } else if (vote_req) {
      send(m.from, VoteResponse{vote_req->pre_vote, false});
    }
    return false;  // Responses from older terms are ignored.
  }
  return true;
}

void Raft::send(NodeId to, MessageBody body, std::optional<Term> term) {
  // A message goes after persistence when it promises something about this node's term,
  // vote or log: the receiver will rely on it surviving a crash.
  bool after_persist = std::visit(
      Overloaded{[](const VoteRequest& v) { return !v.pre_vote; },
                 [&](const VoteResponse& v) {
                   if constexpr (kPlantedBugsCompiled) {
                     if (config_.planted_bugs.vote_before_persist) return false;
                   }
                   return !v.pre_vote && v.granted;
                 },
                 [](const AppendResponse&) { return true; },
                 // A heartbeat ack says "you are still my leader" as of now (check-quorum,
                 // ReadIndex confirmation, §6.4): nothing a crash could make untrue, so a
                 // read's confirmation round never waits for the disk.
                 [](const HeartbeatResponse&) { return false; },
                 // An installed snapshot promises it survives a crash; a chunk's receipt
                 // (kept in memory) promises nothing.
                 [](const SnapshotResponse& r) { return r.installed; },
                 [](const auto&) { return false; }},
      body);
  enqueue(after_persist ? msgs_after_persist_ : msgs_, to, std::move(body), term);
}

void Raft::send_unpromised(NodeId to, MessageBody body) {
  enqueue(msgs_, to, std::move(body), std::nullopt);
}

void Raft::enqueue(std::vector<Message>& out, NodeId to, MessageBody body,
                   std::optional<Term> term) {
  // ready() hands the vectors over whole; one message usually goes to every peer.
  if (out.capacity() == 0) out.reserve(conf_.voters.size() + conf_.learners.size());
  out.push_back(Message{id(), to, term.value_or(term_), std::move(body)});
}

bool Raft::has_ready() const {
  if (soft_state() != prev_soft_ || hard_state() != prev_hard_) return true;
  if (conf_ != prev_conf_) return true;
  if (kPlantedBugsCompiled && config_.planted_bugs.config_on_commit &&
      conf_log_.at(log_.committed()) != conf_) {
    return true;
  }
  if (log_.has_unstable_entries() || log_.has_entries_to_apply()) return true;
  if (log_.has_unhanded_snapshot()) return true;
  if (!msgs_.empty() || !msgs_after_persist_.empty() || !dropped_reads_.empty()) return true;
  if ((broadcast_pending_ || read_round_pending_) && !hold_broadcasts_) return true;
  for (const ReadState& r : reads_awaiting_apply_) {
    if (r.index <= log_.applied()) return true;
  }
  return false;
}

Ready Raft::ready() {
  if constexpr (kPlantedBugsCompiled) {
    // config_on_commit: a follower's configuration follows its commit index.
    if (config_.planted_bugs.config_on_commit) apply_configuration();
  }
  if (Leader* l = leader_state(); l && !hold_broadcasts_) {
    released_index_ = log_.last_index();
    // Proposals since the last Ready go out together (batching), and carry the round of
    // the reads registered since (read_index.cc), which then need no heartbeat of their own.
    if (broadcast_pending_) broadcast_append(*l, /*batch=*/true);
    if (read_round_pending_ && !l->reads.empty()) send_read_round(*l);
    l->released_round = l->reads.newest_round();
  }
  if (!hold_broadcasts_ || !leader_state()) {
    broadcast_pending_ = false;
    read_round_pending_ = false;
  }

  Ready rd;
  if (SoftState ss = soft_state(); ss != prev_soft_) rd.soft_state = prev_soft_ = ss;
  if (HardState hs = hard_state(); hs != prev_hard_) rd.hard_state = prev_hard_ = hs;
  if (conf_ != prev_conf_) rd.conf_state = prev_conf_ = conf_;
  rd.snapshot = log_.take_snapshot();
  rd.entries = log_.take_unstable_entries();
  if (log_.applied() < log_.first_index().prev()) {
    // Entries committed but not applied were compacted away: only the planted
    // compact_uncommitted bug gets here (the embedder compacts at the applied index).
    if (!kPlantedBugsCompiled) {
      fail_stop("raft: entries up to " + std::to_string(log_.first_index().prev().value()) +
                " were compacted before being applied (applied " +
                std::to_string(log_.applied().value()) + ")");
    }
    log_.planted_skip_applied_to(log_.first_index().prev());
  }
  rd.committed_entries = log_.take_committed_entries();
  collect_read_states(rd);
  rd.dropped_reads = std::move(dropped_reads_);
  dropped_reads_.clear();
  rd.messages = std::move(msgs_);
  msgs_.clear();
  rd.messages_after_persist = std::move(msgs_after_persist_);
  msgs_after_persist_.clear();
  return rd;
}

void Raft::advance(const Ready& rd) {
  if (rd.snapshot) log_.snapshot_stable(rd.snapshot->meta.index);
  // Configurations older than the one as of the applied index are no longer needed (a
  // snapshot is taken at most there, and no log is cut back below its commit index).
  conf_log_.compact_to(log_.applied());
  if (rd.entries.empty()) return;
  const Entry& last = rd.entries.back();
  log_.stable_to(last.index, last.term);
  // The leader counts itself towards a quorum only for entries on its own disk. A new
  // commit index travels with the next append or heartbeat (replication.cc).
  if (Leader* l = leader_state()) maybe_commit(*l);
}

}  // namespace raft
