// A benchmark shaped like NuRaft's raft_bench: 3 server processes on 127.0.0.1 talking TCP
// (transport/tcp_transport.h), N client threads in the leader's process proposing
// `payload`-byte commands through raftkv::Runtime and waiting for each to be applied.
// Prints ops/s and the commit latency percentiles (propose -> applied on the leader).
//
//   raftkv_tcp_bench [--clients 1,16,128] [--payload 256] [--seconds 10] [--warmup 1]
//                    [--data-dir DIR]    (the write-ahead log; default: in memory)
//
// This process is node 1 and campaigns first (the others are given a long election
// timeout, so it leads); nodes 2 and 3 are this same binary re-executed with --server.
// Figures and the machine they came from: docs/performance.md.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "transport/runtime.h"
#include "tests/transport/free_port.h"

namespace {

using Clock = std::chrono::steady_clock;

/// Like raft_bench's state machine: counts the commands and keeps the last one; its
/// snapshot is that count (the payload's cost is in the log and on the wire).
class BenchMachine final : public raft::StateMachine {
 public:
  std::string apply(std::string_view command) override {
    ++applied_;
    last_size_ = command.size();
    return {};
  }
  [[nodiscard]] std::string query(std::string_view) const override { return std::to_string(applied_); }
  [[nodiscard]] std::string snapshot() const override { return std::to_string(applied_); }
  [[nodiscard]] std::string restore(std::string_view data) override {
    applied_ = std::strtoull(std::string(data).c_str(), nullptr, 10);
    return {};
  }

 private:
  std::uint64_t applied_ = 0;
  std::size_t last_size_ = 0;
};

struct Args {
  std::vector<int> clients = {1, 16, 128};
  std::size_t payload = 256;
  double seconds = 10;
  double warmup = 1;
  std::string data_dir;
  // --server mode (nodes 2 and 3)
  int server_id = 0;
  std::vector<std::uint16_t> ports;
};

std::vector<int> parse_list(const std::string& s) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t comma = std::min(s.find(',', pos), s.size());
    out.push_back(std::atoi(s.substr(pos, comma - pos).c_str()));
    pos = comma + 1;
  }
  return out;
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--clients") a.clients = parse_list(v);
    else if (k == "--payload") a.payload = static_cast<std::size_t>(std::atol(v.c_str()));
    else if (k == "--seconds") a.seconds = std::atof(v.c_str());
    else if (k == "--warmup") a.warmup = std::atof(v.c_str());
    else if (k == "--data-dir") a.data_dir = v;
    else if (k == "--server") a.server_id = std::atoi(v.c_str());
    else if (k == "--ports") for (int p : parse_list(v)) a.ports.push_back(static_cast<std::uint16_t>(p));
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

raftkv::RuntimeConfig config(const Args& a, int id) {
  raftkv::RuntimeConfig c;
  c.id = raft::NodeId{static_cast<std::uint64_t>(id)};
  for (std::size_t i = 0; i < a.ports.size(); ++i) c.peers[raft::NodeId{i + 1}] = {"127.0.0.1", a.ports[i]};
  c.data_dir = a.data_dir;
  c.election_ticks = id == 1 ? 20 : 1000;  // node 1 campaigns first and leads
  c.snapshot_entries = 100000;
  c.request_timeout = std::chrono::milliseconds(30000);
  return c;
}

int run_server(const Args& a) {
  BenchMachine machine;
  auto rt = raftkv::Runtime::start(config(a, a.server_id), machine);
  if (!rt) {
    std::fprintf(stderr, "server %d: %s\n", a.server_id, rt.error().c_str());
    return 1;
  }
  for (;;) pause();  // until the parent kills us
}

struct Round {
  double ops_per_s = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0;
  std::uint64_t failed = 0;
};

Round measure(raftkv::Runtime& rt, int clients, const Args& a) {
  const std::string value(a.payload, 'x');
  std::atomic<bool> stop{false};
  std::atomic<bool> counting{false};
  std::atomic<std::uint64_t> failed{0};
  std::vector<std::vector<double>> lat(static_cast<std::size_t>(clients));
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint64_t n = 0; !stop; ++n) {
        const auto start = Clock::now();
        const raftkv::Outcome o = rt.propose(value).get();
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (!counting) continue;
        if (!o.ok()) ++failed;
        lat[static_cast<std::size_t>(t)].push_back(ms);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(a.warmup));
  counting = true;
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(a.seconds));
  counting = false;
  const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  stop = true;
  for (auto& th : threads) th.join();
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  Round r;
  r.failed = failed;
  if (all.empty()) return r;
  const auto pct = [&](double p) { return all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))]; };
  r.ops_per_s = static_cast<double>(all.size()) / elapsed;
  r.p50_ms = pct(0.50);
  r.p99_ms = pct(0.99);
  r.p999_ms = pct(0.999);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  Args a = parse(argc, argv);
  spdlog::set_default_logger(spdlog::stderr_color_mt("bench"));  // stdout is for figures
  spdlog::set_level(spdlog::level::warn);
  if (a.server_id != 0) return run_server(a);
  for (int i = 0; i < 3; ++i) a.ports.push_back(testing_ports::free_port());
  std::string ports;
  for (auto p : a.ports) ports += (ports.empty() ? "" : ",") + std::to_string(p);
  if (!a.data_dir.empty()) std::filesystem::remove_all(a.data_dir);
  std::vector<pid_t> servers;
  for (int id = 2; id <= 3; ++id) {
    const pid_t pid = fork();
    if (pid == 0) {
      std::vector<std::string> args = {argv[0], "--server", std::to_string(id), "--ports", ports};
      if (!a.data_dir.empty()) args.insert(args.end(), {"--data-dir", a.data_dir});
      std::vector<char*> cargs;
      for (auto& s : args) cargs.push_back(s.data());
      cargs.push_back(nullptr);
      execv("/proc/self/exe", cargs.data());
      _exit(127);
    }
    servers.push_back(pid);
  }
  BenchMachine machine;
  auto rt = raftkv::Runtime::start(config(a, 1), machine);
  if (!rt) {
    std::fprintf(stderr, "node 1: %s\n", rt.error().c_str());
    return 1;
  }
  while ((*rt)->status().role != raft::Role::kLeader) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::printf("raftkv_tcp_bench: 3 nodes on 127.0.0.1, %zu-byte payloads, %s, %.0f s per round\n", a.payload,
              a.data_dir.empty() ? "in-memory log" : ("write-ahead log in " + a.data_dir).c_str(), a.seconds);
  std::printf("%8s %12s %10s %10s %10s %8s\n", "clients", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "failed");
  for (int clients : a.clients) {
    const Round r = measure(**rt, clients, a);
    std::printf("%8d %12.0f %10.3f %10.3f %10.3f %8llu\n", clients, r.ops_per_s, r.p50_ms, r.p99_ms, r.p999_ms,
                static_cast<unsigned long long>(r.failed));
    std::fflush(stdout);
  }
  const auto s = (*rt)->transport_stats();
  std::printf("leader transport: %llu frames in %llu writes (%.1f frames/write)\n",
              static_cast<unsigned long long>(s.frames_sent), static_cast<unsigned long long>(s.writes),
              s.writes ? static_cast<double>(s.frames_sent) / static_cast<double>(s.writes) : 0.0);
  (*rt)->stop();
  for (pid_t pid : servers) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  if (!a.data_dir.empty()) std::filesystem::remove_all(a.data_dir);
  return 0;
}
