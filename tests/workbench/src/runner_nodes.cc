// The runner's side of the node processes: spawning, pipes, validating what they print,
// delivering what the network hands them, and noticing when they die.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "tests/workbench/src/reaper.h"
#include "tests/workbench/src/runner.h"
#include "tests/workbench/src/validate.h"

namespace workbench {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kReadsPerWakeup = 16;  // keeps one chatty node from starving the others
constexpr std::size_t kKeptStderrLines = 8;

std::string truncate(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  return std::string(s.substr(0, max)) + "...";
}

}  // namespace

std::size_t Runner::node_index(const std::string& name) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) return i;
  return SIZE_MAX;
}

bool Runner::spawn_node(std::size_t i) {
  Node& n = nodes_[i];
  SpawnSpec spec{o_.bin, o_.node_args, std::filesystem::temp_directory_path().string()};
  auto spawned = Child::spawn(spec);
  if (auto* err = std::get_if<std::string>(&spawned)) {
    violation(n.name, "", "could not start: " + *err, monotonic_now());
    return false;
  }
  n.child.emplace(std::move(std::get<Child>(spawned)));
  n.out = LineBuffer(kMaxLine);
  n.err = LineBuffer(kMaxLine);
  n.pending_in.clear();
  n.reader_broken = false;
  n.exit_reported = false;
  n.killed_by_us = false;
  n.up = true;
  log("started " + n.name + " (pid " + std::to_string(n.child->pid()) + ")");
  return true;
}

void Runner::violation(const std::string& node, std::string_view line, const std::string& reason, Nanos now) {
  result_.violations.push_back({since_start(now), node, truncate(line, 1000), reason});
  log("VIOLATION by " + node + ": " + reason + (line.empty() ? "" : " -- line: " + truncate(line, 300)));
  if (result_.violations.size() <= 5) {
    progress_.finish();
    std::fprintf(stderr, "workbench: %s: %s\n", node.c_str(), reason.c_str());
  }
}

void Runner::read_stdout(Node& n, Nanos now) {
  char buf[kReadChunk];
  for (std::size_t k = 0; k < kReadsPerWakeup && n.child && n.child->stdout_fd() >= 0; ++k) {
    const ssize_t r = read(n.child->stdout_fd(), buf, sizeof buf);
    if (r > 0) {
      n.out.feed(
          std::string_view(buf, static_cast<std::size_t>(r)), [&](std::string_view line) { handle_line(n, line, now); },
          [&](std::string_view prefix) {
            if (n.reader_broken) return;
            violation(n.name, prefix, "a stdout line longer than " + std::to_string(kMaxLine) + " bytes", now);
            n.reader_broken = true;
          });
      continue;
    }
    if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n.out.pending() > 0 && n.killed_by_us)
      log(n.name + ": discarded " + std::to_string(n.out.pending()) + " bytes of a stdout line cut off by our SIGKILL");
    else if (n.out.pending() > 0)
      log(n.name + " closed stdout after an unterminated line; Maelstrom never sees it");
    n.child->close_stdout();
  }
}

void Runner::read_stderr(Node& n) {
  char buf[kReadChunk];
  for (std::size_t k = 0; k < kReadsPerWakeup && n.child && n.child->stderr_fd() >= 0; ++k) {
    const ssize_t r = read(n.child->stderr_fd(), buf, sizeof buf);
    if (r > 0) {
      n.err.feed(
          std::string_view(buf, static_cast<std::size_t>(r)),
          [&](std::string_view line) {
            n.log << line << '\n';
            n.last_err.emplace_back(truncate(line, 300));
            if (n.last_err.size() > kKeptStderrLines) n.last_err.pop_front();
            if (o_.log_stderr) std::fprintf(stderr, "%s: %.*s\n", n.name.c_str(), static_cast<int>(line.size()), line.data());
          },
          [&](std::string_view prefix) { n.log << prefix << "... [line longer than 1 MiB cut]\n"; });
      continue;
    }
    if (r < 0 && (errno == EAGAIN || errno == EINTR)) break;
    n.child->close_stderr();
    break;
  }
  n.log.flush();
}

