#include <gtest/gtest.h>

#include "tests/workbench/src/network.h"

namespace workbench {
namespace {

using nlohmann::json;

struct Delivered {
  std::vector<NetMessage> msgs;
  std::function<bool(NetMessage&&)> fn() {
    return [this](NetMessage&& m) {
      msgs.push_back(std::move(m));
      return true;
    };
  }
};

Network make(std::int64_t latency_ms, LatencyDist d = LatencyDist::Constant) {
  Network n(d, latency_ms, Rng(1));
  for (const char* name : {"n0", "n1", "n2", "c0", "lin-kv"}) n.add(name);
  return n;
}

TEST(Network, IdsCountUpFromZeroAndClientLinksAreInstant) {
  Network net = make(50);
  Delivered d;
  EXPECT_EQ(net.send("c0", "n0", {{"type", "read"}}, 0), 0);
  EXPECT_EQ(net.send("n0", "n1", {{"type", "x"}}, 0), 1);
  net.pump(0, d.fn());
  ASSERT_EQ(d.msgs.size(), 1u);  // only the client's message is due at once
  EXPECT_EQ(d.msgs[0].dest, "n0");
  EXPECT_EQ(*net.next_deadline(), 50 * kMillis);
  net.pump(50 * kMillis, d.fn());
  ASSERT_EQ(d.msgs.size(), 2u);
  EXPECT_EQ(net.stats().clients.send, 1);
  EXPECT_EQ(net.stats().servers.send, 1);
  EXPECT_EQ(net.stats().all.recv, 2);
}

TEST(Network, ServicesGetLatencyLikeNodes) {
  Network net = make(20);
  Delivered d;
  net.send("n0", "lin-kv", {{"type", "read"}}, 0);
  net.pump(0, d.fn());
  EXPECT_TRUE(d.msgs.empty());
  net.pump(20 * kMillis, d.fn());
  EXPECT_EQ(d.msgs.size(), 1u);
}

TEST(Network, PartitionIsCheckedWhenTheReceiverTakesTheMessage) {
  Network net = make(100);
  Delivered d;
  net.send("n0", "n1", {{"type", "first"}}, 0);
  net.send("n0", "n1", {{"type", "second"}}, 0);
  net.pump(0, d.fn());  // n1 takes "first" off its queue now (no partition yet) and holds it
  net.set_grudge({{"n1", {"n0"}}});
  net.pump(100 * kMillis, d.fn());
  // "first" passed the check before the partition; "second", sent before the partition
  // started, is dropped when taken off the queue.
  ASSERT_EQ(d.msgs.size(), 1u);
  EXPECT_EQ(d.msgs[0].body["type"], "first");
  EXPECT_EQ(net.stats().dropped_by_partition, 1);
  // One-directional: n1 -> n0 still flows.
  net.send("n1", "n0", {{"type", "back"}}, 100 * kMillis);
  net.pump(200 * kMillis, d.fn());
  EXPECT_EQ(d.msgs.size(), 2u);
  net.heal();
  net.send("n0", "n1", {{"type", "healed"}}, 200 * kMillis);
  net.pump(300 * kMillis, d.fn());
  EXPECT_EQ(d.msgs.size(), 3u);
}

TEST(Network, AHeldMessageDelaysFasterOnesBehindIt) {
  // Maelstrom's receiver sleeps until the deadline of the message it took off the queue.
  Network net = make(100);
  Delivered d;
  net.send("n0", "n1", {{"type", "slow"}}, 0);
  net.pump(0, d.fn());
  net.send("c0", "n1", {{"type", "client"}}, 10 * kMillis);  // due at once, but n1 is busy
  net.pump(10 * kMillis, d.fn());
  EXPECT_TRUE(d.msgs.empty());
  net.pump(100 * kMillis, d.fn());
  ASSERT_EQ(d.msgs.size(), 2u);
  EXPECT_EQ(d.msgs[0].body["type"], "slow");
  EXPECT_EQ(d.msgs[1].body["type"], "client");
}

TEST(Network, UniformAndExponentialLatencies) {
  for (auto dist : {LatencyDist::Uniform, LatencyDist::Exponential}) {
    Network net = make(10, dist);
    double sum = 0;
    Nanos max = 0;
    const int n = 4000;
    for (int i = 0; i < n; ++i) {
      net.send("n0", "n2", {{"type", "x"}}, 0);
      Delivered d;
      net.pump(Nanos(1) << 50, d.fn());
      ASSERT_EQ(d.msgs.size(), 1u);
      sum += static_cast<double>(d.msgs[0].deadline);
      max = std::max(max, d.msgs[0].deadline);
    }
    const double mean_ms = sum / n / kMillis;
    if (dist == LatencyDist::Uniform) {
      EXPECT_NEAR(mean_ms, 9.5, 0.5);  // integers 0..19
      EXPECT_LT(max, 20 * kMillis);
    } else {
      EXPECT_NEAR(mean_ms, 9.5, 0.8);  // truncated to whole ms, like Maelstrom's (long) cast
      EXPECT_GT(max, 30 * kMillis);
    }
  }
}

TEST(Network, RemovedAndClearedInboxesLoseTheirMessages) {
  Network net = make(5);
  Delivered d;
  net.send("n0", "n1", {{"type", "x"}}, 0);
  net.send("n0", "c0", {{"type", "read_ok"}}, 0);
  net.clear_inbox("n1");
  net.remove("c0");
  EXPECT_FALSE(net.known("c0"));
  net.pump(kSeconds, d.fn());
  EXPECT_TRUE(d.msgs.empty());
}

TEST(Network, WireFormatPutsTheIdFirst) {
  NetMessage m{3, "c1", "n0", json{{"type", "read"}, {"key", 0}}, 0, ""};
  EXPECT_EQ(Network::wire(m), R"({"id":3,"src":"c1","dest":"n0","body":{"key":0,"type":"read"}})");
}

}  // namespace
}  // namespace workbench

