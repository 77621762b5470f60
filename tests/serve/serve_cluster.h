// Real `raft-kv serve` processes on loopback for end-to-end tests: free ports picked by the
// kernel, each node's stderr in a log file, kill -9 and restart, and an HTTP client.
// Tests poll for conditions with generous deadlines: no verdict depends on speed.
#pragma once

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/transport/eventually.h"

#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../transport/free_port.h"

namespace serve_test {

using json = nlohmann::json;
using namespace std::chrono_literals;

struct Reply {
  int status = 0;  // 0: no HTTP answer (connection refused, timeout)
  json body;
};

/// Each poll here is an HTTP request: every 20 ms, not every 5.
template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = 60s) {
  return raftkv::test::eventually(pred, limit, 20ms);
}

class ServeCluster {
 public:
  /// `foreign`: node indexes not started here, with the peer port something else owns
  /// (a fake peer of the test).
  ServeCluster(const std::string& binary, int n, std::vector<std::string> extra, const std::string& log_prefix,
               std::map<int, std::uint16_t> foreign = {})
      : binary_(binary), extra_(std::move(extra)), log_prefix_(log_prefix) {
    ::signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < n; ++i) {
      peer_ports_.push_back(foreign.contains(i) ? foreign.at(i) : testing_ports::free_port());
      http_ports_.push_back(testing_ports::free_port());
    }
    pids_.assign(static_cast<std::size_t>(n), -1);
    for (int i = 0; i < n; ++i) {
      if (!foreign.contains(i)) start(i);
    }
  }
  ~ServeCluster() {
    for (int i = 0; i < size(); ++i) kill(i);
  }

  [[nodiscard]] int size() const { return static_cast<int>(pids_.size()); }
  [[nodiscard]] std::uint16_t peer_port(int i) const { return peer_ports_[static_cast<std::size_t>(i)]; }
  [[nodiscard]] bool alive(int i) const { return pids_[static_cast<std::size_t>(i)] > 0; }
  [[nodiscard]] pid_t pid(int i) const { return pids_[static_cast<std::size_t>(i)]; }

  void start(int i) {
    std::string peers;
    for (int j = 0; j < size(); ++j) {
      peers += (j ? "," : "") + std::to_string(j + 1) + "=127.0.0.1:" + std::to_string(peer_ports_[static_cast<std::size_t>(j)]);
    }
    std::vector<std::string> args = {binary_, "serve", "--id", std::to_string(i + 1), "--peers", peers,
                                     "--http", "127.0.0.1:" + std::to_string(http_ports_[static_cast<std::size_t>(i)]),
                                     "--debug-endpoints", "--log-level", "info"};
    args.insert(args.end(), extra_.begin(), extra_.end());
    const std::string log = log_prefix_ + "." + std::to_string(i + 1) + ".log";
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) ::dup2(fd, 2);
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 0);
      ::dup2(null, 1);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary_.c_str(), argv.data());
      ::_exit(127);
    }
    pids_[static_cast<std::size_t>(i)] = pid;
  }

  /// SIGKILL: whatever the node had not made durable is gone.
  void kill(int i) {
    pid_t& pid = pids_[static_cast<std::size_t>(i)];
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    pid = -1;
  }

  Reply http(int i, const std::string& method, const std::string& path, const std::string& body = {}) const {
    httplib::Client c("127.0.0.1", http_ports_[static_cast<std::size_t>(i)]);
    c.set_connection_timeout(5s);
    c.set_read_timeout(30s);
    c.set_write_timeout(30s);
    httplib::Result r = method == "GET"    ? c.Get(path)
                        : method == "PUT"  ? c.Put(path, body, "application/json")
                        : method == "POST" ? c.Post(path, body, "application/json")
                        : method == "PATCH" ? c.Patch(path, body, "application/json")
                                            : c.Delete(path);
    if (!r) return {};
    return Reply{r->status, json::parse(r->body, nullptr, false)};
  }

  std::optional<json> status(int i) const {
    const Reply r = http(i, "GET", "/status");
    if (r.status != 200) return std::nullopt;
    return r.body;
  }

  /// The node (0-based) that reports itself leader, once one does (among live nodes).
  std::optional<int> wait_for_leader(std::chrono::seconds limit = 60s) const {
    std::optional<int> leader;
    eventually([&] {
      for (int i = 0; i < size(); ++i) {
        if (!alive(i)) continue;
        if (auto s = status(i); s && (*s)["role"] == "leader") {
          leader = i;
          return true;
        }
      }
      return false;
    }, limit);
    return leader;
  }

 private:
  std::string binary_;
  std::vector<std::string> extra_;
  std::string log_prefix_;
  std::vector<std::uint16_t> peer_ports_, http_ports_;
  std::vector<pid_t> pids_;
};

}  // namespace serve_test
