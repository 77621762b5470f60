#include "transport/runtime.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <optional>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "raft/file_system.h"
#include "raft/wal.h"
#include "transport/peer_codec.h"

namespace raftkv {

// Built member by member: aggregate initializers made gcc 12 -O3 warn that the refusal's
// strings "may be used uninitialized" (-Wmaybe-uninitialized, a false positive).
AdminOutcome AdminOutcome::done_at(raft::Index index) {
  AdminOutcome out;
  out.status = Status::kOk;
  out.index = index;
  return out;
}

AdminOutcome AdminOutcome::refused(raft::AdminError refusal, std::string error, raft::Index index) {
  AdminOutcome out;
  out.status = Status::kRefused;
  out.refusal = std::move(refusal);
  out.index = index;
  out.error = std::move(error);
  return out;
}

AdminOutcome AdminOutcome::unknown(raft::Index index, std::string error) {
  AdminOutcome out;
  out.status = Status::kUnknown;
  out.index = index;
  out.error = std::move(error);
  return out;
}

namespace {
AdminOutcome refused_while_stopping(const char* why) {
  raft::AdminError e;
  e.code = raft::AdminError::Code::kNotLeader;
  return AdminOutcome::refused(std::move(e), why);
}
}  // namespace


namespace {

int ticks_of(std::chrono::milliseconds d, std::chrono::milliseconds tick) {
  return std::max(1, static_cast<int>(d.count() / std::max<std::int64_t>(1, tick.count())));
}

}  // namespace

class Runtime::Impl final : public raft::ServiceHost {
 public:
  Impl(RuntimeConfig config, raft::StateMachine& machine) : cfg_(std::move(config)), machine_(machine) {}

  std::string start();
  void submit(bool is_read, std::string bytes, Done done);
  void stop();
  RuntimeStatus status() const {
    std::lock_guard lock(status_mu_);
    return status_;
  }
  transport::TcpStats transport_stats() const { return transport_->stats(); }
  std::uint16_t peer_port() const { return transport_->listen_port(); }
  void isolate(bool on) { transport_->isolate(on); }

  // ---- raft::ServiceHost (core thread) --------------------------------------------
  void send(raft::NodeId to, raft::PeerMessage message) override;
  void respond(raft::ClientHandle client, const Outcome& outcome) override;
  void applied(const raft::Entry& entry, raft::Term) override {
    settle_admin(entry);
    if (cfg_.on_applied) cfg_.on_applied(entry);
  }
  void settle_admin(const raft::Entry& entry);

 private:
  struct PeerIn {
    raft::NodeId from;
    raft::PeerMessage message;
  };
  struct ClientIn {
    bool is_read = false;
    std::string bytes;
    Done done;
  };
  using AdminDone = std::function<void(const AdminOutcome&)>;
  struct AdminIn {
    std::optional<raft::ConfChangeRequest> change;  // else a transfer to `to`
    raft::NodeId to;
    AdminDone done;
  };
  using Event = std::variant<PeerIn, ClientIn, AdminIn>;

 public:
  void submit_admin(AdminIn in);

 private:
  void handle_admin(AdminIn& in);
  void expire_admin();

  std::string open_storage();
  raft::ServiceConfig service_config() const;
  bool on_frame(raft::NodeId from, std::string_view payload);  // I/O thread
  void push(Event ev);
  void run();  // the core thread
  void handle(Event& ev);
  void handle_client(ClientIn& in);
  void publish_status();
  void fail_pending();

  RuntimeConfig cfg_;
  raft::StateMachine& machine_;
  std::unique_ptr<raft::LogStorage> storage_;
  std::unique_ptr<raft::Service> service_;
  std::unique_ptr<transport::TcpTransport> transport_;
  std::thread core_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Event> inbox_;
  bool stopping_ = false;
  bool stopped_ = false;

  mutable std::mutex status_mu_;
  RuntimeStatus status_;

