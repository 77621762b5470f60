// End-to-end tests of `raft-kv serve`: real processes on loopback talking TCP to each
// other and HTTP to the test. Leader killed under load, partitions, garbage on a peer
// socket, a peer that never reads, bad HTTP input. Every wait is a poll with a generous
// deadline; the verdicts are about what was acknowledged, never about speed.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <poll.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>

#include "serve_cluster.h"

namespace {

using serve_test::eventually;
using serve_test::json;
using serve_test::Reply;
using serve_test::ServeCluster;
using namespace std::chrono_literals;

std::string log_prefix(const char* test) { return std::string(RAFTKV_TEST_LOG_DIR) + "/serve_e2e." + test; }

std::string value_body(const json& v) { return json{{"value", v}}.dump(); }

/// Keeps writing unique keys through every live node until told to stop; remembers which
/// writes were acknowledged (200) -- those must never be lost.
class Writers {
 public:
  Writers(ServeCluster& c, int threads) : c_(c) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, t] {
        for (int n = 0; !stop_; ++n) {
          const int node = (t + n) % c_.size();
          if (!c_.alive(node)) continue;
          const std::string key = "w" + std::to_string(t) + "-" + std::to_string(n);
          const Reply r = c_.http(node, "PUT", "/kv/" + key, value_body(n));
          if (r.status == 200) {
            std::lock_guard lock(mu_);
            acked_[key] = n;
          }
        }
      });
    }
  }
  ~Writers() { stop(); }
  void stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  std::size_t acked() {
    std::lock_guard lock(mu_);
    return acked_.size();
  }
  std::map<std::string, int> acked_writes() {
    std::lock_guard lock(mu_);
    return acked_;
  }

 private:
  ServeCluster& c_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::map<std::string, int> acked_;
  std::vector<std::thread> threads_;
};

void expect_all_readable(const ServeCluster& c, int node, const std::map<std::string, int>& acked) {
  for (const auto& [key, value] : acked) {
    Reply r;
    ASSERT_TRUE(eventually([&] { r = c.http(node, "GET", "/kv/" + key); return r.status == 200 || r.status == 404; }))
        << key << ": " << r.status;
    ASSERT_EQ(r.status, 200) << "acknowledged write of " << key << " lost";
    ASSERT_EQ(r.body["value"], value) << key;
  }
}

TEST(RaftKvServe, LeaderKilledUnderLoadLosesNoAcknowledgedWrite) {
  ServeCluster c(RAFT_KV_BIN, 3, {}, log_prefix("leader_kill"));
  const auto leader = c.wait_for_leader();
  ASSERT_TRUE(leader);
  Writers w(c, 4);
  ASSERT_TRUE(eventually([&] { return w.acked() >= 200; })) << w.acked();
  c.kill(*leader);
  const std::size_t at_kill = w.acked();
  const auto next = c.wait_for_leader();
  ASSERT_TRUE(next);
  EXPECT_NE(*next, *leader);
  ASSERT_TRUE(eventually([&] { return w.acked() >= at_kill + 200; })) << "no progress after the leader died";
  w.stop();
  const auto acked = w.acked_writes();
  for (int i = 0; i < c.size(); ++i) {
    if (c.alive(i)) expect_all_readable(c, i, acked);
  }
}

TEST(RaftKvServe, KilledLeaderRestartsFromItsDataDirAndCatchesUp) {
  const std::string dir = log_prefix("datadir") + ".data";
  std::filesystem::remove_all(dir);
  ServeCluster c(RAFT_KV_BIN, 3, {"--data-dir", dir, "--snapshot-entries", "50"}, log_prefix("datadir"));
  const auto leader = c.wait_for_leader();
  ASSERT_TRUE(leader);
  Writers w(c, 4);
  ASSERT_TRUE(eventually([&] { return w.acked() >= 150; }));
  c.kill(*leader);
  ASSERT_TRUE(c.wait_for_leader());
  const std::size_t at_kill = w.acked();
  ASSERT_TRUE(eventually([&] { return w.acked() >= at_kill + 150; }));
  c.start(*leader);
  w.stop();
  expect_all_readable(c, *leader, w.acked_writes());
  std::filesystem::remove_all(dir);
}

TEST(RaftKvServe, IsolatedLeaderIsReplacedAndRejoinsAfterHealing) {
  ServeCluster c(RAFT_KV_BIN, 3, {}, log_prefix("partition"));
  const auto old = c.wait_for_leader();
  ASSERT_TRUE(old);
  ASSERT_EQ(c.http(*old, "PUT", "/kv/k", value_body("before")).status, 200);
  ASSERT_EQ(c.http(*old, "POST", "/debug/isolate").status, 200);
  // The other two elect a leader of a newer term and take writes.
  int other = (*old + 1) % 3;
  std::optional<int> next;
  ASSERT_TRUE(eventually([&] {
    for (int i = 0; i < 3; ++i) {
      if (i == *old) continue;
      if (auto s = c.status(i); s && s->at("role") == "leader") next = i;
    }
    return next.has_value();
  }));
  other = *next;
  ASSERT_TRUE(eventually([&] { return c.http(other, "PUT", "/kv/k", value_body("during")).status == 200; }));
  // The isolated node cannot serve a linearizable read: it must not answer "before".
  const Reply stale = c.http(*old, "GET", "/kv/k");
  EXPECT_NE(stale.status, 200) << stale.body.dump();
  ASSERT_EQ(c.http(*old, "POST", "/debug/heal").status, 200);
  // It rejoins as a follower of the newer leader (which may have changed again since).
  ASSERT_TRUE(eventually([&] {
    const auto s = c.status(*old);
    return s && s->at("role") == "follower" && s->at("leader").is_number() && s->at("leader") != *old + 1;
  }));
  ASSERT_TRUE(eventually([&] {
    const Reply r = c.http(*old, "GET", "/kv/k");
    return r.status == 200 && r.body["value"] == "during";
  }));
}

