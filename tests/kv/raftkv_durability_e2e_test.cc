// End to end, with --data-dir: three real raft-kv processes under write load, SIGKILLed
// one at a time and all at once, restarted from their data directories. No write that was
// acknowledged may ever be lost.
//
// Load: each round, every key gets one write from its own client, all in flight at once,
// each to a random node; a kill lands while they are in flight. A key's values only grow
// (round r writes r), so "no acknowledged write lost" reads: a later read of the key
// returns at least the last acknowledged value, and only a value that was written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <thread>
#include <map>
#include <random>
#include <set>

#include "process_cluster.h"

#ifndef RAFT_KV_BIN
#error "RAFT_KV_BIN must name the raft-kv executable"
#endif

namespace kv::test {
namespace {

using namespace std::chrono_literals;

constexpr int kNodes = 3;
constexpr int kKeys = 8;

class DataDir {
 public:
  explicit DataDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("raftkv-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
  }
  ~DataDir() { std::filesystem::remove_all(path_); }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Tracker {
  std::map<int, int> acked;                // key -> highest acknowledged value
  std::map<int, std::set<int>> written;    // key -> every value ever sent
  int acknowledged = 0;
};

/// One round: a write per key in flight at once; `fault` runs while they are in flight.
void write_round(ProcessCluster& c, std::mt19937_64& rng, int round, Tracker& t,
                 const std::function<void()>& fault, int nodes = kNodes) {
  std::vector<std::pair<int, int>> pending;  // (key, msg_id)
  for (int key = 0; key < kKeys; ++key) {
    const int node = static_cast<int>(rng() % static_cast<std::uint64_t>(nodes));
    t.written[key].insert(round);
    pending.emplace_back(key, c.send_request(node, "c" + std::to_string(key + 1),
                                             {{"type", "write"}, {"key", key}, {"value", round}}));
  }
  fault();
  // One deadline for the round: replies lost with a killed node cost 3 s once, not each.
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  for (auto [key, id] : pending) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto reply = c.await_reply("c" + std::to_string(key + 1), id, std::max(left, 1ms));
    if (reply && (*reply)["body"]["type"] == "write_ok") {
      t.acked[key] = std::max(t.acked[key], round);
      ++t.acknowledged;
    }
  }
}

/// Reads every key (retrying until a node answers) and checks nothing acknowledged is gone.
void check_reads(ProcessCluster& c, std::mt19937_64& rng, const Tracker& t, const std::string& when) {
  for (int key = 0; key < kKeys; ++key) {
    std::optional<json> answer;
    for (int attempt = 0; attempt < 60 && !answer; ++attempt) {
      auto reply = c.request(static_cast<int>(rng() % kNodes), "c99", {{"type", "read"}, {"key", key}}, 2s);
      if (!reply) continue;
      const json& b = (*reply)["body"];
      if (b["type"] == "read_ok" || (b["type"] == "error" && b["code"] == 20)) answer = b;
    }
    ASSERT_TRUE(answer) << when << ": key " << key << " never became readable";
    auto acked = t.acked.find(key);
    if ((*answer)["type"] == "error") {
      EXPECT_EQ(acked, t.acked.end()) << when << ": key " << key << " is missing although "
                                      << acked->second << " was acknowledged";
      continue;
    }
    const int v = (*answer)["value"];
    if (acked != t.acked.end()) {
      EXPECT_GE(v, acked->second) << when << ": key " << key << " lost acknowledged value "
                                  << acked->second;
    }
    EXPECT_TRUE(t.written.at(key).contains(v)) << when << ": key " << key << " reads " << v
                                                << ", a value never written";
  }
}

std::size_t count_files(const std::string& dir, const std::string& suffix) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    n += e.path().string().ends_with(suffix);
  }
  return n;
}