  // Core thread only.
  std::unordered_map<raft::ClientHandle, Done> pending_;
  raft::ClientHandle next_handle_ = 1;
  raft::NodeId last_leader_;
  raft::Term last_term_;
  /// Configuration changes appended here, by entry index: answered when that index applies.
  struct PendingAdmin {
    raft::Term term;
    std::chrono::steady_clock::time_point deadline;
    AdminDone done;
  };
  std::map<std::uint64_t, PendingAdmin> pending_admin_;
};

// ---- start and stop ---------------------------------------------------------------------

std::string Runtime::Impl::open_storage() {
  if (cfg_.data_dir.empty()) {
    storage_ = std::make_unique<raft::MemoryStorage>();
    return {};
  }
  static raft::PosixFileSystem fs;
  auto wal = raft::Wal::open(fs, raft::path_join(cfg_.data_dir, std::to_string(cfg_.id.value())));
  if (!wal) return "cannot open the data directory: " + wal.error();
  spdlog::info("node {}: state in {} (term {}, {} entries)", cfg_.id.value(), (*wal)->dir(),
               (*wal)->hard_state().term.value(), (*wal)->last_index().value());
  storage_ = std::move(*wal);
  return {};
}

raft::ServiceConfig Runtime::Impl::service_config() const {
  raft::ServiceConfig sc;
  sc.raft.id = cfg_.id;
  // The bootstrap configuration; a node outside it starts with none (a non-member).
  if (cfg_.voters.empty()) {
    for (const auto& [id, ep] : cfg_.peers) sc.raft.voters.push_back(id);
  } else if (std::find(cfg_.voters.begin(), cfg_.voters.end(), cfg_.id) != cfg_.voters.end()) {
    sc.raft.voters = cfg_.voters;
  }
  sc.raft.election_tick = cfg_.election_ticks;
  sc.raft.heartbeat_tick = std::min(cfg_.heartbeat_ticks, cfg_.election_ticks - 1);
  sc.raft.max_entry_bytes = cfg_.max_command_bytes;
  sc.raft.seed = std::random_device{}() | 1;
  sc.incarnation = std::random_device{}();  // request numbers never collide with a past run's
  sc.leader_wait_ticks = ticks_of(cfg_.leader_wait, cfg_.tick);
  sc.request_timeout_ticks = ticks_of(cfg_.request_timeout, cfg_.tick);
  sc.snapshot_entries = cfg_.snapshot_entries;
  sc.write_retry_ticks = cfg_.election_ticks;  // by then a lost leader has been replaced
  return sc;
}

std::string Runtime::Impl::start() {
  if (!cfg_.peers.contains(cfg_.id)) return "node " + std::to_string(cfg_.id.value()) + " is not among the peers";
  for (raft::NodeId v : cfg_.voters) {
    if (!cfg_.peers.contains(v)) return "voter " + std::to_string(v.value()) + " has no address among the peers";
  }
  if (std::string error = open_storage(); !error.empty()) return error;
  try {
    service_ = std::make_unique<raft::Service>(service_config(), *storage_, machine_, *this);
  } catch (const std::runtime_error& e) {
    return e.what();  // a snapshot this build cannot read
  }
  transport_ = std::make_unique<transport::TcpTransport>(
      cfg_.id, cfg_.peers, [this](raft::NodeId from, std::string_view p) { return on_frame(from, p); }, cfg_.tcp);
  if (std::string error = transport_->start(); !error.empty()) return error;
  publish_status();
  core_ = std::thread([this] { run(); });
  return {};
}

void Runtime::Impl::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = stopping_ = true;
  }
  cv_.notify_all();
  if (core_.joinable()) core_.join();
  if (transport_) transport_->stop();
}

// ---- the core thread --------------------------------------------------------------------

void Runtime::Impl::push(Event ev) {
  {
    std::lock_guard lock(mu_);
    inbox_.push_back(std::move(ev));
  }
  cv_.notify_one();
}

