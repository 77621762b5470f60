#include "transport/line_framer.h"

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace maelstrom {
namespace {

struct Collected {
  std::vector<std::string> lines;
  std::vector<std::size_t> oversized;
};

LineFramer make_framer(Collected& c, std::size_t max = 1024) {
  return LineFramer(max, {[&c](std::string_view l) { c.lines.emplace_back(l); },
                          [&c](std::size_t n) { c.oversized.push_back(n); }});
}

using Lines = std::vector<std::string>;

TEST(LineFramer, SplitsLinesWithinOneChunk) {
  Collected c;
  auto f = make_framer(c);
  f.feed("a\nbb\n\nccc\n");
  EXPECT_EQ(c.lines, (Lines{"a", "bb", "", "ccc"}));
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(LineFramer, BuffersPartialLinesAcrossReads) {
  Collected c;
  auto f = make_framer(c);
  f.feed("{\"src\":");
  EXPECT_TRUE(c.lines.empty());
  EXPECT_EQ(f.buffered(), 7u);
  f.feed("\"c1\"}");
  EXPECT_TRUE(c.lines.empty());
  f.feed("\nnext");
  EXPECT_EQ(c.lines, (Lines{"{\"src\":\"c1\"}"}));
  f.feed("\n");
  EXPECT_EQ(c.lines, (Lines{"{\"src\":\"c1\"}", "next"}));
}

TEST(LineFramer, StripsCarriageReturn) {
  Collected c;
  auto f = make_framer(c);
  f.feed("x\r\ny\r");
  f.feed("\n");
  EXPECT_EQ(c.lines, (Lines{"x", "y"}));
}

TEST(LineFramer, AcceptsLineExactlyAtLimit) {
  Collected c;
  auto f = make_framer(c, 8);
  f.feed(std::string(4, 'a'));
  f.feed(std::string(4, 'b') + "\n");
  EXPECT_EQ(c.lines, (Lines{"aaaabbbb"}));
  EXPECT_TRUE(c.oversized.empty());
}

TEST(LineFramer, DropsOversizedLineInOneChunkAndContinues) {
  Collected c;
  auto f = make_framer(c, 8);
  f.feed("ok\n" + std::string(9, 'x') + "\nafter\n");
  EXPECT_EQ(c.lines, (Lines{"ok", "after"}));
  EXPECT_EQ(c.oversized, (std::vector<std::size_t>{9}));
}

TEST(LineFramer, DropsOversizedLineSpreadOverReadsWithBoundedMemory) {
  Collected c;
  auto f = make_framer(c, 8);
  f.feed("12345");
  f.feed("67890");  // over the limit: switch to discarding
  EXPECT_EQ(f.buffered(), 0u);
  for (int i = 0; i < 100; ++i) f.feed(std::string(1000, 'z'));
  EXPECT_EQ(f.buffered(), 0u);
  EXPECT_TRUE(c.oversized.empty()) << "reported only once the line ends";
  f.feed("zz\nfine\n");
  EXPECT_EQ(c.lines, (Lines{"fine"}));
  ASSERT_EQ(c.oversized.size(), 1u);
  EXPECT_EQ(c.oversized[0], 10u + 100u * 1000u + 2u);
}

TEST(LineFramer, OversizedWhenTailCompletesIt) {
  Collected c;
  auto f = make_framer(c, 8);
  f.feed("123456");
  f.feed("789\nz\n");  // the partial fits, partial + tail does not
  EXPECT_EQ(c.lines, (Lines{"z"}));
  EXPECT_EQ(c.oversized, (std::vector<std::size_t>{9}));
}

TEST(LineFramer, FinishDeliversUnterminatedLastLine) {
  Collected c;
  auto f = make_framer(c);
  f.feed("a\nlast");
  f.finish();
  EXPECT_EQ(c.lines, (Lines{"a", "last"}));
  f.finish();  // idempotent
  EXPECT_EQ(c.lines.size(), 2u);
}

TEST(LineFramer, FinishWhileDiscardingReportsOversized) {
  Collected c;
  auto f = make_framer(c, 4);
  f.feed("toolong");
  f.finish();
  EXPECT_TRUE(c.lines.empty());
  EXPECT_EQ(c.oversized, (std::vector<std::size_t>{7}));
}

// Any split of the input into chunks yields the same lines as feeding it whole.
TEST(LineFramer, RandomChunkingPreservesLines) {
  const char* env = std::getenv("RAFTKV_SEED");
  const unsigned seed = env != nullptr ? static_cast<unsigned>(std::strtoul(env, nullptr, 10))
                                       : std::random_device{}();
  SCOPED_TRACE("seed=" + std::to_string(seed) + " (rerun with RAFTKV_SEED=" +
               std::to_string(seed) + ")");
  std::mt19937 rng(seed);
  for (int round = 0; round < 200; ++round) {
    const std::size_t max = 1 + rng() % 40;
    Lines expected;
    std::size_t expected_oversized = 0;
    std::string input;
    const int n = static_cast<int>(rng() % 20);
    for (int i = 0; i < n; ++i) {
      std::string line(rng() % 60, 'a');
      for (auto& ch : line) ch = static_cast<char>('a' + rng() % 26);
      input += line + "\n";
      if (line.size() > max) {
        ++expected_oversized;
      } else {
        expected.push_back(line);
      }
    }
    Collected c;
    auto f = make_framer(c, max);
    std::size_t pos = 0;
    while (pos < input.size()) {
      const std::size_t len = std::min<std::size_t>(input.size() - pos, 1 + rng() % 70);
      f.feed(std::string_view(input).substr(pos, len));
      pos += len;
      ASSERT_LE(f.buffered(), max);
    }
    f.finish();
    ASSERT_EQ(c.lines, expected) << "round " << round;
    ASSERT_EQ(c.oversized.size(), expected_oversized) << "round " << round;
  }
}

}  // namespace
}  // namespace maelstrom