TEST(RaftKvServe, GarbageOnAPeerSocketIsRefusedAndTheClusterKeepsServing) {
  ServeCluster c(RAFT_KV_BIN, 3, {}, log_prefix("garbage"));
  ASSERT_TRUE(c.wait_for_leader());
  for (int i = 0; i < 3; ++i) {
    const int fd = testing_ports::connect_loopback(c.peer_port(i));
    ASSERT_GE(fd, 0);
    const std::string junk = "\x10\0\0\0\x01\x00garbage-garbage-garbage" + std::string(1000, '\xff');
    ASSERT_GT(::write(fd, junk.data(), junk.size()), 0);
    ::close(fd);
  }
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(eventually([&] { return c.http(i, "PUT", "/kv/g" + std::to_string(i), value_body(i)).status == 200; }));
    EXPECT_EQ(c.http(i, "GET", "/kv/g" + std::to_string(i)).body["value"], i);
  }
}

// Node 3's address is a socket that accepts and never reads: nodes 1 and 2 are a majority
// and keep serving large writes while their queues towards node 3 stay bounded.
TEST(RaftKvServe, APeerThatAcceptsButNeverReadsDoesNotStopTheCluster) {
  const std::uint16_t stuck = testing_ports::free_port();
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(stuck);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 16), 0);
  std::vector<int> accepted;
  std::atomic<bool> done{false};
  std::thread acceptor([&] {
    while (!done) {
      pollfd p{listener, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) accepted.push_back(::accept(listener, nullptr, nullptr));
    }
  });
  {
    ServeCluster c(RAFT_KV_BIN, 3, {}, log_prefix("stuck_peer"), {{2, stuck}});
    ASSERT_TRUE(c.wait_for_leader());
    const std::string big = std::string(200 << 10, 'v');  // 200 KiB values: 40 MiB in all
    for (int n = 0; n < 200; ++n) {
      const int node = n % 2;
      Reply r;
      ASSERT_TRUE(eventually([&] { r = c.http(node, "PUT", "/kv/big" + std::to_string(n), value_body(big)); return r.status == 200; }))
          << n << ": " << r.status;
    }
    EXPECT_EQ(c.http(1, "GET", "/kv/big199").body["value"], big);
    for (int i = 0; i < 2; ++i) {
      const auto s = c.status(i);
      ASSERT_TRUE(s);
      EXPECT_GE(s->at("applied").get<std::uint64_t>(), 200u);
    }
  }
  done = true;
  acceptor.join();
  for (int fd : accepted) ::close(fd);
  ::close(listener);
}

TEST(RaftKvServe, BadHttpInputGetsAClear4xxAndTheServerKeepsServing) {
  ServeCluster c(RAFT_KV_BIN, 1, {"--max-body-bytes", "1024"}, log_prefix("bad_input"));
  ASSERT_TRUE(c.wait_for_leader());
  struct Case {
    const char* method;
    std::string path;
    std::string body;
    int status;
  };
  const std::vector<Case> cases = {
      {"PATCH", "/kv/a", "{}", 405},
      {"POST", "/kv/a", "{}", 405},
      {"DELETE", "/status", "", 405},
      {"GET", "/kv/", "", 404},
      {"GET", "/nowhere", "", 404},
      {"PUT", "/kv/a", std::string(4096, 'x'), 413},
      {"PUT", "/kv/a", "{\"value\": ", 400},
      {"PUT", "/kv/a", "[1, 2]", 400},
      {"PUT", "/kv/a", "{\"val\": 1}", 400},
      {"POST", "/kv/a/cas", "{\"from\": 1}", 400},
      {"GET", "/kv/missing", "", 404},
      {"POST", "/kv/missing/cas", "{\"from\": 1, \"to\": 2}", 404},
  };
  for (const Case& k : cases) {
    const Reply r = c.http(0, k.method, k.path, k.body);
    EXPECT_EQ(r.status, k.status) << k.method << " " << k.path;
    EXPECT_TRUE(r.body.is_object() && r.body.contains("error") && r.body["error"].is_string())
        << k.method << " " << k.path << ": " << r.body.dump();
  }
  ASSERT_EQ(c.http(0, "PUT", "/kv/a", value_body(1)).status, 200);
  EXPECT_EQ(c.http(0, "POST", "/kv/a/cas", R"({"from": 2, "to": 3})").status, 409);
  EXPECT_EQ(c.http(0, "POST", "/kv/a/cas", R"({"from": 1, "to": 3})").status, 200);
  EXPECT_EQ(c.http(0, "GET", "/kv/a").body["value"], 3);
  EXPECT_EQ(c.http(0, "DELETE", "/kv/a").status, 200);
  EXPECT_EQ(c.http(0, "GET", "/kv/a").status, 404);
  EXPECT_EQ(c.http(0, "DELETE", "/kv/a").status, 404);
  const auto s = c.status(0);
  ASSERT_TRUE(s);
  for (const char* f : {"id", "role", "term", "leader", "commit", "applied"}) EXPECT_TRUE(s->contains(f)) << f;
}

}  // namespace
