// Membership administration of `raft-kv serve` over HTTP (docs/raft-kv.md, "Changing the
// cluster"): a node started outside the initial configuration waits as a non-member until
// the leader adds it, then serves linearizable reads of what was written before; leadership
// moves to it on request; a node is removed. Real processes on loopback; every wait is a
// poll with a generous deadline.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "serve_cluster.h"

namespace {

using serve_test::eventually;
using serve_test::json;
using serve_test::Reply;
using serve_test::ServeCluster;
using namespace std::chrono_literals;

std::string log_prefix(const char* test) { return std::string(RAFTKV_TEST_LOG_DIR) + "/serve_membership." + test; }

std::set<std::uint64_t> id_set(const json& ids) {
  std::set<std::uint64_t> out;
  for (const auto& v : ids) out.insert(v.get<std::uint64_t>());
  return out;
}

/// The leader's index (0-based) as every given node agrees on it.
std::optional<int> agreed_leader(const ServeCluster& c, std::initializer_list<int> nodes) {
  std::optional<int> leader;
  eventually([&] {
    std::optional<std::uint64_t> id;
    for (int i : nodes) {
      const auto s = c.status(i);
      if (!s || (*s)["leader"].is_null()) return false;
      const auto l = (*s)["leader"].get<std::uint64_t>();
      if (id && *id != l) return false;
      id = l;
    }
    leader = static_cast<int>(*id) - 1;
    return true;
  });
  return leader;
}

/// A change at the leader, retried while it answers 409 (a new leader must commit an
/// entry of its term first, thesis §4.2; or the previous change is still pending).
Reply change_at(const ServeCluster& c, int leader, const std::string& method, const std::string& path) {
  Reply r;
  eventually([&] {
    r = c.http(leader, method, path);
    return r.status != 409 && r.status != 0;
  });
  return r;
}

TEST(ServeMembership, NodeOutsideTheConfigurationJoinsServesReadsTakesLeadershipAndANodeLeaves) {
  // Four addresses, three voters: node 4 starts as a non-member.
  ServeCluster c(RAFT_KV_BIN, 4, {"--voters", "1,2,3", "--election-timeout-ms", "300"},
                 log_prefix("Join"));
  const auto first = agreed_leader(c, {0, 1, 2});
  ASSERT_TRUE(first) << "no leader among the three voters";
  ASSERT_NE(*first, 3) << "the non-member was elected";

  Reply r = c.http(3, "GET", "/cluster");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["member"], false) << r.body.dump();
  r = c.http(*first, "GET", "/cluster");
  EXPECT_EQ(id_set(r.body["voters"]), (std::set<std::uint64_t>{1, 2, 3})) << r.body.dump();

  ASSERT_TRUE(eventually([&] { return c.http(*first, "PUT", "/kv/x", R"({"value": 1})").status == 200; }));

  // Asked at a follower: 421 and the leader's id, nothing changes.
  const int follower = (*first + 1) % 3;
  r = c.http(follower, "POST", "/cluster/voters/4");
  EXPECT_EQ(r.status, 421) << r.body.dump();
  EXPECT_EQ(r.body["leader"], *first + 1) << r.body.dump();

  // A node with no address in --peers cannot join.
  r = change_at(c, *first, "POST", "/cluster/voters/9");
  EXPECT_EQ(r.status, 400) << r.body.dump();

  // Add node 4 as a voter: answered once the configuration entry commits.
  r = change_at(c, *first, "POST", "/cluster/voters/4");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(id_set(r.body["voters"]), (std::set<std::uint64_t>{1, 2, 3, 4})) << r.body.dump();
  // Adding it again is an invalid change.
  r = change_at(c, *first, "POST", "/cluster/voters/4");
  EXPECT_EQ(r.status, 400) << r.body.dump();

  // The newcomer got the log: it reads what was written before it joined (linearizably).
  ASSERT_TRUE(eventually([&] {
    r = c.http(3, "GET", "/kv/x");
    return r.status == 200;
  })) << r.status << " " << r.body.dump();
  EXPECT_EQ(r.body["value"], 1);
  r = c.http(3, "GET", "/cluster");
  EXPECT_EQ(r.body["member"], true) << r.body.dump();

  // Transfer leadership to node 4 (§3.10).
  r = change_at(c, *first, "POST", "/cluster/transfer");  // no body
  EXPECT_EQ(r.status, 400) << r.body.dump();
  ASSERT_TRUE(eventually([&] {
    r = c.http(*first, "POST", "/cluster/transfer", R"({"to": 4})");
    if (r.status != 202) return false;
    return eventually([&] {
      const auto s = c.status(3);
      return s && (*s)["role"] == "leader";
    }, 5s);
  })) << r.status << " " << r.body.dump();

  // Remove the first leader, at the new one.
  r = change_at(c, 3, "DELETE", "/cluster/members/" + std::to_string(*first + 1));
  ASSERT_EQ(r.status, 200) << r.body.dump();
  std::set<std::uint64_t> rest = {1, 2, 3, 4};
  rest.erase(static_cast<std::uint64_t>(*first + 1));
  EXPECT_EQ(id_set(r.body["voters"]), rest) << r.body.dump();

  // The remaining three carry on: a write through one, read back from another.
  std::vector<int> members;
  for (std::uint64_t id : rest) members.push_back(static_cast<int>(id) - 1);
  ASSERT_TRUE(eventually([&] { return c.http(members[0], "PUT", "/kv/y", R"({"value": 2})").status == 200; }));
  ASSERT_TRUE(eventually([&] {
    r = c.http(members[1], "GET", "/kv/y");
    return r.status == 200;
  }));
  EXPECT_EQ(r.body["value"], 2);
  r = c.http(3, "GET", "/cluster");
  EXPECT_EQ(id_set(r.body["voters"]), rest) << r.body.dump();

  // The removed node can come back as a learner: it gets the log but never votes.
  r = change_at(c, 3, "POST", "/cluster/learners/" + std::to_string(*first + 1));
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(id_set(r.body["learners"]), (std::set<std::uint64_t>{static_cast<std::uint64_t>(*first + 1)}));
  ASSERT_TRUE(eventually([&] {
    r = c.http(*first, "GET", "/kv/y");
    return r.status == 200;
  }));
  EXPECT_EQ(r.body["value"], 2);
}

}  // namespace
