// End to end: the workbench binary against wb_test_node's correct and broken modes. Each run
// is 1-3 seconds of workload; seeds are fixed so a failure replays.
#include <gtest/gtest.h>

#include "tests/workbench/test/e2e_util.h"

namespace workbench::e2e {
namespace {

std::string violations(const RunOutput& r) { return r.results["protocol"]["violations"].dump(); }

TEST(EndToEnd, CorrectNodePassesLinKv) {
  RunOutput r = run_workbench(with({"-w", "lin-kv", "--node-count", "3", "--concurrency", "4n", "--rate", "60",
                              "--time-limit", "2", "--latency", "5", "--seed", "11"},
                             "forward"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.results["valid"], true);
  EXPECT_GT(r.results["stats"]["ok-count"].get<int>(), 40);
  EXPECT_EQ(r.results["workload_check"]["keys"].size(), 2u);  // two groups of 2n threads
  EXPECT_GT(r.results["net"]["servers"]["msgs-per-op"].get<double>(), 0.5);  // forwarding
  EXPECT_NE(r.history.find(":f :cas"), std::string::npos);
  EXPECT_NE(r.out.find("verdict: VALID"), std::string::npos);
  for (const char* f : {"report.html", "node-logs/n0.log", "node-logs/n2.log", "workbench.log"})
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(r.dir) / f)) << f;
}

TEST(EndToEnd, StaleReadNodeIsInvalid) {
  RunOutput r = run_workbench(with({"-w", "lin-kv", "--node-count", "3", "--concurrency", "2n", "--rate", "60",
                              "--time-limit", "3", "--latency", "100", "--seed", "3"},
                             "stale"));
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.results["workload_check"]["valid"], false);
  EXPECT_EQ(r.results["protocol"]["valid"], true);  // it speaks the protocol, it is just wrong
  bool offending = false;
  for (const auto& k : r.results["workload_check"]["keys"]) offending = offending || !k["offending"].empty();
  EXPECT_TRUE(offending);
  EXPECT_NE(r.file("report.html").find("Offending operations"), std::string::npos);
}

TEST(EndToEnd, ProxyThroughTheLinKvServicePasses) {
  RunOutput r = run_workbench(with({"-w", "lin-kv", "--node-count", "2", "--concurrency", "2n", "--rate", "50",
                              "--time-limit", "1.5", "--latency", "2", "--seed", "5"},
                             "proxy"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_GT(r.results["net"]["servers"]["send-count"].get<int>(), 20);  // node <-> service traffic
}

TEST(EndToEnd, EchoWorkload) {
  RunOutput r = run_workbench(with({"-w", "echo", "--node-count", "2", "--rate", "50", "--time-limit", "1", "--seed", "2"},
                             "forward"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.results["stats"]["by-f"]["echo"]["ok-count"], r.results["stats"]["count"]);
  EXPECT_NE(r.history.find(":type \"echo_ok\""), std::string::npos);
}

struct BadNode {
  std::string mode;
  std::string reason;  // a fragment of the violation's reason
  std::string line;    // a fragment of the offending line ("" if none)
};

void PrintTo(const BadNode& b, std::ostream* os) { *os << b.mode; }

class BadNodes : public ::testing::TestWithParam<BadNode> {};

TEST_P(BadNodes, AreReportedAndJudgedInvalid) {
  const BadNode& c = GetParam();
  RunOutput r = run_workbench(with({"-w", "lin-kv", "--node-count", "3", "--concurrency", "2n", "--rate", "40",
                              "--time-limit", "1.2", "--init-timeout", "1", "--seed", "4"},
                             c.mode));
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.results["valid"], false);
  EXPECT_EQ(r.results["protocol"]["valid"], false);
  const auto& v = r.results["protocol"]["violations"];
  ASSERT_FALSE(v.empty()) << r.out;
  EXPECT_NE(v[0]["reason"].get<std::string>().find(c.reason), std::string::npos) << violations(r);
  EXPECT_EQ(v[0]["node"].get<std::string>()[0], 'n');
  if (!c.line.empty()) {
    EXPECT_NE(v[0]["line"].get<std::string>().find(c.line), std::string::npos) << violations(r);
  }
  EXPECT_NE(r.out.find("verdict: INVALID"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Modes, BadNodes,
    ::testing::Values(BadNode{"garbage", "not valid JSON", "this is not JSON"},
                      BadNode{"exit", "exited on its own (exit status 3)", ""},
                      BadNode{"no-init", "did not answer init", ""},
                      BadNode{"extra-key", "unexpected key \"extra\"", "\"extra\":1"},
                      BadNode{"wrong-type", "answered write with read_ok", ""},
                      BadNode{"bad-dest", "unknown dest \"n99\"", "n99"},
                      BadNode{"long-line", "longer than", "xxxx"}),
    [](const auto& param_info) {
      std::string n = param_info.param.mode;
      for (auto& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

TEST(EndToEnd, NoInitFailsFastWithoutAWorkload) {
  RunOutput r = run_workbench(with({"-w", "echo", "--node-count", "2", "--time-limit", "30", "--init-timeout", "0.5"},
                             "no-init"));
  ASSERT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.results["protocol"]["init_ok"], false);
  EXPECT_EQ(r.results["stats"]["count"], 0);
  EXPECT_LT(r.results["duration_s"].get<double>(), 1.0);
}

TEST(EndToEnd, BadArgumentsExit254AndHelpExits0) {
  RunOutput bad = run_workbench({"-w", "lin-kv", "--bin", test_node_bin(), "--node-count", "3", "--concurrency", "1n"});
  EXPECT_EQ(bad.exit_code, 254);
  EXPECT_NE(bad.err.find("multiple of 2n"), std::string::npos);
  EXPECT_TRUE(bad.dir.empty());
  RunOutput help = run_workbench({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--nemesis-interval"), std::string::npos);
}

}  // namespace
}  // namespace workbench::e2e
