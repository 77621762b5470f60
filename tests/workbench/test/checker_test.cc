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
  Builder& op(std::int64_t p, const std::string& f, json inv, OpType t, json done, Nanos t0, Nanos t1,
              std::int64_t error_code = -1) {
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
    b.error_code = error_code;
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
  EXPECT_DOUBLE_EQ(*v.ok_fraction, 0.75);
  EXPECT_EQ(v.valid, Validity::Valid) << (v.reasons.empty() ? "" : v.reasons[0]);
  ASSERT_EQ(v.keys.size(), 1u);
  EXPECT_EQ(v.keys[0].op_count, 3u);  // the failed read is not checked
}

TEST(Judge, AnOperationTypeThatNeverSucceededIsInvalid) {
  Builder b;
  for (int i = 0; i < kMinAttemptsToJudge; ++i)
    b.op(i, "write", json::parse("[0,1]"), OpType::Info, json::parse("[0,1]"), 100 * i, 100 * i + 10);
  b.op(100, "read", json::parse("[0,null]"), OpType::Ok, json::parse("[0,null]"), 2000, 2010);
  Verdict v = judge(b.run);
  EXPECT_EQ(v.stats, Validity::Invalid);
  EXPECT_EQ(v.valid, Validity::Invalid);
  EXPECT_NE(v.reasons[0].find("write never succeeded"), std::string::npos);
}

TEST(Judge, TooFewAttemptsToJudgeIsUnknownAndSaysWhy) {
  Builder b;
  b.run.workload_duration = kSeconds;
  b.op(0, "write", json::parse("[0,1]"), OpType::Info, json::parse("[0,1]"), 0, 10)
      .op(1, "read", json::parse("[0,null]"), OpType::Ok, json::parse("[0,null]"), 20, 30);
  Verdict v = judge(b.run);
  EXPECT_EQ(v.stats, Validity::Unknown);
  EXPECT_NE(v.valid, Validity::Valid);
  ASSERT_FALSE(v.reasons.empty());
  EXPECT_NE(v.reasons[0].find("too short to judge: write never succeeded (1 attempts) in a 1.0 s run"),
            std::string::npos)
      << v.reasons[0];
}

TEST(Judge, StaleReadIsNotLinearizable) {
  Builder b;
  b.op(0, "write", json::parse("[0,1]"), OpType::Ok, json::parse("[0,1]"), 0, 10)
      .op(0, "write", json::parse("[0,2]"), OpType::Ok, json::parse("[0,2]"), 20, 30)
      .op(1, "read", json::parse("[0,null]"), OpType::Ok, json::parse("[0,1]"), 40, 50)
      .op(0, "cas", json::parse("[0,[2,3]]"), OpType::Ok, json::parse("[0,[2,3]]"), 60, 70);
  Verdict v = judge(b.run);
  EXPECT_EQ(v.workload, Validity::Invalid);
  ASSERT_EQ(v.keys.size(), 1u);
  EXPECT_FALSE(v.keys[0].offending.empty());
  EXPECT_NE(v.keys[0].explanation.find("read"), std::string::npos);
}

TEST(Judge, AvailabilityViolationsAndInterruption) {
  Builder b;
  b.run.options.availability = 0.9;
  b.op(0, "write", json::parse("[0,1]"), OpType::Ok, json::parse("[0,1]"), 0, 10)
      .op(0, "write", json::parse("[0,1]"), OpType::Fail, json::parse("[0,1]"), 20, 30);
  EXPECT_EQ(judge(b.run).availability, Validity::Invalid);  // a refusal is not an answer
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

TEST(Judge, AvailabilityCountsDataAnswersAndMaxStallJudgesTheLongestStall) {
  Builder b;
  b.run.options.availability = 1.0;
  b.run.workload_duration = 10 * kSeconds;
  b.op(0, "write", json::parse("[0,1]"), OpType::Ok, json::parse("[0,1]"), 0, 10);
  b.op(1, "read", json::parse("[1,null]"), OpType::Fail, json::parse("[1,null]"), 20, 30, 20);  // key missing
  Verdict v = judge(b.run);
  EXPECT_EQ(v.availability, Validity::Valid);
  EXPECT_DOUBLE_EQ(*v.overall().answered_fraction, 1.0);
  EXPECT_DOUBLE_EQ(*v.ok_fraction, 0.5);  // Maelstrom's figure would call this half available

  b.op(0, "write", json::parse("[0,2]"), OpType::Info, json::parse("[0,2]"), kSeconds, 2 * kSeconds);
  b.run.options.availability.reset();
  b.run.options.max_stall_s = 5;
  v = judge(b.run);  // unanswered from 1 s to the end at 10 s
  EXPECT_EQ(v.availability, Validity::Invalid);
  EXPECT_DOUBLE_EQ(static_cast<double>(v.overall().longest_stall.length) / kSeconds, 9.0);
  EXPECT_NE(v.reasons.back().find("stalled for 9.00 s (1.00 s to 10.00 s)"), std::string::npos) << v.reasons.back();
  b.run.options.max_stall_s = 9.5;
  EXPECT_EQ(judge(b.run).availability, Validity::Valid);
}

TEST(Judge, NoOperationsShowNoAvailability) {
  Builder b;
  b.run.init_ok = false;
  b.run.options.availability = 0.5;
  Verdict v = judge(b.run);
  EXPECT_FALSE(v.overall().answered_fraction);
  EXPECT_EQ(v.availability, Validity::Invalid);
  auto j = results_json(b.run, v);
  EXPECT_TRUE(j["availability"]["answered-fraction"].is_null());
  EXPECT_NE(summary_text(b.run, v).find("availability: n/a"), std::string::npos);
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
  EXPECT_DOUBLE_EQ(j["availability"]["answered-fraction"].get<double>(), 1.0);
  EXPECT_TRUE(j["availability"].contains("longest-stall-s"));
  EXPECT_TRUE(j["availability"]["by-f"]["read"].contains("longest-stall-s"));
  // The summary leads with availability and the stall.
  EXPECT_EQ(summary_text(b.run, v).rfind("availability: answered 1.000", 0), 0u) << summary_text(b.run, v);
}

}  // namespace
}  // namespace workbench