// Everything that arrived since the last round is handled in one go, then the clock is
// checked: ticks never wait behind a long queue for more than one round.
void Runtime::Impl::run() {
  using Clock = std::chrono::steady_clock;
  auto next_tick = Clock::now() + cfg_.tick;
  std::vector<Event> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next_tick, [&] { return stopping_ || !inbox_.empty(); });
      if (stopping_) break;
      batch.swap(inbox_);
    }
    // One Ready for the whole batch: proposals leave in one AppendEntries per follower and
    // reach the log in one write (group commit); acknowledgements are counted together.
    service_->begin_batch();
    for (Event& ev : batch) handle(ev);
    service_->end_batch();
    batch.clear();
    const auto now = Clock::now();
    if (now >= next_tick) {
      service_->tick();
      next_tick += cfg_.tick;
      if (next_tick < now) next_tick = now + cfg_.tick;  // a stall: do not tick in a burst
      if (!pending_admin_.empty()) expire_admin();
    }
    publish_status();
  }
  fail_pending();
}

void Runtime::Impl::handle(Event& ev) {
  if (auto* p = std::get_if<PeerIn>(&ev)) {
    service_->handle_peer(p->from, p->message);
  } else if (auto* a = std::get_if<AdminIn>(&ev)) {
    handle_admin(*a);
  } else {
    handle_client(std::get<ClientIn>(ev));
  }
}

void Runtime::Impl::handle_client(ClientIn& in) {
  const raft::ClientHandle h = next_handle_++;
  pending_.emplace(h, std::move(in.done));
  if (in.is_read) {
    service_->read(h, std::move(in.bytes));
  } else {
    service_->propose(h, std::move(in.bytes));
  }
}

void Runtime::Impl::publish_status() {
  const raft::Raft& r = service_->raft();
  {
    std::lock_guard lock(status_mu_);
    status_.id = r.id();
    status_.role = r.role();
    status_.term = r.term();
    status_.leader = r.leader();
    status_.commit = r.log().committed();
    status_.applied = r.log().applied();
    status_.pending_requests = service_->pending_requests();
    if (r.configuration_index() != status_.configuration_index || status_.configuration != r.configuration()) {
      status_.configuration = r.configuration();
      status_.configuration_index = r.configuration_index();
    }
    status_.configuration_committed = r.configuration_index() <= r.log().committed();
  }
  if (r.leader() != last_leader_ || r.term() != last_term_) {
    last_leader_ = r.leader();
    last_term_ = r.term();
    if (cfg_.on_leader_change) cfg_.on_leader_change(last_leader_, last_term_);
  }
}

// The node stops: nobody will answer these. A write may still commit elsewhere.
void Runtime::Impl::fail_pending() {
  for (auto& [h, done] : pending_) done(Outcome{Outcome::Status::kUnknown, {}, "the node stopped"});
  pending_.clear();
  for (auto& [i, a] : pending_admin_) {
    a.done(AdminOutcome::unknown(raft::Index{i}, "the node stopped"));
  }
  pending_admin_.clear();
  std::vector<Event> left;
  {
    std::lock_guard lock(mu_);
    left.swap(inbox_);
  }
  for (Event& ev : left) {
    if (auto* c = std::get_if<ClientIn>(&ev)) {
      c->done(Outcome{Outcome::Status::kUnavailable, {}, "the node stopped"});
    } else if (auto* a = std::get_if<AdminIn>(&ev)) {
      a->done(refused_while_stopping("the node stopped"));
    }
  }
}

// ---- peers and clients ------------------------------------------------------------------

