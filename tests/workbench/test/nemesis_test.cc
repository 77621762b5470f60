#include <gtest/gtest.h>

#include "tests/workbench/src/nemesis.h"

namespace workbench {
namespace {

const std::vector<std::string> kNodes = {"n0", "n1", "n2", "n3", "n4"};

TEST(Nemesis, DisabledWithoutFaults) {
  Nemesis n({}, 10, kNodes, Rng(1));
  EXPECT_FALSE(n.enabled());
  EXPECT_FALSE(n.next_time());
}

TEST(Nemesis, StartsAtZeroAlternatesAndStaggers) {
  Nemesis n({Fault::Partition, Fault::Kill, Fault::Pause}, 2.0, kNodes, Rng(9));
  ASSERT_EQ(*n.next_time(), 0);
  Nanos prev = 0;
  double gaps = 0;
  std::set<NemesisAction::Kind> starts;
  const int rounds = 2000;
  for (int i = 0; i < rounds; ++i) {
    const NemesisAction start = n.take();
    EXPECT_GE(start.time, prev);
    EXPECT_LT(start.time - prev, 4 * kSeconds);
    starts.insert(start.kind);
    const NemesisAction stop = n.take();
    gaps += static_cast<double>(stop.time - start.time);
    EXPECT_LT(stop.time - start.time, 4 * kSeconds);
    EXPECT_EQ(nemesis_fault(stop.kind), nemesis_fault(start.kind));
    EXPECT_NE(nemesis_f(stop.kind), nemesis_f(start.kind));
    EXPECT_EQ(stop.node, start.node);  // restart / resume the node that was hit
    if (start.kind == NemesisAction::Kind::StartPartition) {
      EXPECT_FALSE(start.grudge.empty());
    } else {
      EXPECT_FALSE(start.node.empty());
    }
    prev = stop.time;
  }
  EXPECT_EQ(starts.size(), 3u);
  EXPECT_NEAR(gaps / rounds / kSeconds, 2.0, 0.15);  // uniform 0..2*interval
}

TEST(Nemesis, SameSeedSameSchedule) {
  Nemesis a({Fault::Partition, Fault::Kill}, 1, kNodes, Rng(77));
  Nemesis b({Fault::Partition, Fault::Kill}, 1, kNodes, Rng(77));
  for (int i = 0; i < 100; ++i) {
    const auto x = a.take(), y = b.take();
    EXPECT_EQ(x.time, y.time);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.node, y.node);
    EXPECT_EQ(x.grudge, y.grudge);
  }
}

}  // namespace
}  // namespace workbench
