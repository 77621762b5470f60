#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/workbench/src/options.h"

namespace workbench {
namespace {

// A binary that surely exists and is executable.
const char* kBin = "/bin/true";

// A file without execute bits (as root, access(X_OK) still needs one).
std::string not_executable() {
  static const std::string path = [] {
    std::string p = std::filesystem::temp_directory_path() / "workbench-options-test-plain-file";
    std::ofstream(p) << "#!/bin/sh\n";
    std::filesystem::permissions(p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return p;
  }();
  return path;
}

ParseOutcome parse(std::vector<std::string> args) {
  args.insert(args.begin(), "test");
  return parse_options(args);
}

TEST(Options, MaelstromDefaults) {
  auto p = parse({"--bin", kBin, "-w", "echo"});
  ASSERT_TRUE(p.options) << p.error;
  const Options& o = *p.options;
  EXPECT_EQ(o.nodes, (std::vector<std::string>{"n1", "n2", "n3", "n4", "n5"}));
  EXPECT_EQ(o.time_limit_s, 60);
  EXPECT_EQ(o.concurrency, 5);  // 1n
  EXPECT_EQ(o.rate, 5);
  EXPECT_EQ(o.latency_ms, 0);
  EXPECT_EQ(o.latency_dist, LatencyDist::Constant);
  EXPECT_TRUE(o.faults.empty());
  EXPECT_EQ(o.nemesis_interval_s, 10);
  EXPECT_FALSE(o.availability);
  EXPECT_EQ(o.store, "store");
  EXPECT_EQ(o.init_timeout_s, 10);
}

TEST(Options, LinKvWithoutConcurrencyGetsTheSmallestItAcceptsAndSaysSo) {
  auto p = parse({"-w", "lin-kv", "--bin", kBin, "--node-count", "3"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_EQ(p.options->concurrency, 6);
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("2n = 6"), std::string::npos);
  auto echo = parse({"-w", "echo", "--bin", kBin, "--node-count", "3"});
  EXPECT_EQ(echo.options->concurrency, 3);
  EXPECT_TRUE(echo.notes.empty());
  auto given = parse({"-w", "lin-kv", "--bin", kBin, "--node-count", "3", "--concurrency", "1n"});
  EXPECT_FALSE(given.options);  // asked for explicitly: still refused, as Maelstrom does
  EXPECT_NE(given.error.find("multiple of 2n"), std::string::npos);
}

TEST(Options, MaxStall) {
  auto p = parse({"-w", "echo", "--bin", kBin, "--max-stall", "2.5"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_EQ(p.options->max_stall_s, 2.5);
  EXPECT_FALSE(parse({"-w", "echo", "--bin", kBin, "--max-stall", "-1"}).options);
  EXPECT_FALSE(parse({"-w", "echo", "--bin", kBin}).options->max_stall_s);
}

TEST(Options, TheReadmeCommand) {
  auto p = parse({"-w", "lin-kv", "--bin", kBin, "--node-count", "3", "--concurrency", "4n", "--rate", "30",
                  "--nemesis", "partition", "--nemesis-interval", "10", "--time-limit", "30"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_EQ(p.options->nodes, (std::vector<std::string>{"n0", "n1", "n2"}));
  EXPECT_EQ(p.options->concurrency, 12);
  EXPECT_EQ(p.options->faults, std::set<Fault>{Fault::Partition});
}

TEST(Options, NodeArgumentsAfterDoubleDashAndStrayWords) {
  auto p = parse({"-w=echo", "--bin=/bin/true", "stray", "--node-count", "1", "--", "--mode", "x", "--rate", "9"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_EQ(p.options->node_args, (std::vector<std::string>{"stray", "--mode", "x", "--rate", "9"}));
  EXPECT_EQ(p.options->rate, 5);  // the --rate after -- belongs to the node
}

TEST(Options, AllFaultsAndAvailability) {
  auto p = parse({"-w", "echo", "--bin", kBin, "--nemesis", "partition, kill,pause", "--availability", "total"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_EQ(p.options->faults.size(), 3u);
  EXPECT_EQ(*p.options->availability, 1.0);
}

TEST(Options, HelpIsRecognisedAnywhere) {
  EXPECT_TRUE(parse_options({"--help"}).help);
  EXPECT_TRUE(parse_options({"help"}).help);
  EXPECT_TRUE(parse({"--bin", kBin, "--help"}).help);
  EXPECT_NE(help_text().find("--nemesis-interval"), std::string::npos);
  EXPECT_NE(help_text().find("seeds S, S+1, ... (S = --seed"), std::string::npos);  // not "seeds N, N+1"
  EXPECT_NE(help_text().find("--max-stall S"), std::string::npos);
}

struct BadCase {
  std::vector<std::string> args;
  std::string expect;  // a fragment of the message
};

TEST(Options, RejectsBadArgumentsWithAClearMessage) {
  const std::vector<BadCase> cases = {
      {{"-w", "echo"}, "--bin"},
      {{"-w", "echo", "--bin", "/nonexistent/x"}, "no such file"},
      {{"-w", "echo", "--bin", not_executable()}, "not executable"},
      {{"-w", "broadcast", "--bin", kBin}, "lin-kv or echo"},
      {{"--bin", kBin, "--node-count", "3", "--concurrency", "1n"}, "multiple of 2n"},
      {{"--bin", kBin, "--node-count", "11", "--concurrency", "2n"}, "more than 10 nodes"},
      {{"-w", "echo", "--bin", kBin, "--node-count", "0"}, "--node-count"},
      {{"-w", "echo", "--bin", kBin, "--rate", "-1"}, "--rate"},
      {{"-w", "echo", "--bin", kBin, "--rate", "fast"}, "--rate"},
      {{"-w", "echo", "--bin", kBin, "--latency", "1.5"}, "--latency"},
      {{"-w", "echo", "--bin", kBin, "--latency-dist", "normal"}, "--latency-dist"},
      {{"-w", "echo", "--bin", kBin, "--nemesis", "flood"}, "--nemesis"},
      {{"-w", "echo", "--bin", kBin, "--availability", "2"}, "--availability"},
      {{"-w", "echo", "--bin", kBin, "--concurrency", "xn"}, "--concurrency"},
      {{"-w", "echo", "--bin", kBin, "--time-limit", "0"}, "--time-limit"},
      {{"-w", "echo", "--bin", kBin, "--seed", "-3"}, "--seed"},
      {{"-w", "echo", "--bin", kBin, "--frobnicate"}, "unknown option"},
      {{"-w", "echo", "--bin", kBin, "--rate"}, "needs a value"},
      {{"-w", "echo", "--bin", kBin, "--nodes", "n1,c2"}, "--nodes"},
  };
  for (const auto& c : cases) {
    auto p = parse(c.args);
    EXPECT_FALSE(p.options) << c.expect;
    EXPECT_NE(p.error.find(c.expect), std::string::npos) << "message: " << p.error;
  }
  EXPECT_NE(parse_options({}).error.find("command"), std::string::npos);
  EXPECT_NE(parse_options({"run"}).error.find("unknown command"), std::string::npos);
}

}  // namespace
}  // namespace workbench
