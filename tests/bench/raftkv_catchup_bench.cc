// raftkv_catchup_bench: how long a raft-kv node cut off from the others for a while
// takes to catch up once the partition heals -- with the log compacted meanwhile, through
// InstallSnapshot. Three real raft-kv processes behind the in-test router
// (tests/kv/process_cluster.h); node n2 is isolated while writes go to the others, then
// healed, and the bench measures the time until n2 serves a read of the last write (a
// read at n2 is served once n2 has applied up to the leader's commit index: caught up).
// Prints figures; never a timed assertion.
//
//   build/bin/raftkv_catchup_bench [--isolate-s 60] [--snapshot-entries 10000] [--keys 1000]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/kv/process_cluster.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Options {
  int isolate_s = 60;
  int snapshot_entries = 10000;
  int keys = 1000;
};

// Keeps `window` writes in flight to nodes 0 and 1 for `seconds`; returns how many were
// acknowledged.
long write_load(kv::test::ProcessCluster& c, const Options& o, double seconds, int& value) {
  const auto start = Clock::now();
  long acked = 0;
  std::vector<std::pair<std::string, int>> pending;
  int client = 0;
  while (since(start) < seconds) {
    for (int i = 0; i < 64; ++i) {
      const std::string name = "c" + std::to_string(1 + client++ % 32);
      const int key = value % o.keys;
      pending.emplace_back(name, c.send_request(value % 2, name,
                                                {{"type", "write"}, {"key", key}, {"value", value}}));
      ++value;
    }
    for (auto& [name, id] : pending) {
      auto r = c.await_reply(name, id, 2s);
      if (r && (*r)["body"]["type"] == "write_ok") ++acked;
    }
    pending.clear();
  }
  return acked;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--isolate-s") == 0) o.isolate_s = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--snapshot-entries") == 0) o.snapshot_entries = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--keys") == 0) o.keys = std::atoi(argv[i + 1]);
  }
  const std::string log = "/tmp/raftkv_catchup_bench." + std::to_string(::getpid()) + ".log";
  kv::test::ProcessCluster c(RAFT_KV_BIN, 3,
                             {"--snapshot-entries", std::to_string(o.snapshot_entries),
                              "--log-level", "info"},
                             log);
  int value = 0;
  write_load(c, o, 2, value);  // a leader, and some history
  c.isolate(2);
  const long acked = write_load(c, o, o.isolate_s, value);
  const int last = value - 1;
  // The marker: written after the isolation, read at the healed node.
  const int key = last % o.keys;
  c.heal();
  const auto healed = Clock::now();
  double caught_up = -1;
  while (since(healed) < 60) {
    auto r = c.request(2, "c99", {{"type", "read"}, {"key", key}}, 1s);
    if (r && (*r)["body"]["type"] == "read_ok" && (*r)["body"]["value"] == last) {
      caught_up = since(healed);
      break;
    }
  }
  std::ifstream in(log);
  std::string line, install;
  while (std::getline(in, line)) {
    if (line.find("installing the snapshot") != std::string::npos) install = line;
  }
  std::printf("raftkv_catchup_bench: 3 nodes, --snapshot-entries %d, %d keys; n2 isolated %d s "
              "while %ld writes were acknowledged\n",
              o.snapshot_entries, o.keys, o.isolate_s, acked);
  if (caught_up < 0) {
    std::printf("n2 did not catch up within 60 s\n");
  } else {
    std::printf("n2 served the last write %.3f s after the heal\n", caught_up);
  }
  std::printf("%s\n", install.empty() ? "(no snapshot installed: caught up from the log)"
                                      : ("n2 log: " + install.substr(0, 200)).c_str());
  for (const std::string& p : c.problems()) std::printf("problem: %s\n", p.c_str());
  std::remove(log.c_str());
  return caught_up < 0 ? 1 : 0;
}
