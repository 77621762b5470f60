// A tiny in-test Maelstrom: spawns N node processes, sends init, routes every line they
// print (node to node instantly; to the client into an inbox), and checks each line is a
// well-formed envelope. Enough for end-to-end tests of a real binary; the full harness
// with latency, partitions and checking is tests/workbench.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kv::test {

using json = nlohmann::json;

class ProcessCluster {
 public:
  /// `stderr_file`: if set, every node's stderr is appended there (else inherited).
  ProcessCluster(const std::string& binary, int n, std::vector<std::string> args = {},
                 std::string stderr_file = {})
      : binary_(binary), args_(std::move(args)), stderr_file_(std::move(stderr_file)) {
    ::signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < n; ++i) names_.push_back("n" + std::to_string(i));
    procs_.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) spawn(i);
    for (int i = 0; i < n; ++i) send_init(i);
    for (int i = 0; i < n; ++i) expect_init_ok();
  }

  ~ProcessCluster() {
    for (int i = 0; i < static_cast<int>(procs_.size()); ++i) kill(i);
  }

  /// SIGKILLs node i (a crash: whatever it had not made durable is gone).
  void kill(int i) {
    Proc& p = procs_[static_cast<std::size_t>(i)];
    if (!p.alive) return;
    ::kill(p.pid, SIGKILL);
    ::waitpid(p.pid, nullptr, 0);
    ::close(p.in);
    ::close(p.out);
    p.alive = false;
  }

  /// Starts node i again with the same arguments and initialises it.
  void restart(int i) {
    kill(i);
    spawn(i);
    send_init(i);
    expect_init_ok();
  }

  /// Sends a client request without waiting; returns its msg_id.
  /// Messages between node `i` and the other nodes are dropped until heal() (clients
  /// still reach it).
  void isolate(int i) { isolated_.push_back(i); }
  void heal() { isolated_.clear(); }

  int send_request(int node, const std::string& client, json body) {
    const int msg_id = next_msg_id_++;
    body["msg_id"] = msg_id;
    send_line(node, json{{"src", client}, {"dest", names_[static_cast<std::size_t>(node)]}, {"body", body}});
    return msg_id;
  }

  [[nodiscard]] const std::vector<std::string>& names() const { return names_; }
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

  /// Sends a client request to node i and waits for the reply (nullopt on timeout).
  std::optional<json> request(int node, const std::string& client, json body,
                              std::chrono::milliseconds timeout) {
    const int msg_id = send_request(node, client, std::move(body));
    return await_reply(client, msg_id, timeout);
  }

  std::optional<json> await_reply(const std::string& client, int msg_id,
                                  std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
        if ((*it)["dest"] == client && (*it)["body"].value("in_reply_to", -1) == msg_id) {
          json m = *it;
          inbox_.erase(it);
          return m;
        }
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pump(std::min(left, std::chrono::milliseconds(50)));
    }
  }

 private:
  struct Proc {
    pid_t pid = -1;
    int in = -1, out = -1;
    std::string buffer;
    bool alive = false;
  };

  void send_init(int i) {
    send_line(i, json{{"src", "c0"}, {"dest", names_[static_cast<std::size_t>(i)]},
                      {"body", {{"type", "init"}, {"msg_id", 1}, {"node_id", names_[static_cast<std::size_t>(i)]},
                                {"node_ids", names_}}}});
  }

  void expect_init_ok() {
    auto reply = await_reply("c0", 1, std::chrono::seconds(10));
    if (!reply || (*reply)["body"]["type"] != "init_ok") {
      throw std::runtime_error("a node did not answer init");
    }
  }

  void spawn(int slot) {
    const std::string& binary = binary_;
    const std::vector<std::string>& args = args_;
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe failed");
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      if (!stderr_file_.empty()) {
        const int err = ::open(stderr_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (err >= 0) ::dup2(err, 2);
      }
      std::vector<char*> argv{const_cast<char*>(binary.c_str())};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    procs_[static_cast<std::size_t>(slot)] = Proc{pid, in[1], out[0], {}, true};
  }

  void send_line(int node, const json& msg) {
    if (!procs_[static_cast<std::size_t>(node)].alive) return;  // lost, as to a crashed node
    std::string line = msg.dump() + "\n";
    std::string_view data = line;
    while (!data.empty()) {
      const ssize_t n = ::write(procs_[node].in, data.data(), data.size());
      if (n <= 0) throw std::runtime_error("write to node failed");
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void check_envelope(int node, const json& m, const std::string& line) {
    auto problem = [&](const std::string& why) {
      problems_.push_back(names_[node] + ": " + why + ": " + line);
    };
    if (!m.is_object()) return problem("not an object");
    for (const auto& [k, v] : m.items()) {
      if (k != "src" && k != "dest" && k != "body" && k != "id") problem("extra key " + k);
    }
    if (!m.contains("src") || m["src"] != names_[node]) problem("wrong src");
    if (!m.contains("dest") || !m["dest"].is_string()) return problem("no dest");
    if (!m.contains("body") || !m["body"].is_object() || !m["body"].contains("type") ||
        !m["body"]["type"].is_string()) {
      problem("body without a string type");
    }
  }

  /// Reads whatever the nodes printed within `budget` and routes it.
  void pump(std::chrono::milliseconds budget) {
    std::vector<pollfd> fds;
    for (auto& p : procs_) fds.push_back(pollfd{p.alive ? p.out : -1, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), static_cast<int>(budget.count())) <= 0) return;
    for (std::size_t i = 0; i < procs_.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char chunk[65536];
      const ssize_t n = ::read(procs_[i].out, chunk, sizeof chunk);
      if (n <= 0) {
        problems_.push_back(names_[i] + ": stdout closed (node exited?)");
        continue;
      }
      procs_[i].buffer.append(chunk, static_cast<std::size_t>(n));
      for (auto nl = procs_[i].buffer.find('\n'); nl != std::string::npos;
           nl = procs_[i].buffer.find('\n')) {
        std::string line = procs_[i].buffer.substr(0, nl);
        procs_[i].buffer.erase(0, nl + 1);
        route(static_cast<int>(i), line);
      }
    }
  }

  void route(int from, const std::string& line) {
    json m = json::parse(line, nullptr, false);
    if (m.is_discarded()) {
      problems_.push_back(names_[from] + ": not JSON: " + line);
      return;
    }
    check_envelope(from, m, line);
    const std::string dest = m.value("dest", "");
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == dest) {
        if (cut(from, static_cast<int>(i))) return;
        send_line(static_cast<int>(i), m);
        return;
      }
    }
    if (!dest.empty() && dest[0] == 'c') {
      inbox_.push_back(m);
      return;
    }
    problems_.push_back(names_[from] + ": unknown dest: " + line);
  }

  [[nodiscard]] bool cut(int a, int b) const {
    for (int i : isolated_) {
      if ((i == a) != (i == b)) return true;
    }
    return false;
  }

  std::vector<int> isolated_;
  std::string binary_;
  std::vector<std::string> args_;
  std::string stderr_file_;
  std::vector<std::string> names_;
  std::vector<Proc> procs_;
  std::deque<json> inbox_;
  std::vector<std::string> problems_;
  int next_msg_id_ = 1000;
};

}  // namespace kv::test