bool Runtime::Impl::on_frame(raft::NodeId from, std::string_view payload) {
  auto decoded = transport::decode_peer_message(payload);
  if (!decoded) {
    spdlog::warn("node {}: undecodable message from node {}: {}", cfg_.id.value(), from.value(), decoded.error());
    return false;
  }
  if (auto* m = std::get_if<raft::Message>(&*decoded)) {
    if (m->from != from) return false;  // a peer speaks for itself only
    push(PeerIn{from, std::move(*m)});
  } else if (auto* f = std::get_if<transport::WireForward>(&*decoded)) {
    raft::ForwardRequest fr{f->origin, {}};
    for (transport::WireItem& c : f->commands) fr.commands.push_back({c.seq, std::move(c.bytes)});
    push(PeerIn{from, std::move(fr)});
  } else if (auto* j = std::get_if<transport::WireRejected>(&*decoded)) {
    push(PeerIn{from, raft::ForwardRejected{std::move(j->seqs), j->leader}});
  } else {
    raft::ForwardAnswer a;
    for (transport::WireItem& r : std::get<transport::WireAnswer>(*decoded).results) {
      a.results.push_back({r.seq, std::move(r.bytes)});
    }
    push(PeerIn{from, std::move(a)});
  }
  return true;
}

void Runtime::Impl::send(raft::NodeId to, raft::PeerMessage message) {
  if (auto* b = std::get_if<raft::PeerBundle>(&message)) {
    // TCP frames are cheap and the stream coalesces them: each message its own frame.
    for (raft::PeerMessage& inner : b->messages) send(to, std::move(inner));
    return;
  }
  std::string payload;
  if (auto* m = std::get_if<raft::Message>(&message)) {
    transport::encode_peer_message(std::move(*m), payload);
  } else if (auto* f = std::get_if<raft::ForwardRequest>(&message)) {
    transport::WireForward w{f->origin, {}};
    for (raft::ForwardedCommand& c : f->commands) w.commands.push_back({c.seq, std::move(c.command)});
    transport::encode_peer_message(w, payload);
  } else if (auto* j = std::get_if<raft::ForwardRejected>(&message)) {
    transport::encode_peer_message(transport::WireRejected{std::move(j->seqs), j->leader}, payload);
  } else if (auto* a = std::get_if<raft::ForwardAnswer>(&message)) {
    transport::WireAnswer w;
    for (auto& r : a->results) w.results.push_back({r.seq, std::move(r.result)});
    transport::encode_peer_message(w, payload);
  }
  transport_->send(to, std::move(payload));
}

void Runtime::Impl::respond(raft::ClientHandle client, const Outcome& outcome) {
  auto it = pending_.find(client);
  if (it == pending_.end()) return;
  Done done = std::move(it->second);
  pending_.erase(it);
  done(outcome);
}

void Runtime::Impl::submit(bool is_read, std::string bytes, Done done) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      done(Outcome{Outcome::Status::kUnavailable, {}, "the node is stopping"});
      return;
    }
    inbox_.emplace_back(ClientIn{is_read, std::move(bytes), std::move(done)});
  }
  cv_.notify_one();
}

// ---- administration (thesis chapter 4, §3.10) -------------------------------------------

void Runtime::Impl::submit_admin(AdminIn in) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      inbox_.emplace_back(std::move(in));
      cv_.notify_one();
      return;
    }
  }
  in.done(refused_while_stopping("the node is stopping"));
}

void Runtime::Impl::handle_admin(AdminIn& in) {
  auto refuse = [&](const raft::AdminError& e) {
    in.done(AdminOutcome::refused(e, e.message()));
  };
  if (!in.change) {
    if (!cfg_.peers.contains(in.to)) {
      return refuse({raft::AdminError::Code::kInvalid, service_->raft().leader(),
                     "node " + std::to_string(in.to.value()) + " has no address among the peers"});
    }
    auto r = service_->transfer_leadership(in.to);
    if (!r) return refuse(r.error());
    in.done(AdminOutcome::done_at({}));
    return;
  }
  // A node without an address could never be reached: it would join the quorum unheard.
  for (const raft::ConfChange& c : in.change->changes) {
    if (c.type != raft::ConfChangeType::kRemove && !cfg_.peers.contains(c.node)) {
      return refuse({raft::AdminError::Code::kInvalid, service_->raft().leader(),
                     "node " + std::to_string(c.node.value()) + " has no address among the peers"});
    }
  }
  auto r = service_->propose_conf_change(*in.change);
  if (!r) return refuse(r.error());
  const raft::Index index = r->index;
  if (index <= service_->raft().log().applied()) {  // applied within the call (one voter)
    in.done(AdminOutcome::done_at(index));
    return;
  }
  pending_admin_[index.value()] = PendingAdmin{r->term, std::chrono::steady_clock::now() + cfg_.request_timeout,
                                               std::move(in.done)};
}