void run_kill_test(const std::string& name, bool all_at_once,
                   std::vector<std::string> extra_args = {}) {
  DataDir dir(name);
  std::vector<std::string> args = {"--data-dir", dir.path(), "--election-timeout-ms", "150",
                                   "--heartbeat-ms", "30"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  ProcessCluster c(RAFT_KV_BIN, kNodes, args);
  const std::uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  Tracker t;
  int round = 0;
  for (int kill = 0; kill < 6; ++kill) {
    for (int r = 0; r < 3; ++r) write_round(c, rng, ++round, t, [] {});
    write_round(c, rng, ++round, t, [&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 5));
      if (all_at_once) {
        for (int n = 0; n < kNodes; ++n) c.kill(n);
        for (int n = 0; n < kNodes; ++n) c.restart(n);
      } else {
        const int victim = static_cast<int>(rng() % kNodes);
        c.kill(victim);
        c.restart(victim);
      }
    });
    check_reads(c, rng, t, "after kill " + std::to_string(kill + 1));
  }
  EXPECT_GT(t.acknowledged, kKeys * 6) << "the cluster must have served writes between kills";
  EXPECT_TRUE(c.problems().empty()) << c.problems().front();
  if (!extra_args.empty()) {
    EXPECT_GE(count_files(dir.path(), ".snap"), 1u) << "the nodes compacted their logs";
  }
}

TEST(RaftKvDurability, NoAcknowledgedWriteIsLostWhenNodesAreKilledOneAtATime) {
  run_kill_test("kill-one", false);
}

TEST(RaftKvDurability, NoAcknowledgedWriteIsLostWhenEveryNodeIsKilledAtOnce) {
  run_kill_test("kill-all", true);
}

// Compaction every 20 entries: kills land before, during and after snapshot files are
// written and segments deleted; restarts come back from snapshot + log tail (§7).
TEST(RaftKvDurability, NoAcknowledgedWriteIsLostWhenNodesAreKilledAcrossCompactions) {
  run_kill_test("kill-compact", false, {"--snapshot-entries", "20"});
}

// Without --data-dir, the same schedule loses writes: proof the test can fail.
TEST(RaftKvDurability, WithoutADataDirectoryKillingEveryNodeLosesTheData) {
  ProcessCluster c(RAFT_KV_BIN, kNodes, {"--election-timeout-ms", "150", "--heartbeat-ms", "30"});
  std::mt19937_64 rng(1);
  Tracker t;
  write_round(c, rng, 1, t, [] {});
  ASSERT_GT(t.acknowledged, 0);
  for (int n = 0; n < kNodes; ++n) c.kill(n);
  for (int n = 0; n < kNodes; ++n) c.restart(n);
  int missing = 0;
  for (int key = 0; key < kKeys; ++key) {
    for (int attempt = 0; attempt < 60; ++attempt) {
      auto reply = c.request(0, "c99", {{"type", "read"}, {"key", key}}, 2s);
      if (!reply) continue;
      const json& b = (*reply)["body"];
      if (b["type"] == "error" && b["code"] == 20) ++missing;
      if (b["type"] == "read_ok" || (b["type"] == "error" && b["code"] == 20)) break;
    }
  }
  EXPECT_EQ(missing, kKeys) << "in memory, a restart of every node forgets everything";
}

// A damaged log stops the node with the file and offset instead of serving from it.
TEST(RaftKvDurability, ADamagedLogStopsTheNodeWithTheFileAndOffset) {
  DataDir dir("damaged");
  {
    ProcessCluster c(RAFT_KV_BIN, 1, {"--data-dir", dir.path()});
    std::mt19937_64 rng(2);
    Tracker t;
    for (int r = 1; r <= 4; ++r) write_round(c, rng, r, t, [] {}, 1);
    ASSERT_GE(t.acknowledged, 2 * kKeys);
  }
  const std::string seg = dir.path() + "/n0/0000000000000001.wal";
  ASSERT_TRUE(std::filesystem::exists(seg));
  {
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);  // inside the first batch record, well before the last one
    f.put('\x7f');
  }
  const std::string log = dir.path() + "/stderr.log";
  EXPECT_THROW(ProcessCluster(RAFT_KV_BIN, 1, {"--data-dir", dir.path()}, log), std::runtime_error)
      << "the node must not answer init over a damaged log";
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("cannot open the data directory"), std::string::npos) << text;
  EXPECT_NE(text.find(seg + " at offset "), std::string::npos) << text;
}

}  // namespace
}  // namespace kv::test
