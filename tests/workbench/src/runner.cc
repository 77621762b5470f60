#include "tests/workbench/src/runner.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>

#include "tests/workbench/src/reaper.h"

namespace workbench {
namespace {

// Wall-clock time (UTC, ms), to line workbench.log up with the nodes' own log stamps.
std::string wall_clock() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d UTC", tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

Runner::Runner(Options options, std::uint64_t seed, std::string store_dir)
    : o_(std::move(options)),
      seed_(seed),
      dir_(std::move(store_dir)),
      net_(o_.latency_dist, o_.latency_ms, Rng::derive(seed, 1)),
      workload_(make_workload(o_, Rng::derive(seed, 2), Rng::derive(seed, 3))),
      threads_(o_.concurrency),
      thread_state_(static_cast<std::size_t>(o_.concurrency)),
      nemesis_(o_.faults, o_.nemesis_interval_s, o_.nodes, Rng::derive(seed, 4)),
      stagger_(o_.rate, Rng::derive(seed, 5)),
      progress_(o_.progress, isatty(STDERR_FILENO) != 0),
      op_timeout_(std::max<std::int64_t>(10 * o_.latency_ms, 1000) * kMillis),
      init_timeout_(static_cast<Nanos>(o_.init_timeout_s * static_cast<double>(kSeconds))) {
  std::filesystem::create_directories(std::filesystem::path(dir_) / "node-logs");
  wlog_.open(std::filesystem::path(dir_) / "workbench.log");
  for (const auto& name : o_.nodes) {
    Node n;
    n.name = name;
    n.log.open(std::filesystem::path(dir_) / "node-logs" / (name + ".log"));
    nodes_.push_back(std::move(n));
  }
}

Runner::~Runner() {
  // Children die with their Child objects; this also covers early exits by exception.
  nodes_.clear();
}

void Runner::log(const std::string& line) {
  // One clock for the whole log, from the spawn of the nodes: init and workload events
  // stay in order and never get negative times.
  const double t = static_cast<double>(since_start(monotonic_now())) / kSeconds;
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%9.3f ", t);
  wlog_ << stamp << line << '\n';
  wlog_.flush();
}

RunResult Runner::run() {
  install_signal_handlers();
  result_.options = o_;
  result_.seed = seed_;
  result_.store_dir = dir_;
  for (const auto& s : Services::names()) net_.add(s);
  const Nanos spawn_start = monotonic_now();
  run_start_ = workload_start_ = spawn_start;
  log("seed " + std::to_string(seed_) + "; starting " + std::to_string(nodes_.size()) + " nodes of " + o_.bin +
      " at " + wall_clock());

  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    net_.add(nodes_[i].name);
    if (!spawn_node(i)) init_failed_ = true;
  }
  if (!init_failed_) {
    const Nanos now = monotonic_now();
    for (std::size_t i = 0; i < nodes_.size(); ++i) send_init(i, now);
    loop_until([&] { return inits_pending_ == 0; }, now + init_timeout_ + kSeconds);
  }
  // History time 0 is the start of the workload (Jepsen's); violations keep the log's clock.
  const Nanos init_done = monotonic_now();
  workload_start_ = init_done;
  result_.workload_offset = init_done - spawn_start;
  const bool all_answered = inits_pending_ == 0;
  for (auto it = clients_.begin(); it != clients_.end();) {
    if (it->second.init_node < 0) {
      ++it;
      continue;
    }
    net_.remove(it->first);
    it = clients_.erase(it);
  }
  inits_pending_ = 0;