namespace workbench {
namespace {

TEST(Network, MessagesARecieverCannotTakeAreLostNotReceived) {
  Network net(LatencyDist::Constant, 0, Rng(1));
  net.add("n0");
  net.add("n1");
  net.send("n0", "n1", {{"type", "x"}}, 0);
  net.pump(0, [](NetMessage&&) { return false; });
  EXPECT_EQ(net.stats().lost, 1);
  EXPECT_EQ(net.stats().all.recv, 0);
  EXPECT_EQ(net.stats().all.send, 1);
}

}  // namespace
}  // namespace workbench

namespace workbench {
namespace {

TEST(Network, TracesEveryMessagesPathForTheDiagram) {
  Network net = make(10);
  net.send("c0", "n0", {{"type", "read"}}, 0);
  net.send("n0", "n1", {{"type", "gossip"}}, 0);
  net.send("n1", "n2", {{"type", "gossip"}}, 0);
  net.set_grudge({{"n2", {"n1"}}});
  net.pump(10 * kMillis, [](NetMessage&& m) { return m.dest != "n1"; });  // n1 "killed"
  MessageTrace t = net.take_trace();
  ASSERT_EQ(t.messages().size(), 3u);
  EXPECT_EQ(t.name(t.messages()[0].src), "c0");
  EXPECT_EQ(t.type(t.messages()[0].type), "read");
  EXPECT_EQ(t.messages()[0].fate, Fate::Delivered);
  EXPECT_EQ(t.messages()[0].sent, 0);
  EXPECT_EQ(t.messages()[0].done, 10 * kMillis);    // when the pump handed it over
  EXPECT_EQ(t.messages()[1].fate, Fate::Lost);      // its receiver could not take it
  EXPECT_EQ(t.messages()[2].fate, Fate::Dropped);   // n2 holds a grudge against n1
  t.rebase(5 * kMillis);  // times relative to the start of the workload
  EXPECT_EQ(t.messages()[1].sent, -5 * kMillis);
  EXPECT_EQ(t.messages()[1].done, 5 * kMillis);
}

TEST(MessageTraceCap, StopsRecordingAtItsCapacityAndSaysSo) {
  MessageTrace t(2);
  for (int i = 0; i < 3; ++i) t.sent(i, "n0", "n1", "x", i);
  EXPECT_EQ(t.messages().size(), 2u);
  EXPECT_TRUE(t.truncated());
}

}  // namespace
}  // namespace workbench
