#include <gtest/gtest.h>

#include <map>

#include "tests/workbench/src/workload_lin_kv.h"

namespace workbench {
namespace {

std::vector<int> all_threads(int n) {
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

TEST(LinKv, OnlyTheFirstGroupReadsAsInMaelstrom) {
  // 3 nodes, 12 threads: groups {0..5} (key 0) and {6..11} (key 1). jepsen's reserve names
  // threads absolutely, so only threads 0..2 read.
  LinKvWorkload w(3, 12, false, Rng(1), Rng(2));
  Threads th(12);
  std::map<int, std::set<std::string>> fs;
  std::map<int, std::set<std::int64_t>> keys;
  for (int i = 0; i < 3000; ++i) {
    auto inv = w.next(all_threads(12), th);
    ASSERT_TRUE(inv);
    fs[inv->thread].insert(inv->f);
    keys[inv->thread].insert(inv->key.get<std::int64_t>());
  }
  for (int t = 0; t < 12; ++t) {
    if (t < 3) {
      EXPECT_EQ(fs[t], std::set<std::string>{"read"}) << t;
    } else {
      EXPECT_EQ(fs[t], (std::set<std::string>{"write", "cas"})) << t;
    }
    EXPECT_EQ(keys[t], std::set<std::int64_t>{t < 6 ? 0 : 1}) << t;
  }
}

TEST(LinKv, ReadsOnAllKeysGivesEveryGroupReaders) {
  LinKvWorkload w(3, 12, true, Rng(1), Rng(2));
  Threads th(12);
  std::set<int> readers;
  for (int i = 0; i < 3000; ++i) {
    auto inv = w.next(all_threads(12), th);
    if (inv->f == "read") readers.insert(inv->thread);
  }
  EXPECT_EQ(readers, (std::set<int>{0, 1, 2, 6, 7, 8}));
}

TEST(LinKv, MixIsAThirdWritesTwoThirdsCasWithValuesZeroToFour) {
  LinKvWorkload w(1, 2, false, Rng(5), Rng(6));
  Threads th(2);
  int writes = 0, cas = 0;
  for (int i = 0; i < 6000; ++i) {
    auto inv = w.next({1}, th);  // thread 1 is the mixer
    ASSERT_TRUE(inv);
    if (inv->f == "write") {
      ++writes;
      EXPECT_GE(inv->arg.get<int>(), 0);
      EXPECT_LE(inv->arg.get<int>(), 4);
    } else {
      ASSERT_EQ(inv->f, "cas");
      ++cas;
      for (int j : {0, 1}) EXPECT_LE(inv->arg[j].get<int>(), 4);
    }
    EXPECT_EQ(w.request(*inv)["type"], inv->f);
  }
  EXPECT_NEAR(writes / 6000.0, 1 / 3.0, 0.03);
  EXPECT_NEAR(cas / 6000.0, 2 / 3.0, 0.03);
}

TEST(LinKv, AKeyIsRetiredAfterTwentyProcesses) {
  // 3 nodes, 6 threads (one group, key 0). Each :info replaces thread 3's process; the
  // group has seen 6 + k processes after k replacements, and moves on at the 21st.
  LinKvWorkload w(3, 6, false, Rng(1), Rng(2));
  Threads th(6);
  int ask = 0;
  std::int64_t key = 0;
  while (key == 0 && ask < 100) {
    auto inv = w.next({3}, th);
    ++ask;
    key = inv->key.get<std::int64_t>();
    EXPECT_EQ(inv->process, th.process(3));
    th.replace_process(3);
  }
  EXPECT_EQ(ask, 16);
  EXPECT_EQ(key, 1);
  EXPECT_EQ(th.process(3), 3 + 16 * 6);  // Jepsen's next process: old + thread count
}

TEST(LinKv, RequestsAndHistoryValues) {
  LinKvWorkload w(1, 2, false, Rng(1), Rng(2));
  Invocation cas{1, 1, "cas", 7, nlohmann::json::array({2, 3})};
  EXPECT_EQ(w.request(cas), (nlohmann::json{{"type", "cas"}, {"key", 7}, {"from", 2}, {"to", 3}}));
  EXPECT_EQ(w.invoke_value(cas), nlohmann::json::parse("[7,[2,3]]"));
  Invocation read{0, 0, "read", 7, nullptr};
  EXPECT_EQ(w.ok_completion(read, {{"type", "read_ok"}, {"value", 4}}).value, nlohmann::json::parse("[7,4]"));
  EXPECT_TRUE(w.idempotent("read"));
  EXPECT_FALSE(w.idempotent("cas"));
}

TEST(Workloads, SameSeedsSameOperations) {
  Options o;
  o.nodes = {"n0", "n1"};
  o.concurrency = 8;
  for (auto kind : {WorkloadKind::LinKv, WorkloadKind::Echo}) {
    o.workload = kind;
    auto a = make_workload(o, Rng(3), Rng(4));
    auto b = make_workload(o, Rng(3), Rng(4));
    Threads th(8);
    for (int i = 0; i < 200; ++i) {
      auto x = a->next(all_threads(8), th);
      auto y = b->next(all_threads(8), th);
      ASSERT_EQ(x->thread, y->thread);
      ASSERT_EQ(x->f, y->f);
      ASSERT_EQ(x->arg, y->arg);
    }
  }
}

TEST(Echo, PayloadsAndNonReusableClients) {
  Options o;
  o.workload = WorkloadKind::Echo;
  o.nodes = {"n0"};
  o.concurrency = 1;
  auto w = make_workload(o, Rng(1), Rng(2));
  Threads th(1);
  auto inv = w->next({0}, th);
  const std::string payload = inv->arg;
  EXPECT_EQ(payload.rfind("Please echo ", 0), 0u);
  EXPECT_LT(std::stoi(payload.substr(12)), 128);
  EXPECT_FALSE(w->reusable_clients());
  EXPECT_EQ(w->ok_type(*inv), "echo_ok");
  Op done = w->ok_completion(*inv, {{"type", "echo_ok"}, {"echo", payload}, {"in_reply_to", 1}});
  EXPECT_EQ(done.value_edn, "{:echo " + edn_string(payload) + ", :in_reply_to 1, :type \"echo_ok\"}");
}

}  // namespace
}  // namespace workbench