  if (!init_failed_ && all_answered && !interrupted()) {
    result_.init_ok = true;
    log("all nodes initialised; running the workload (history time 0 is now, " + wall_clock() + ")");
    // Jepsen opens one client per node for setup and keeps them open: numbering stays Maelstrom's.
    for (const auto& n : o_.nodes) open_client(n);
    workload_running_ = true;
    cutoff_ = static_cast<Nanos>(o_.time_limit_s * static_cast<double>(kSeconds));
    // Every op due before the cutoff is issued, even if the loop wakes up after it.
    loop_until([&] { return rel(monotonic_now()) >= cutoff_ && !ops_due_before_cutoff() && !ops_in_flight(); },
               workload_start_ + cutoff_ + op_timeout_ + kSeconds);
    workload_running_ = false;
  }
  const Nanos end = monotonic_now();
  result_.workload_duration = std::max<Nanos>(0, rel(end));
  for (auto& f : result_.faults)
    if (!f.stopped) f.end = result_.workload_duration;
  progress_.finish();
  shutdown_nodes(end);
  result_.interrupted = interrupted();
  if (result_.interrupted) log("interrupted by signal " + std::to_string(interrupt_signal()));
  result_.net = net_.stats();
  result_.trace = net_.take_trace();
  result_.trace.rebase(workload_start_);
  stagger_.finish(std::min(cutoff_, result_.workload_duration));
  result_.delayed_ops = stagger_.delayed_ops();
  result_.delay = stagger_.delay();
  log("done");
  return std::move(result_);
}

void Runner::loop_until(const std::function<bool()>& done, Nanos hard_deadline) {
  while (!interrupted()) {
    const Nanos now = monotonic_now();
    on_timers(now);
    if (done() || now >= hard_deadline) return;
    poll_once(std::min(next_deadline(now), hard_deadline));
  }
}

void Runner::on_timers(Nanos now) {
  auto deliver_all = [&] { net_.pump(now, [&](NetMessage&& m) { return deliver(std::move(m), now); }); };
  deliver_all();
  expire_clients(now);
  if (workload_running_) {
    run_nemesis(now);
    issue_ops(now);
  }
  deliver_all();
  if (workload_running_) draw_progress(now);
}

Nanos Runner::next_deadline(Nanos now) const {
  Nanos best = now + kSeconds;  // wake at least once a second whatever happens
  auto consider = [&](std::optional<Nanos> t) {
    if (t) best = std::min(best, *t);
  };
  consider(net_.next_deadline());
  for (const auto& [name, c] : clients_)
    if (c.waiting_for) consider(c.deadline);
  if (workload_running_) {
    const Nanos limit = workload_start_ + cutoff_;
    consider(limit);
    if (auto t = nemesis_.next_time(); t && *t < cutoff_) consider(workload_start_ + *t);
    const bool any_free = std::any_of(thread_state_.begin(), thread_state_.end(), [](const auto& t) { return !t.busy; });
    if (any_free && o_.rate > 0) consider(workload_start_ + stagger_.next());
    if (o_.progress) consider(progress_.next_due());
  }
  return std::max(best, now);
}

void Runner::poll_once(Nanos deadline) {
  std::vector<pollfd> fds;
  std::vector<std::pair<std::size_t, int>> who;  // node index, which pipe (0 in, 1 out, 2 err)
  fds.push_back({wakeup_fd(), POLLIN, 0});
  who.emplace_back(SIZE_MAX, -1);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    if (!n.child) continue;
    if (n.child->stdout_fd() >= 0) fds.push_back({n.child->stdout_fd(), POLLIN, 0}), who.emplace_back(i, 1);
    if (n.child->stderr_fd() >= 0) fds.push_back({n.child->stderr_fd(), POLLIN, 0}), who.emplace_back(i, 2);
    if (n.child->stdin_fd() >= 0 && !n.pending_in.empty())
      fds.push_back({n.child->stdin_fd(), POLLOUT, 0}), who.emplace_back(i, 0);
  }
  const Nanos wait = std::max<Nanos>(0, deadline - monotonic_now());
  const int timeout_ms = static_cast<int>(std::min<Nanos>((wait + kMillis - 1) / kMillis, 1000));
  if (poll(fds.data(), fds.size(), timeout_ms) <= 0) return;
  const Nanos now = monotonic_now();
  for (std::size_t k = 0; k < fds.size(); ++k) {
    if (fds[k].revents == 0) continue;
    if (who[k].first == SIZE_MAX) {
      drain_wakeups();
      continue;
    }
    Node& n = nodes_[who[k].first];
    if (!n.child) continue;
    if (who[k].second == 1) read_stdout(n, now);
    else if (who[k].second == 2) read_stderr(n);
    else flush_stdin(n);
  }
  check_exits(now);
  net_.pump(now, [&](NetMessage&& m) { return deliver(std::move(m), now); });
}

void Runner::draw_progress(Nanos now) {
  ProgressSnapshot s;
  s.elapsed = rel(now);
  s.time_limit_s = o_.time_limit_s;
  s.invoked = invoked_;
  s.ok = ok_;
  s.fail = fail_;
  s.info = info_;
  s.fault = current_fault();
  progress_.draw(now, s);
}

}  // namespace workbench