// A configuration entry reached this index: ours if its term matches; otherwise ours was
// overwritten by another leader's entry (§5.3) and will never commit.
void Runtime::Impl::settle_admin(const raft::Entry& entry) {
  if (pending_admin_.empty()) return;
  auto it = pending_admin_.find(entry.index.value());
  if (it == pending_admin_.end()) return;
  AdminDone done = std::move(it->second.done);
  const bool ours = entry.term == it->second.term;
  pending_admin_.erase(it);
  if (ours) {
    done(AdminOutcome::done_at(entry.index));
  } else {
    raft::AdminError e;
    e.code = raft::AdminError::Code::kNotLeader;
    done(AdminOutcome::refused(std::move(e),
                               "leadership changed before the change committed; it will not take effect",
                               entry.index));
  }
}

void Runtime::Impl::expire_admin() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = pending_admin_.begin(); it != pending_admin_.end();) {
    if (now < it->second.deadline) {
      ++it;
      continue;
    }
    AdminDone done = std::move(it->second.done);
    const raft::Index index{it->first};
    it = pending_admin_.erase(it);
    done(AdminOutcome::unknown(
        index, "the change was appended but not seen committed in time; it may still take effect"));
  }
}

// ---- Runtime ----------------------------------------------------------------------------

raft::Expected<std::unique_ptr<Runtime>, std::string> Runtime::start(RuntimeConfig config,
                                                                     raft::StateMachine& machine) {
  auto impl = std::make_unique<Impl>(std::move(config), machine);
  if (std::string error = impl->start(); !error.empty()) {
    impl->stop();
    return raft::Unexpected{error};
  }
  return std::unique_ptr<Runtime>(new Runtime(std::move(impl)));
}

Runtime::Runtime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Runtime::~Runtime() { stop(); }

void Runtime::propose(std::string command, Done done) { impl_->submit(false, std::move(command), std::move(done)); }
void Runtime::read(std::string query, Done done) { impl_->submit(true, std::move(query), std::move(done)); }

std::future<Outcome> Runtime::propose(std::string command) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  propose(std::move(command), [promise](const Outcome& o) { promise->set_value(o); });
  return future;
}

std::future<Outcome> Runtime::read(std::string query) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  read(std::move(query), [promise](const Outcome& o) { promise->set_value(o); });
  return future;
}

std::future<AdminOutcome> Runtime::change_configuration(raft::ConfChangeRequest request) {
  auto promise = std::make_shared<std::promise<AdminOutcome>>();
  auto future = promise->get_future();
  impl_->submit_admin({std::move(request), {}, [promise](const AdminOutcome& o) { promise->set_value(o); }});
  return future;
}

std::future<AdminOutcome> Runtime::transfer_leadership(raft::NodeId to) {
  auto promise = std::make_shared<std::promise<AdminOutcome>>();
  auto future = promise->get_future();
  impl_->submit_admin({std::nullopt, to, [promise](const AdminOutcome& o) { promise->set_value(o); }});
  return future;
}

RuntimeStatus Runtime::status() const { return impl_->status(); }
transport::TcpStats Runtime::transport_stats() const { return impl_->transport_stats(); }
std::uint16_t Runtime::peer_port() const { return impl_->peer_port(); }
void Runtime::isolate(bool isolated) { impl_->isolate(isolated); }
void Runtime::stop() { impl_->stop(); }

}  // namespace raftkv
