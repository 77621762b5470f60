#include <gtest/gtest.h>

#include "tests/workbench/src/checker.h"
#include "tests/workbench/src/results.h"

namespace workbench {
namespace {

using nlohmann::json;

struct Builder {
  RunResult run;
  Builder(WorkloadKind w = WorkloadKind::LinKv) {
    run.options.workload = w;
    run.options.nodes = {"n0"};
    run.init_ok = true;
  }
  // An operation invoked at t0 and completed at t1 (ns) with the given outcome.
  Builder& op(std::int64_t p, const std::string& f, json inv, OpType t, json done, Nanos t0, Nanos t1) {
    Op a;
    a.type = OpType::Invoke;
    a.process = p;
    a.f = f;
    a.value = std::move(inv);
    a.time = t0;
    run.history.add(a);
    Op b = a;
    b.type = t;
    b.value = std::move(done);
    b.time = t1;
    run.history.add(b);
    return *this;
  }
};

TEST(Judge, ValidWhenEveryOperationTypeSucceeded) {
  Builder b;
  b.op(0, "write", json::parse("[0,1]"), OpType::Ok, json::parse("[0,1]"), 0, 10)
      .op(1, "read", json::parse("[0,null]"), OpType::Ok, json::parse("[0,1]"), 20, 30)
      .op(0, "cas", json::parse("[0,[1,2]]"), OpType::Ok, json::parse("[0,[1,2]]"), 40, 50)
      .op(1, "read", json::parse("[0,null]"), OpType::Fail, json::parse("[0,null]"), 60, 70);
  Verdict v = judge(b.run);
  EXPECT_EQ(v.stats, Validity::Valid);
  EXPECT_EQ(v.total.count, 4);
  EXPECT_EQ(v.by_f["read"].fail, 1);
  EXPECT_DOUBLE_EQ(v.ok_fraction, 0.75);
#ifdef WORKBENCH_HAVE_LINCHECK
  EXPECT_EQ(v.valid, Validity::Valid) << (v.reasons.empty() ? "" : v.reasons[0]);
  ASSERT_EQ(v.keys.size(), 1u);
  EXPECT_EQ(v.keys[0].op_count, 3u);  // the failed read is not checked
#else
  EXPECT_EQ(v.valid, Validity::Unknown);
#endif
}

TEST(Judge, AnOperationTypeThatNeverSucceededIsInvalid) {
  Builder b;
  b.op(0, "write", json::parse("[0,1]"), OpType::Info, json::parse("[0,1]"), 0, 10)
      .op(1, "read", json::parse("[0,null]"), OpType::Ok, json::parse("[0,null]"), 20, 30);
  Verdict v = judge(b.run);
  EXPECT_EQ(v.stats, Validity::Invalid);
  EXPECT_EQ(v.valid, Validity::Invalid);
  EXPECT_NE(v.reasons[0].find("write never succeeded"), std::string::npos);
}

TEST(Judge, StaleReadIsNotLinearizable) {
  Builder b;
  b.op(0, "write", json::parse("[0,1]"), OpType::Ok, json::parse("[0,1]"), 0, 10)
      .op(0, "write", json::parse("[0,2]"), OpType::Ok, json::parse("[0,2]"), 20, 30)
      .op(1, "read", json::parse("[0,null]"), OpType::Ok, json::parse("[0,1]"), 40, 50)
      .op(0, "cas", json::parse("[0,[2,3]]"), OpType::Ok, json::parse("[0,[2,3]]"), 60, 70);
  Verdict v = judge(b.run);
#ifdef WORKBENCH_HAVE_LINCHECK
  EXPECT_EQ(v.workload, Validity::Invalid);
  ASSERT_EQ(v.keys.size(), 1u);
  EXPECT_FALSE(v.keys[0].offending.empty());
  EXPECT_NE(v.keys[0].explanation.find("read"), std::string::npos);
#else
  EXPECT_EQ(v.workload, Validity::Unknown);
#endif
}

TEST(Judge, AvailabilityViolationsAndInterruption) {
  Builder b;
  b.run.options.availability = 0.9;
  b.op(0, "write", json::parse("[0,1]"), OpType::Ok, json::parse("[0,1]"), 0, 10)
      .op(0, "write", json::parse("[0,1]"), OpType::Fail, json::parse("[0,1]"), 20, 30);
  EXPECT_EQ(judge(b.run).availability, Validity::Invalid);
  b.run.options.availability.reset();
  b.run.violations.push_back({0, "n0", "oops", "not valid JSON"});
  Verdict v = judge(b.run);
  EXPECT_EQ(v.protocol, Validity::Invalid);
  EXPECT_EQ(v.valid, Validity::Invalid);
  b.run.violations.clear();
  b.run.interrupted = true;
  EXPECT_NE(judge(b.run).valid, Validity::Valid);
  b.run.interrupted = false;
  b.run.init_ok = false;
  EXPECT_EQ(judge(b.run).valid, Validity::Invalid);
}

TEST(Judge, EchoPayloadMismatch) {
  Builder b(WorkloadKind::Echo);
  b.op(0, "echo", "Please echo 1", OpType::Ok, json{{"echo", "Please echo 1"}}, 0, 10);
  EXPECT_EQ(judge(b.run).valid, Validity::Valid);
  b.op(0, "echo", "Please echo 2", OpType::Ok, json{{"echo", "Please echo 3"}}, 20, 30);
  Verdict v = judge(b.run);
  EXPECT_EQ(v.workload, Validity::Invalid);
  EXPECT_EQ(v.echo_errors.size(), 1u);
}

TEST(Judge, MergeAndExitCodes) {
  EXPECT_EQ(merge(Validity::Valid, Validity::Unknown), Validity::Unknown);
  EXPECT_EQ(merge(Validity::Invalid, Validity::Unknown), Validity::Invalid);
  Verdict v;
  v.valid = Validity::Valid;
  EXPECT_EQ(exit_code(v), 0);
  v.valid = Validity::Invalid;
  EXPECT_EQ(exit_code(v), 1);
  v.valid = Validity::Unknown;
  EXPECT_EQ(exit_code(v), 2);
}

TEST(Results, QuantilesAndJson) {
  Quantiles q = quantiles({5, 1, 4, 2, 3, 10, 6, 7, 8, 9});
  EXPECT_EQ(q.count, 10u);
  EXPECT_DOUBLE_EQ(q.p50, 5);
  EXPECT_DOUBLE_EQ(q.p90, 9);
  EXPECT_DOUBLE_EQ(q.p99, 10);
  EXPECT_DOUBLE_EQ(q.max, 10);
  EXPECT_DOUBLE_EQ(q.mean, 5.5);
  EXPECT_EQ(quantiles({}).count, 0u);

  Builder b;
  b.run.net.servers.send = 30;
  b.run.net.all.send = 34;
  b.op(0, "write", json::parse("[0,1]"), OpType::Ok, json::parse("[0,1]"), 0, 2 * kMillis)
      .op(1, "read", json::parse("[0,null]"), OpType::Ok, json::parse("[0,1]"), 10, 3 * kMillis);
  Verdict v = judge(b.run);
  auto j = results_json(b.run, v);
  for (const char* k : {"valid", "stats", "availability", "net", "latency_ms", "workload_check", "protocol", "nemesis"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_DOUBLE_EQ(j["net"]["servers"]["msgs-per-op"].get<double>(), 15.0);
  EXPECT_EQ(j["stats"]["by-f"]["read"]["ok-count"], 1);
  EXPECT_DOUBLE_EQ(j["latency_ms"]["write"]["ok"]["p50"].get<double>(), 2.0);
}

}  // namespace
}  // namespace workbench
