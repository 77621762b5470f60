// The network between nodes: loss and duplication at send time, a latency per copy,
// partitions and crashed destinations at delivery time.
#include <string>

#include "raftsim/simulator.h"
#include "raftsim/timeline.h"

namespace raftsim {

namespace {

std::string message_name(const raft::PeerMessage& m) {
  if (const auto* r = std::get_if<raft::Message>(&m)) {
    return std::string(raft::message_type_name(r->body)) + " t" + std::to_string(r->term.value());
  }
  if (std::holds_alternative<raft::ForwardRequest>(m)) return "ForwardRequest";
  return std::holds_alternative<raft::ForwardRejected>(m) ? "ForwardRejected" : "ForwardAnswer";
}

}  // namespace

void Simulator::node_sends(int from, int to, raft::PeerMessage&& message) {
  ++stats_.messages_sent;
  check_vote(from, message);
  if (rng_.chance(loss_)) {
    ++stats_.dropped_loss;
    if (config_.timeline != nullptr && config_.timeline->verbose()) {
      note("    lost n" + std::to_string(from) + "->n" + std::to_string(to) + " " +
           message_name(message));
    }
    return;
  }
  if (rng_.chance(dup_)) {
    ++stats_.duplicated;
    ++messages_queued_;
    queue_.emplace<DeliverEvent>(now_ + config_.latency.sample(rng_), from, to, message);
  }
  ++messages_queued_;
  queue_.emplace<DeliverEvent>(now_ + config_.latency.sample(rng_), from, to,
                              std::move(message));
}

// §5.2: "each server will vote for at most one candidate in a given term" -- across
// crashes too, which is why the vote is persisted before the grant leaves. The simulator
// sees every grant on the wire (and every node's own vote, in observe()), so it checks
// this directly.
void Simulator::check_vote(int from, const raft::PeerMessage& message) {
  const auto* m = std::get_if<raft::Message>(&message);
  if (m == nullptr) return;
  const auto* v = std::get_if<raft::VoteResponse>(&m->body);
  if (v == nullptr || v->pre_vote || !v->granted) return;
  record_vote(from, m->term.value(), static_cast<int>(m->to.value()));
}

void Simulator::record_vote(int voter, std::uint64_t term, int candidate) {
  auto [it, inserted] = votes_.emplace(std::make_pair(voter, term), candidate);
  if (!inserted && it->second != candidate) {
    sim_violations_.push_back("Vote uniqueness: node " + std::to_string(voter) + " voted for both n" +
                              std::to_string(it->second) + " and n" + std::to_string(candidate) +
                              " in term " + std::to_string(term) + " (at " + format_time(now_) + ")");
    it->second = candidate;  // report each further switch once
  }
}

bool Simulator::defer_if_paused(SimNode& n, EventBody& body) {
  if (!n.paused) return false;
  n.deferred.push_back(std::move(body));
  return true;
}

void Simulator::deliver(DeliverEvent& e) {
  SimNode& n = node(e.to);
  const bool verbose = config_.timeline != nullptr && config_.timeline->verbose();
  if (!n.up()) {
    ++stats_.dropped_down;
    return;
  }
  if (cuts_.blocks(e.from, e.to)) {
    ++stats_.dropped_partition;
    if (verbose) note("    cut n" + std::to_string(e.from) + "->n" + std::to_string(e.to) + " " + message_name(e.message));
    return;
  }
  if (n.paused) {
    EventBody body = std::move(e);
    defer_if_paused(n, body);
    return;
  }
  ++stats_.messages_delivered;
  if (verbose) note("    n" + std::to_string(e.from) + "->n" + std::to_string(e.to) + " " + message_name(e.message));
  n.service().handle_peer(raft::NodeId{static_cast<std::uint64_t>(e.from)}, e.message);
  after_event(n);
}

}  // namespace raftsim
