#include "raftsim/simulator.h"

#include <algorithm>
#include <stdexcept>

#include "raftsim/logger.h"
#include "raftsim/timeline.h"

namespace raftsim {

namespace {

std::shared_ptr<Workload> make_workload(const SimConfig& config) {
  if (!config.make_workload) {
    throw std::invalid_argument("raftsim::SimConfig::make_workload is not set: which service?");
  }
  std::shared_ptr<Workload> w = config.make_workload(config.workload);
  if (!w) throw std::invalid_argument("raftsim::SimConfig::make_workload made no workload");
  return w;
}

}  // namespace

Simulator::Simulator(SimConfig config)
    : config_(std::move(config)),
      rng_(config_.seed),
      workload_(make_workload(config_)),
      faults_(config_.schedule.in_time_order()),
      reference_machine_(workload_->make_state_machine()),
      reference_(*reference_machine_, config_.cluster.dedup_window),
      reference_fingerprints_{workload_->fingerprint(*reference_machine_)} {
  for (int id = 1; id <= config_.cluster.nodes; ++id) {
    nodes_.push_back(std::make_unique<SimNode>(id, *this, config_.cluster.bugs));
  }
  clients_.resize(static_cast<std::size_t>(std::max(0, config_.workload.clients)));
}

Simulator::~Simulator() = default;

raft::ServiceConfig Simulator::service_config(int id) const {
  const ClusterConfig& c = config_.cluster;
  raft::ServiceConfig s;
  s.raft.id = raft::NodeId{static_cast<std::uint64_t>(id)};
  // With membership changes, spares (ids above initial_voters) start with no bootstrap
  // configuration: non-members until a change adds them.
  const int bootstrap = config_.membership.enabled() ? config_.membership.initial_voters : c.nodes;
  if (id <= bootstrap) {
    for (int v = 1; v <= bootstrap; ++v) s.raft.voters.emplace_back(static_cast<std::uint64_t>(v));
  }
  s.raft.election_tick = c.election_tick;
  s.raft.heartbeat_tick = c.heartbeat_tick;
  s.raft.pre_vote = c.pre_vote;
  s.raft.check_quorum = c.check_quorum;
  s.raft.lease_read = c.lease_read;
  s.max_batch_delay_ticks = c.batch_delay_ticks;
  s.raft.max_entries_per_msg = c.max_entries_per_msg;
  s.raft.planted_bugs = c.bugs;
  s.raft.logger = make_node_logger(id, config_.timeline, &now_);
  s.leader_wait_ticks = c.leader_wait_ticks;
  s.request_timeout_ticks = c.request_timeout_ticks;
  s.snapshot_entries = c.snapshot_entries;
  s.dedup_window = c.dedup_window;
  s.raft.max_snapshot_chunk_bytes = c.snapshot_chunk_bytes;
  return s;
}

const raft::Raft* Simulator::raft(int id) const {
  const SimNode& n = *nodes_.at(static_cast<std::size_t>(id - 1));
  return n.up() ? &n.raft() : nullptr;
}

void Simulator::note(const std::string& text) {
  if (config_.timeline != nullptr) config_.timeline->record(now_, text);
}

void Simulator::schedule_start() {
  started_ = true;
  for (auto& n : nodes_) {
    raft::ServiceConfig sc = service_config(n->id());
    // Node seeds come from the run's RNG too: a seed fixes every election timeout.
    sc.raft.seed = rng_.next() | 1;
    n->start(sc, workload_->make_state_machine());
    queue_.push(rng_.uniform(0, config_.cluster.tick - 1), TickEvent{n->id()});
  }
  const double per_client_gap = static_cast<double>(config_.workload.clients) * kSecond /
                                std::max(0.001, config_.workload.ops_per_sec);
  for (int c = 0; c < config_.workload.clients; ++c) {
    clients_[static_cast<std::size_t>(c)].process = next_process_++;
    queue_.push(static_cast<Micros>(rng_.exponential(per_client_gap)), ClientEvent{c});
  }
  for (std::size_t i = 0; i < faults_.size(); ++i) queue_.push(faults_[i].at, FaultEvent{i});
  queue_.push(config_.schedule.end, FaultsEndEvent{});
  if (config_.membership.enabled()) schedule_membership();
  if (config_.timeline != nullptr) queue_.push(kSecond, SummaryEvent{});
  note("start: " + std::to_string(config_.cluster.nodes) + " nodes, seed " +
       std::to_string(config_.seed) + ", latency " + config_.latency.describe() +
       ", faults end at " + format_duration(config_.schedule.end) + ", run ends at " +
       format_duration(config_.duration));
}

bool Simulator::step() {
  if (!started_) schedule_start();
  if (queue_.empty() || queue_.next_time() > config_.duration || !aborted_.empty()) return false;
  if (messages_queued_ > config_.checks.max_queued_messages) {
    aborted_ = "message storm: " + std::to_string(messages_queued_) + " messages queued at " +
               format_time(now_);
    note(aborted_);
    return false;
  }
  queue_.pop_and_handle([this](Micros at, EventBody& body) {
    now_ = at;
    if (std::holds_alternative<DeliverEvent>(body)) --messages_queued_;
    ++stats_.events;
    dispatch(body);
  });
  if (now_ >= next_full_log_matching_) {
    check_log_matching();
    next_full_log_matching_ = now_ + config_.checks.full_log_matching_every;
  } else if (now_ >= next_log_matching_) {
    check_tail_log_matching();
    next_log_matching_ = now_ + config_.checks.log_matching_every;
  }
  return true;
}

void Simulator::dispatch(EventBody& body) {
  if (auto* t = std::get_if<TickEvent>(&body)) {
    SimNode& n = node(t->node);
    queue_.push(now_ + config_.cluster.tick, *t);
    if (!n.up() || n.paused) return;
    ++stats_.ticks;
    n.service().tick();
    after_event(n);
  } else if (auto* d = std::get_if<DeliverEvent>(&body)) {
    deliver(*d);
  } else if (auto* rq = std::get_if<RequestEvent>(&body)) {
    request_arrives(rq->op);
  } else if (auto* rs = std::get_if<ResponseEvent>(&body)) {
    response_arrives(*rs);
  } else if (auto* c = std::get_if<ClientEvent>(&body)) {
    client_next(c->client);
  } else if (auto* to = std::get_if<TimeoutEvent>(&body)) {
    client_timeout(to->client);
  } else if (auto* f = std::get_if<FaultEvent>(&body)) {
    apply_fault(faults_[f->fault]);  // a copy: applying may add faults
  } else if (std::holds_alternative<FaultsEndEvent>(body)) {
    end_faults();
  } else if (auto* m = std::get_if<MembershipEvent>(&body)) {
    membership_step(m->recurring);
  } else if (std::holds_alternative<SummaryEvent>(body)) {
    summary();
    queue_.push(now_ + kSecond, SummaryEvent{});
  }
}

void Simulator::summary() {
  std::string nodes;
  for (auto& n : nodes_) {
    nodes += " | n" + std::to_string(n->id()) + " ";
    if (!n->up()) {
      nodes += "down";
      continue;
    }
    const raft::Raft& r = n->raft();
    nodes += std::string(raft::role_name(r.role())) + " t" + std::to_string(r.term().value()) +
             " commit " + std::to_string(r.log().committed().value()) + (n->paused ? " paused" : "");
  }
  std::size_t done = 0;
  for (const ClientOp& op : ops_) done += op.answered() ? 1 : 0;
  note("summary: " + std::to_string(stats_.ticks) + " ticks, " +
       std::to_string(stats_.messages_delivered) + "/" + std::to_string(stats_.messages_sent) +
       " msgs delivered, " + std::to_string(done) + "/" + std::to_string(ops_.size()) +
       " ops answered" + nodes);
}

SimResult Simulator::run() {
  while (step()) {
  }
  if (aborted_.empty()) now_ = config_.duration;
  SimResult r;
  finish(r);
  return r;
}

}  // namespace raftsim
