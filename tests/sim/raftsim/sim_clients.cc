// The clients: concurrent, each with one request in flight (from the workload), against
// random nodes, with a timeout. Client links have latency but are never cut or lossy.
#include "raftsim/simulator.h"

namespace raftsim {

void Simulator::client_next(int client) {
  Client& c = clients_[static_cast<std::size_t>(client)];
  ClientOp op;
  op.process = c.process;
  op.client = client;
  op.node = config_.membership.enabled() ? pick_client_node()
                                         : static_cast<int>(rng_.uniform(1, config_.cluster.nodes));
  op.request = workload_->next(rng_);
  op.call = now_;
  const std::size_t index = ops_.size();
  if (ops_.capacity() == index) ops_.reserve(2 * index + 1024);
  ops_.push_back(std::move(op));
  c.current = index;
  queue_.push(now_ + config_.workload.latency.sample(rng_), RequestEvent{index});
  if (!c.timeout_armed) {
    c.timeout_armed = true;
    queue_.push(now_ + config_.workload.timeout, TimeoutEvent{client});
  }
}

void Simulator::request_arrives(std::size_t index) {
  ClientOp& op = ops_[index];
  SimNode& n = node(op.node);
  if (!n.up()) return;  // lost with the node; the client will time out
  if (n.paused) {
    n.deferred.emplace_back(RequestEvent{index});
    return;
  }
  op.seq = n.take_request_seq();
  if (op.request.is_query()) {
    n.service().read(index, op.request.bytes);
  } else {
    n.service().propose(index, op.request.bytes);
  }
  after_event(n);
}

void Simulator::node_responds(int node, raft::ClientHandle client, const raft::Outcome& outcome) {
  (void)node;
  queue_.push(now_ + config_.workload.latency.sample(rng_), ResponseEvent{client, outcome});
}

void Simulator::response_arrives(ResponseEvent& e) {
  ClientOp& op = ops_[e.op];
  Client& c = clients_[static_cast<std::size_t>(op.client)];
  if (c.current != e.op) return;  // the client already gave up on it
  op.outcome = std::move(e.outcome);
  op.ret = now_;
  if (config_.timeline != nullptr) {  // describing an op costs more than handling it
    note("client " + describe(op, *workload_) + " (" + format_duration(op.ret - op.call) + ")");
  }
  client_done(e.op);
}

// One timeout event per client at a time, not one per op: most ops are answered long
// before their deadline, and a queue full of stale timeouts makes every event dearer.
// The event re-arms itself at the deadline of whatever op is in flight when it fires.
void Simulator::client_timeout(int client) {
  Client& c = clients_[static_cast<std::size_t>(client)];
  c.timeout_armed = false;
  if (!c.current) return;
  const std::size_t index = *c.current;
  ClientOp& op = ops_[index];
  const Micros deadline = op.call + config_.workload.timeout;
  if (now_ < deadline) {
    c.timeout_armed = true;
    queue_.push(deadline, TimeoutEvent{client});
    return;
  }
  if (config_.timeline != nullptr) note("client " + describe(op, *workload_));
  // An indefinite op stays open forever, so this process may not issue another one.
  c.process = next_process_++;
  client_done(index);
}

void Simulator::client_done(std::size_t index) {
  const ClientOp& op = ops_[index];
  Client& c = clients_[static_cast<std::size_t>(op.client)];
  c.current.reset();
  // Each client aims at one op per `gap` on average (exponential), counted from the call:
  // a slow answer eats into the think time, so the offered rate holds while the cluster
  // keeps up, and a client never has two ops in flight.
  const double gap = static_cast<double>(config_.workload.clients) * kSecond /
                     std::max(0.001, config_.workload.ops_per_sec);
  const Micros next = op.call + static_cast<Micros>(rng_.exponential(gap));
  queue_.push(std::max(now_ + 1, next), ClientEvent{op.client});
}

}  // namespace raftsim