void Runner::flush_stdin(Node& n) {
  while (n.child && n.child->stdin_fd() >= 0 && !n.pending_in.empty()) {
    const ssize_t w = write(n.child->stdin_fd(), n.pending_in.data(), n.pending_in.size());
    if (w > 0) {
      n.pending_in.erase(0, static_cast<std::size_t>(w));
      continue;
    }
    if (w < 0 && (errno == EAGAIN || errno == EINTR)) return;  // poll() tells us when to go on
    n.pending_in.clear();                                     // EPIPE: the node is gone
    n.child->close_stdin();
  }
}

void Runner::handle_line(Node& n, std::string_view line, Nanos now) {
  if (n.reader_broken) return;  // Maelstrom's reader for this node died at its first bad line
  LineCheck c = check_line(line, [&](const std::string& name) { return net_.known(name); });
  if (!c.message) {
    violation(n.name, line, c.error, now);
    n.reader_broken = true;
    return;
  }
  Envelope& e = *c.message;
  std::string defect;
  if (is_client_name(e.dest)) {
    defect = check_client_reply(o_.workload, e.body);
    if (!defect.empty()) violation(n.name, line, defect, now);
  }
  if (o_.log_net_send) std::fprintf(stderr, "send %s\n", std::string(line).c_str());
  net_.send(e.src, e.dest, std::move(e.body), now, std::move(defect));
}

bool Runner::deliver(NetMessage&& m, Nanos now) {
  if (o_.log_net_recv) std::fprintf(stderr, "recv %s\n", Network::wire(m).c_str());
  if (auto c = clients_.find(m.dest); c != clients_.end()) {
    on_client_message(c->second, std::move(m), now);
    return true;
  }
  const std::size_t i = node_index(m.dest);
  if (i == SIZE_MAX) {
    // A service, or one of Jepsen's idle setup clients (which nobody reads).
    if (is_client_name(m.dest)) return true;
    if (auto reply = services_.handle(m.dest, m.body)) net_.send(m.dest, m.src, std::move(*reply), now);
    else log("service " + m.dest + " ignored a request it does not know: " + m.body.dump());
    return true;
  }
  Node& n = nodes_[i];
  if (!n.up || !n.child) return false;  // killed: whatever was on its way is lost
  n.pending_in += Network::wire(m);
  n.pending_in += '\n';
  flush_stdin(n);
  return true;
}

void Runner::drain_dead(Node& n, Nanos now) {
  // What a dead node wrote before dying is still in the pipes: it counts.
  // Bounded: a grandchild outside the group could keep a pipe open forever.
  if (!n.child) return;
  for (int k = 0; k < 64 && n.child && n.child->stdout_fd() >= 0; ++k) read_stdout(n, now);
  for (int k = 0; k < 64 && n.child && n.child->stderr_fd() >= 0; ++k) read_stderr(n);
  if (!n.child) return;
  n.child->close_stdout();
  n.child->close_stderr();
}

void Runner::check_exits(Nanos now) {
  if (interrupted()) return;  // our signal handler killed them: not a crash
  for (auto& n : nodes_) {
    if (!n.child || !n.up || n.exit_reported) continue;
    auto status = n.child->poll_exit();
    if (!status) continue;
    n.exit_reported = true;
    n.up = false;
    drain_dead(n, now);
    std::string reason = "exited on its own (" + describe_wait_status(*status) + "); a node must run until killed";
    if (!n.last_err.empty()) {
      reason += ". Its last stderr lines:";
      for (const auto& l : n.last_err) reason += "\n  " + l;
    }
    violation(n.name, "", reason, now);
    net_.clear_inbox(n.name);
  }
}

void Runner::kill_node(std::size_t i, Nanos now) {
  Node& n = nodes_[i];
  if (n.child) {
    n.exit_reported = true;  // our doing, not a crash
    n.killed_by_us = true;
    n.child->kill_and_reap();
    drain_dead(n, now);
    n.child.reset();
  }
  n.up = false;
  n.pending_in.clear();
  net_.clear_inbox(n.name);
  n.log << "=== workbench: killed (SIGKILL) ===" << std::endl;
  log("killed " + n.name);
}

void Runner::shutdown_nodes(Nanos now) {
  check_exits(now);  // a node that died before the end crashed, as Maelstrom's teardown reports
  for (auto& n : nodes_) {
    if (!n.child) continue;
    n.exit_reported = true;
    n.killed_by_us = true;
    n.child->kill_and_reap();
    drain_dead(n, now);
    n.child.reset();
    n.up = false;
    n.log.flush();
  }
  log("killed every node");
}

}  // namespace workbench
