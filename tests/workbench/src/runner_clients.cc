// The runner's clients: init clients (one per node start), and the workload's client threads,
// each with one request in flight, a timeout, and Maelstrom's rules for turning replies,
// errors and timeouts into :ok, :fail and :info completions.
#include <algorithm>
#include <cstdio>

#include "tests/workbench/src/errors.h"
#include "tests/workbench/src/runner.h"

namespace workbench {

using nlohmann::json;

namespace {

std::string fmt_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

}  // namespace

std::string Runner::open_client(const std::string& server) {
  const std::string name = "c" + std::to_string(next_client_++);
  Client c;
  c.name = name;
  c.server = server;
  clients_[name] = c;
  net_.add(name);
  return name;
}

void Runner::close_client(const std::string& name) {
  net_.remove(name);
  clients_.erase(name);
}

void Runner::send_init(std::size_t node, Nanos now) {
  Client& c = clients_[open_client(nodes_[node].name)];
  c.init_node = static_cast<int>(node);
  const std::int64_t msg_id = c.next_msg_id++;
  c.waiting_for = msg_id;
  c.deadline = now + init_timeout_;
  json body = {{"type", "init"}, {"node_id", nodes_[node].name}, {"node_ids", o_.nodes}, {"msg_id", msg_id}};
  net_.send(c.name, c.server, std::move(body), now);
  ++inits_pending_;
}

void Runner::on_client_message(Client& c, NetMessage&& m, Nanos now) {
  const json& irt = m.body.contains("in_reply_to") ? m.body["in_reply_to"] : json();
  // Maelstrom's client drops anything that is not the reply it waits for (e.g. a late one).
  if (!c.waiting_for || !irt.is_number_integer() || irt.get<std::int64_t>() != *c.waiting_for) return;
  c.waiting_for.reset();
  if (c.init_node >= 0) on_init_reply(c, m, now);
  else on_worker_reply(c, m, now);
}

void Runner::on_init_reply(Client& c, const NetMessage& m, Nanos now) {
  const std::string node = c.server;
  const std::string type = m.body.value("type", "");
  if (type != "init_ok") {
    violation(node, m.body.dump(), "answered init with " + type + " instead of init_ok", now);
    if (!workload_running_) init_failed_ = true;
  } else {
    log(node + " answered init");
  }
  --inits_pending_;
  close_client(c.name);  // c is dangling from here on
}

void Runner::on_init_timeout(Client& c, Nanos now) {
  const std::size_t i = node_index(c.server);
  if (i != SIZE_MAX && nodes_[i].reader_broken) {
    // Its answer may well have come: we stopped reading it at its first violation, which
    // already failed the run. A second violation would blame the node for our deafness.
    log(c.server + ": no init answer seen; its stdout is ignored since its first violation");
  } else {
    violation(c.server, "", "did not answer init within " + fmt_seconds(o_.init_timeout_s) + " s", now);
  }
  if (!workload_running_) init_failed_ = true;
  --inits_pending_;
  close_client(c.name);
}

void Runner::expire_clients(Nanos now) {
  std::vector<std::string> expired;
  for (const auto& [name, c] : clients_)
    if (c.waiting_for && c.deadline <= now) expired.push_back(name);
  for (const auto& name : expired) {
    Client& c = clients_[name];
    c.waiting_for.reset();
    if (c.init_node >= 0) on_init_timeout(c, now);
    else on_worker_timeout(c, now);
  }
}

bool Runner::ops_in_flight() const {
  return std::any_of(thread_state_.begin(), thread_state_.end(), [](const ThreadState& t) { return t.busy; });
}

void Runner::issue_ops(Nanos now) {
  if (o_.rate <= 0) return;
  // A wake-up that came late issues every operation that fell due meanwhile (see stagger.h).
  // Every op due before the cutoff is issued, even by a wake-up that came after it: a seed
  // then fixes the op list whatever the machine load.
  while (stagger_.next() < cutoff_ && stagger_.next() <= rel(now)) {
    std::vector<int> free;
    for (int t = 0; t < threads_.count(); ++t)
      if (!thread_state_[static_cast<std::size_t>(t)].busy) free.push_back(t);
    auto inv = workload_->next(free, threads_);
    if (!inv) {
      stagger_.blocked();  // leaves when a client frees up; next_deadline() waits for that
      return;
    }
    issue(std::move(*inv), now);
    stagger_.issued(rel(now));
  }
}

bool Runner::ops_due_before_cutoff() const { return o_.rate > 0 && stagger_.next() < cutoff_; }

void Runner::issue(Invocation inv, Nanos now) {
  ThreadState& ts = thread_state_[static_cast<std::size_t>(inv.thread)];
  const bool stale = !workload_->reusable_clients() && ts.client_process != inv.process;
  if (ts.client.empty() || stale) {
    // Jepsen opens a thread's client lazily at its first op, and anew for a new process
    // unless the client is reusable.
    if (!ts.client.empty()) close_client(ts.client);
    ts.client = open_client(o_.nodes[static_cast<std::size_t>(inv.thread) % o_.nodes.size()]);
    ts.client_process = inv.process;
    clients_[ts.client].thread = inv.thread;
  }
  Client& c = clients_[ts.client];
  Op op;
  op.time = rel(now);
  op.type = OpType::Invoke;
  op.process = inv.process;
  op.f = inv.f;
  op.value = workload_->invoke_value(inv);
  ts.invoke_index = result_.history.add(std::move(op));
  ts.busy = true;
  ++invoked_;

  json body = workload_->request(inv);
  const std::int64_t msg_id = c.next_msg_id++;
  body["msg_id"] = msg_id;
  c.waiting_for = msg_id;
  c.deadline = now + op_timeout_;
  ts.inv = std::move(inv);
  net_.send(c.name, c.server, std::move(body), now);
}

void Runner::complete(int thread, Op op, Nanos now) {
  ThreadState& ts = thread_state_[static_cast<std::size_t>(thread)];
  op.time = rel(now);
  op.process = ts.inv.process;
  op.f = ts.inv.f;
  if (op.type != OpType::Ok) op.value = workload_->invoke_value(ts.inv);
  switch (op.type) {
    case OpType::Ok: ++ok_; break;
    case OpType::Fail: ++fail_; break;
    default: ++info_; break;
  }
  // Jepsen gives a thread a new process after an indeterminate outcome.
  if (op.type == OpType::Info) threads_.replace_process(thread);
  result_.history.add(std::move(op));
  ts.busy = false;
}

void Runner::on_worker_reply(Client& c, const NetMessage& m, Nanos now) {
  const ThreadState& ts = thread_state_[static_cast<std::size_t>(c.thread)];
  const std::string type = m.body.value("type", "");
  Op op;
  if (!m.defect.empty()) {
    // Jepsen turns the client's schema exception into an indeterminate op.
    op.type = OpType::Info;
    op.error_text = "indeterminate: malformed RPC response: " + m.defect;
    op.error_edn = edn_string(op.error_text);
  } else if (type == "error") {
    op.error_code = m.body["code"].get<std::int64_t>();
    const ErrorCode e = lookup_error(op.error_code);
    const bool definite = e.definite || workload_->idempotent(ts.inv.f);
    const json text = m.body.contains("text") ? m.body["text"] : json();
    op.type = definite ? OpType::Fail : OpType::Info;
    op.error_edn = "[:" + e.name + " " + json_to_edn(text) + "]";
    op.error_text = e.name + (text.is_string() ? ": " + text.get<std::string>() : "");
  } else if (type == workload_->ok_type(ts.inv)) {
    op = workload_->ok_completion(ts.inv, m.body);
  } else {
    violation(m.src, m.body.dump(), "answered " + ts.inv.f + " with " + type + " (expected " +
                                        workload_->ok_type(ts.inv) + " or error)", now);
    op.type = OpType::Info;
    op.error_text = "indeterminate: malformed RPC response: unexpected type " + type;
    op.error_edn = edn_string(op.error_text);
  }
  complete(c.thread, std::move(op), now);
}

void Runner::on_worker_timeout(Client& c, Nanos now) {
  const ThreadState& ts = thread_state_[static_cast<std::size_t>(c.thread)];
  Op op;
  op.type = workload_->idempotent(ts.inv.f) ? OpType::Fail : OpType::Info;
  op.error_edn = ":net-timeout";
  op.error_text = "net-timeout";
  complete(c.thread, std::move(op), now);
}

}  // namespace workbench
