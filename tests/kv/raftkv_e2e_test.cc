// End to end: real raft-kv processes wired by an in-test router, one sequential client.
// Every reply must match what a single register per key would answer, and every line the
// nodes print must be a well-formed envelope with a closed reply schema.
#include <gtest/gtest.h>

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

/// The keys an _ok reply may carry (Maelstrom's closed schemas).
void expect_closed_reply(const json& body) {
  const std::string type = body["type"];
  std::set<std::string> allowed = {"type", "in_reply_to", "msg_id"};
  if (type == "read_ok") allowed.insert("value");
  if (type == "error") allowed.insert({"code", "text"});
  for (const auto& [k, v] : body.items()) EXPECT_TRUE(allowed.contains(k)) << body.dump();
}

/// Sends until the reply is not error 11 (no leader yet: definite, so retrying is safe).
json call(ProcessCluster& c, int node, json body) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto reply = c.request(node, "c1", body, 5s);
    if (!reply) {
      ADD_FAILURE() << "no reply to " << body.dump() << " from " << c.names()[node];
      return json{};
    }
    json b = (*reply)["body"];
    expect_closed_reply(b);
    if (b["type"] == "error" && b["code"] == 11) continue;
    return b;
  }
  ADD_FAILURE() << "still no leader after 50 attempts";
  return json{};
}

TEST(RaftKvEndToEnd, SequentialClientSeesARegisterPerKeyOnThreeNodes) {
  ProcessCluster c(RAFT_KV_BIN, 3);
  const std::uint64_t seed = std::random_device{}();
  std::mt19937_64 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::map<int, int> model;  // key -> value; absent = never written

  for (int i = 0; i < 60; ++i) {
    const int node = static_cast<int>(rng() % 3);
    const int key = static_cast<int>(rng() % 3);
    const int kind = static_cast<int>(rng() % 3);
    const int v = static_cast<int>(rng() % 5);
    if (kind == 0) {
      json r = call(c, node, {{"type", "read"}, {"key", key}});
      if (model.contains(key)) {
        ASSERT_EQ(r["type"], "read_ok") << r.dump();
        EXPECT_EQ(r["value"], model[key]) << "read of key " << key << " at op " << i;
      } else {
        ASSERT_EQ(r["type"], "error");
        EXPECT_EQ(r["code"], 20);
      }
    } else if (kind == 1) {
      json r = call(c, node, {{"type", "write"}, {"key", key}, {"value", v}});
      ASSERT_EQ(r["type"], "write_ok") << r.dump();
      model[key] = v;
    } else {
      const int from = static_cast<int>(rng() % 5);
      json r = call(c, node, {{"type", "cas"}, {"key", key}, {"from", from}, {"to", v}});
      if (!model.contains(key)) {
        EXPECT_EQ(r["code"], 20) << r.dump();
      } else if (model[key] != from) {
        EXPECT_EQ(r["code"], 22) << r.dump();
      } else {
        ASSERT_EQ(r["type"], "cas_ok") << r.dump();
        model[key] = v;
      }
    }
  }
  EXPECT_TRUE(c.problems().empty()) << c.problems().front();
}

TEST(RaftKvEndToEnd, MalformedRequestsGetError12AndTheNodeKeepsServing) {
  ProcessCluster c(RAFT_KV_BIN, 3);
  json bad = call(c, 0, {{"type", "cas"}, {"key", 1}, {"from", 1}});
  EXPECT_EQ(bad["code"], 12);
  EXPECT_NE(bad["text"].get<std::string>().find("to"), std::string::npos);
  json unknown = call(c, 1, {{"type", "frobnicate"}});
  EXPECT_EQ(unknown["code"], 10);
  json w = call(c, 2, {{"type", "write"}, {"key", 1}, {"value", 3}});
  EXPECT_EQ(w["type"], "write_ok");
  json r = call(c, 0, {{"type", "read"}, {"key", 1}});
  EXPECT_EQ(r["value"], 3);
  EXPECT_TRUE(c.problems().empty()) << c.problems().front();
}

TEST(RaftKvEndToEnd, SingleNodeServesAlone) {
  ProcessCluster c(RAFT_KV_BIN, 1);
  EXPECT_EQ(call(c, 0, {{"type", "write"}, {"key", "k"}, {"value", 1}})["type"], "write_ok");
  EXPECT_EQ(call(c, 0, {{"type", "read"}, {"key", "k"}})["value"], 1);
}

}  // namespace
}  // namespace kv::test
