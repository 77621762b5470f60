#include "raft/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "raft/fail_stop.h"
#include "raft/replicated_state.h"

namespace raft {

namespace {
Outcome failure(Outcome::Status status, std::string error) {
  return Outcome{status, {}, std::move(error)};
}
}  // namespace

Service::Service(ServiceConfig config, LogStorage& storage, StateMachine& machine,
                 ServiceHost& host)
    : config_(std::move(config)),
      storage_(storage),
      host_(host),
      raft_(config_.raft, storage),
      state_(machine, config_.dedup_window),
      next_seq_((config_.incarnation << 32) + 1) {
  raft_.hold_broadcasts(config_.max_batch_delay_ticks > 0);
  // Restart = snapshot + log tail (§7): the core resumes applying after the snapshot.
  if (const Snapshot snap = storage.snapshot(); !snap.empty()) {
    if (std::string error = state_.restore(snap.data.view()); !error.empty()) {
      throw std::runtime_error("service: cannot restore the snapshot at index " +
                               std::to_string(snap.meta.index.value()) + ": " + error);
    }
  }
}

void Service::propose(ClientHandle client, std::string command) {
  accept(client, /*is_read=*/false, std::move(command));
}

void Service::read(ClientHandle client, std::string query) {
  accept(client, /*is_read=*/true, std::move(query));
}

void Service::accept(ClientHandle client, bool is_read, std::string payload) {
  const std::uint64_t seq = next_seq_++;
  if (!is_read && payload.size() + kClientCommandOverhead > config_.raft.max_entry_bytes) {
    // Definite: refused before any leader saw it. (The core would refuse the entry too.)
    host_.respond(client, failure(Outcome::Status::kTooLarge,
                                  "the command is larger than the entry limit of " +
                                      std::to_string(config_.raft.max_entry_bytes) + " bytes"));
    return;
  }
  Request r;
  r.client = client;
  r.is_read = is_read;
  r.payload = std::move(payload);
  r.deadline = now_ + static_cast<std::uint64_t>(config_.request_timeout_ticks);
  r.retry_at = r.deadline;  // held: routed by flush_held, not by a retry
  requests_.emplace(seq, std::move(r));
  held_.push_back(seq);
  if (batch_depth_ == 0 && config_.max_batch_delay_ticks == 0) flush_held();
  process_ready();
}

void Service::flush_held() {
  if (held_.empty()) return;
  std::vector<std::uint64_t> seqs;
  seqs.swap(held_);
  std::vector<std::uint64_t> reads;
  for (std::uint64_t seq : seqs) {
    auto it = requests_.find(seq);
    if (it == requests_.end()) continue;
    if (it->second.is_read) {
      reads.push_back(seq);
    } else {
      route_write(seq, it->second);
    }
  }
  if (!reads.empty()) route_reads(reads);
}

void Service::handle_peer(NodeId from, const PeerMessage& message) {
  // Batching: a follower's held requests go out with its answer to the leader's message
  // (one bundle), rather than alone when their time is up.
  if (config_.max_batch_delay_ticks > 0 && !held_.empty() && from == raft_.leader() &&
      !raft_.is_leader() && std::holds_alternative<Message>(message)) {
    flush_held();
  }
  if (const auto* m = std::get_if<Message>(&message)) {
    raft_.step(*m);
  } else if (const auto* f = std::get_if<ForwardRequest>(&message)) {
    handle_forward(*f);
  } else if (const auto* rej = std::get_if<ForwardRejected>(&message)) {
    handle_rejection(from, *rej);
  } else if (const auto* a = std::get_if<ForwardAnswer>(&message)) {
    handle_answer(*a);
  } else if (const auto* b = std::get_if<PeerBundle>(&message)) {
    begin_batch();
    for (const PeerMessage& inner : b->messages) {
      if (!std::holds_alternative<PeerBundle>(inner)) handle_peer(from, inner);
    }
    end_batch();
  }
  process_ready();
  route_waiting();
}

void Service::tick() {
  ++now_;
  raft_.tick();
  // A leader closes its batch every max_batch_delay_ticks ticks: its entries and read
  // rounds, the requests it holds, the answers waiting for an append. A follower's held
  // requests leave with its next answer to the leader (handle_peer) or at its next tick:
  // the leader releases on its own clock, so a request a follower held any longer would
  // only risk missing the next release and waiting a whole delay more there.
  const auto delay = static_cast<std::uint64_t>(config_.max_batch_delay_ticks);
  if (delay > 0 && batch_depth_ == 0) {
    if (raft_.is_leader() ? now_ % delay == 0 : !held_.empty()) {
      flush_held();
      raft_.hold_broadcasts(false);
      process_ready();
      raft_.hold_broadcasts(true);
      flush_outbox(/*end_of_batch=*/true);
    } else if (!raft_.is_leader()) {
      flush_outbox(/*end_of_batch=*/true);  // nothing of a follower's waits past a tick
    }
  }
  process_ready();
  route_waiting();
  expire_requests();
  process_ready();
}

Expected<Proposal, AdminError> Service::propose_conf_change(const ConfChangeRequest& request) {
  auto result = raft_.propose_conf_change(request);
  process_ready();
  return result;
}

Expected<std::monostate, AdminError> Service::transfer_leadership(NodeId to) {
  auto result = raft_.transfer_leadership(to);
  process_ready();
  return result;
}

void Service::route(std::uint64_t seq) {
  Request& r = requests_.at(seq);
  if (r.is_read) {
    route_reads({seq});
  } else {
    route_write(seq, r);
  }
}

void Service::route_write(std::uint64_t seq, Request& r) {
  r.retry_at = now_ + static_cast<std::uint64_t>(config_.write_retry_ticks);
  if (raft_.is_leader()) {
    if (const auto p = raft_.propose(encode_client_command(raft_.id(), seq, r.payload))) {
      proposals_[p->index.value()] = {p->term, seq};
      r.handed_to_leader = true;
      return;
    }
  } else if (const NodeId to = forward_target(r); !to.is_none() && now_ >= r.forward_not_before) {
    // Sent with every other command for that leader routed in this step (send_forwards).
    outgoing_forwards_[to].push_back(ForwardedCommand{seq, r.payload});
    r.handed_to_leader = true;
    return;
  }
  wait_for_leader(seq, r);
}

// Where a follower forwards: the leader it knows -- unless that node has just rejected
// this request and the rejection named someone else, whose view is then the fresher one.
NodeId Service::forward_target(const Request& r) const {
  const NodeId known = raft_.leader();
  if (known == r.rejected_by && !r.suggested_leader.is_none() &&
      r.suggested_leader != r.rejected_by && r.suggested_leader != raft_.id()) {
    return r.suggested_leader;
  }
  return known;
}

// The node we forwarded to does not lead. Forwarding again at once, to the leader we still
// believe in, bounced writes at network speed for up to an election timeout; instead the
// request waits, backing off 1, 2, 4, ... ticks per rejection, and goes to the rejecting
// node's suggestion if it names another node.
void Service::handle_rejection(NodeId from, const ForwardRejected& rej) {
  for (std::uint64_t seq : rej.seqs) reject_one(from, seq, rej.leader);
}

void Service::reject_one(NodeId from, std::uint64_t seq, NodeId leader) {
  auto it = requests_.find(seq);
  if (it == requests_.end()) return;
  Request& r = it->second;
  r.rejected_by = from;
  r.suggested_leader = leader;
  const int shift = std::min(r.rejections++, 16);
  const auto backoff = std::min<std::uint64_t>(std::uint64_t{1} << shift,
                                               static_cast<std::uint64_t>(config_.max_forward_backoff_ticks));
  r.forward_not_before = now_ + std::max<std::uint64_t>(backoff, 1);
  wait_for_leader(seq, r);
}

void Service::route_reads(const std::vector<std::uint64_t>& seqs) {
  const std::uint64_t group = next_read_group_++;
  const bool asked = raft_.read_index(std::to_string(group)).has_value();
  if (asked) read_groups_[group] = seqs;
  for (std::uint64_t seq : seqs) {
    Request& r = requests_.at(seq);
    if (!asked) {
      wait_for_leader(seq, r);
      continue;
    }
    // Backing off (1, 2, 4, 8, 16 times read_retry_ticks): a read the leader granted but
    // this node cannot serve yet (it is far behind) would otherwise ask again every few
    // ticks, each time costing the leader a confirmation round.
    const int shift = std::min(r.read_tries++, 4);
    r.retry_at = now_ + (static_cast<std::uint64_t>(config_.read_retry_ticks) << shift);
  }
}

void Service::wait_for_leader(std::uint64_t seq, Request& r) {
  if (r.waiting) return;
  r.waiting = true;
  r.wait_until = now_ + static_cast<std::uint64_t>(config_.leader_wait_ticks);
  waiting_.push_back(seq);
}

void Service::route_waiting() {
  if (raft_.leader().is_none() || waiting_.empty()) return;
  std::deque<std::uint64_t> seqs;
  seqs.swap(waiting_);
  for (std::uint64_t seq : seqs) {
    auto it = requests_.find(seq);
    if (it == requests_.end()) continue;
    if (now_ < it->second.forward_not_before) {  // backing off after a rejection
      waiting_.push_back(seq);
      continue;
    }
    it->second.waiting = false;
    route(seq);
  }
  process_ready();
}

void Service::handle_forward(const ForwardRequest& f) {
  if (!raft_.is_leader()) {
    std::vector<std::uint64_t> seqs;
    for (const ForwardedCommand& c : f.commands) seqs.push_back(c.seq);
    post(f.origin, ForwardRejected{std::move(seqs), raft_.leader()});
    return;
  }
  // We send the origin each result when we apply the entry (send_answers).
  for (const ForwardedCommand& c : f.commands) {
    (void)raft_.propose(encode_client_command(f.origin, c.seq, c.command));
  }
}

void Service::send_forwards() {
  for (auto& [to, commands] : outgoing_forwards_) {
    post(to, ForwardRequest{raft_.id(), std::move(commands)});
  }
  outgoing_forwards_.clear();
}

void Service::send_answers() {
  for (auto& [origin, results] : outgoing_answers_) {
    post(origin, ForwardAnswer{std::move(results)});
  }
  outgoing_answers_.clear();
}

void Service::handle_answer(const ForwardAnswer& a) {
  for (const ForwardAnswer::Result& res : a.results) {
    auto it = requests_.find(res.seq);
    if (it == requests_.end() || it->second.is_read || !it->second.handed_to_leader) continue;
    finish(res.seq, Outcome{Outcome::Status::kOk, res.result, {}});
  }
}

void Service::end_batch() {
  if (batch_depth_ > 0 && --batch_depth_ == 0) {
    if (config_.max_batch_delay_ticks == 0) flush_held();
    process_ready();
  }
}

void Service::process_ready() {
  if (batch_depth_ > 0) return;  // end_batch() handles everything at once
  send_forwards();
  while (raft_.has_ready()) {
    Ready rd = raft_.ready();
    // A leader known in a new term (possibly the same node, re-elected): see reask_reads.
    if (!raft_.leader().is_none() && raft_.term() != reasked_term_) {
      reasked_term_ = raft_.term();
      reask_reads();
    }
    // These may leave before the Ready is persisted (raft.h): the leader's appends overlap
    // its own disk write.
    for (Message& m : rd.messages) post(m.to, std::move(m));
    flush_outbox(/*end_of_batch=*/false);
    // A snapshot from the leader: durable first, then the state machine starts from it,
    // before any committed entry of this Ready (they follow it).
    if (rd.snapshot) restore(*rd.snapshot);
    storage_.persist(rd.hard_state, rd.entries);
    for (Message& m : rd.messages_after_persist) post(m.to, std::move(m));
    for (const Entry& e : rd.committed_entries) apply(e);
    for (const ReadState& rs : rd.read_states) serve_read(rs.context);
    // The leader we asked lost leadership: ask again (reads are always safe to retry).
    for (const std::string& ctx : rd.dropped_reads) retry_reads(ctx);
    raft_.advance(rd);
    maybe_compact();
  }
  send_answers();
  flush_outbox(/*end_of_batch=*/false);
}

void Service::post(NodeId to, PeerMessage message) {
  outbox_[to].push_back(std::move(message));
}

namespace {
// Requests that may wait for company (see service.h, bundling).
bool can_wait(const PeerMessage& m) {
  if (std::holds_alternative<ForwardRequest>(m)) return true;
  const auto* r = std::get_if<Message>(&m);
  return r != nullptr && std::holds_alternative<ReadIndexRequest>(r->body);
}
}  // namespace

void Service::flush_outbox(bool end_of_batch) {
  const bool hold = config_.max_batch_delay_ticks > 0 && !end_of_batch;
  for (auto it = outbox_.begin(); it != outbox_.end();) {
    std::vector<PeerMessage>& queued = it->second;
    if (hold && std::all_of(queued.begin(), queued.end(), can_wait)) {
      ++it;
      continue;
    }
    if (queued.size() == 1) {
      host_.send(it->first, std::move(queued.front()));
    } else if (!queued.empty()) {
      host_.send(it->first, PeerBundle{std::move(queued)});
    }
    it = outbox_.erase(it);
  }
}

void Service::restore(const Snapshot& snap) {
  storage_.apply_snapshot(snap);
  if (std::string error = state_.restore(snap.data.view()); !error.empty()) {
    // The bytes came whole from a leader running this code: a format this build cannot
    // read means mixed versions or a bug. Carrying on would serve a wrong state.
    fail_stop("service: cannot restore the snapshot at index " +
                    std::to_string(snap.meta.index.value()) + " from the leader: " + error);
  }
  host_.restored(snap.meta);
  answer_covered_writes();
}

// The origin answers a write when it applies it; a snapshot from the leader may cover
// writes this node never applied itself. Their outcomes are in the snapshot's dedup state.
void Service::answer_covered_writes() {
  std::vector<std::pair<std::uint64_t, Outcome>> done;
  for (const auto& [seq, r] : requests_) {
    if (r.is_read || !r.handed_to_leader) continue;
    std::string result;
    switch (state_.dedup().lookup(raft_.id().value(), seq, &result)) {
      case Dedup::Seen::kApplied:
        done.emplace_back(seq, Outcome{Outcome::Status::kOk, std::move(result), {}});
        break;
      case Dedup::Seen::kSettled:
        done.emplace_back(seq, failure(Outcome::Status::kUnknown,
                                       "outcome unknown: settled while this node caught up"));
        break;
      case Dedup::Seen::kNo:
        break;
    }
  }
  for (auto& [seq, outcome] : done) finish(seq, std::move(outcome));
}

void Service::maybe_compact() {
  if (config_.snapshot_entries == 0) return;
  const Index applied = raft_.log().applied();
  const Index last = next_compaction_ ? next_compaction_->meta.index
                                            : storage_.first_index().prev();
  if (applied.value() < last.value() + config_.snapshot_entries) return;
  // Everything up to `applied` is committed, applied and persisted (a Ready persists its
  // entries before they are applied), and so is everything up to the previous snapshot,
  // which now replaces the entries it covers: the log keeps the last interval's entries
  // for followers a little behind.
  if (next_compaction_) storage_.compact(*next_compaction_);
  next_compaction_ = Snapshot{raft_.snapshot_meta(), Bytes(state_.snapshot())};
}

void Service::note_lost_proposal(const Entry& e) {
  auto p = proposals_.find(e.index.value());
  if (p == proposals_.end()) return;
  const auto [term, seq] = p->second;
  proposals_.erase(p);
  if (term == e.term) return;  // ours committed; apply() answers it
  auto it = requests_.find(seq);
  if (it != requests_.end()) it->second.retry_at = now_;  // handed over again next tick
}

void Service::apply(const Entry& e) {
  host_.applied(e, raft_.term());
  note_lost_proposal(e);
  if (e.type != EntryType::kNormal) return;
  const std::optional<ClientCommand> cmd = decode_client_command(e.data.view());
  if (!cmd) {
    spdlog::error("service: skipping undecodable log entry at index {}", e.index.value());
    return;
  }
  std::optional<std::string> result = state_.apply(*cmd);
  if (cmd->origin == raft_.id()) {
    if (result) finish(cmd->seq, Outcome{Outcome::Status::kOk, std::move(*result), {}});
    return;
  }
  if (!raft_.is_leader()) return;
  // A duplicate (the origin handed it over again: our answer may have been lost) gets the
  // result of its first application.
  if (!result) {
    std::string cached;
    if (state_.dedup().lookup(cmd->origin.value(), cmd->seq, &cached) != Dedup::Seen::kApplied) return;
    result = std::move(cached);
  }
  outgoing_answers_[cmd->origin].push_back(ForwardAnswer::Result{cmd->seq, std::move(*result)});
}

void Service::serve_read(const std::string& context) {
  auto group = read_groups_.find(seq_for_context(context));
  if (group == read_groups_.end()) return;
  const std::vector<std::uint64_t> seqs = std::move(group->second);
  read_groups_.erase(group);
  for (std::uint64_t seq : seqs) {
    auto it = requests_.find(seq);
    if (it == requests_.end()) continue;  // already answered (a retried read served twice)
    finish(seq, Outcome{Outcome::Status::kOk, state_.machine().query(it->second.payload), {}});
  }
}

// A new leader: reads asked of the old one may never be answered (the answer, from an
// older term, is dropped), and their retry may have backed off far: ask the new one now.
void Service::reask_reads() {
  for (auto& [seq, r] : requests_) {
    if (!r.is_read || r.waiting || r.read_tries == 0) continue;
    r.read_tries = 0;
    r.retry_at = now_;
  }
}

void Service::retry_reads(const std::string& context) {
  auto group = read_groups_.find(seq_for_context(context));
  if (group == read_groups_.end()) return;
  for (std::uint64_t seq : group->second) {
    auto it = requests_.find(seq);
    if (it != requests_.end()) it->second.retry_at = now_;
  }
  read_groups_.erase(group);
}

void Service::finish(std::uint64_t seq, Outcome outcome) {
  auto it = requests_.find(seq);
  if (it == requests_.end()) return;
  const ClientHandle client = it->second.client;
  requests_.erase(it);
  host_.respond(client, outcome);
}

void Service::expire_requests() {
  std::vector<std::pair<std::uint64_t, Outcome>> done;
  for (auto& [seq, r] : requests_) {
    if (now_ >= r.deadline) {
      done.emplace_back(seq, r.is_read || !r.handed_to_leader
                                 ? failure(Outcome::Status::kUnavailable,
                                           "no answer from the cluster in time")
                                 : failure(Outcome::Status::kUnknown,
                                           "outcome unknown: the request reached a leader "
                                           "but was not seen committed in time"));
    } else if (r.waiting && now_ >= r.wait_until && (r.is_read || !r.handed_to_leader)) {
      // Never reached any leader: it surely did not happen.
      done.emplace_back(seq, failure(Outcome::Status::kUnavailable,
                                     "no leader is known; try again"));
    } else if (!r.waiting && now_ >= r.retry_at) {
      retry_due(seq, r);
    }
  }
  for (auto& [seq, outcome] : done) finish(seq, std::move(outcome));
  // Groups whose answer never came (a lost request) once all their reads are gone.
  if (read_groups_.size() > requests_.size() + 16) {
    std::erase_if(read_groups_, [&](const auto& g) {
      return std::none_of(g.second.begin(), g.second.end(),
                          [&](std::uint64_t seq) { return requests_.contains(seq); });
    });
  }
}

// A read asks for a read index again; a write that reached a leader but was not seen
// applied is handed over again -- the forward or the entry may have been lost, and
// (origin, seq) makes a second copy harmless.
void Service::retry_due(std::uint64_t seq, Request& r) {
  if (r.is_read) {
    route_reads({seq});
  } else if (r.handed_to_leader) {
    route_write(seq, r);
  }
}

std::uint64_t Service::seq_for_context(const std::string& context) {
  return std::strtoull(context.c_str(), nullptr, 10);
}

}  // namespace raft
