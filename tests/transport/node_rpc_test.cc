// rpc(): msg_id assignment, reply matching, timeouts on a manual clock; node timers.
#include <chrono>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "tests/transport/node_harness.h"

namespace maelstrom {
namespace {

using namespace std::chrono_literals;
using testing::NodeHarness;

struct Outcome {
  int calls = 0;
  std::optional<RpcResult> last;
};

RpcCallback record(Outcome& o) {
  return [&o](const RpcResult& r) {
    ++o.calls;
    o.last = r;
  };
}

TEST(NodeRpc, AssignsUniqueMsgIdsAndMatchesReplies) {
  NodeHarness h;
  h.init();
  Outcome a, b;
  const auto id_a = h.node.rpc("n2", {{"type", "raft_append"}, {"term", 3}}, record(a));
  const auto id_b = h.node.rpc("n3", {{"type", "raft_append"}, {"term", 3}}, record(b));
  EXPECT_NE(id_a, id_b);
  const auto out = h.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], (json{{"src", "n1"}, {"dest", "n2"},
                          {"body", {{"type", "raft_append"}, {"term", 3}, {"msg_id", id_a}}}}));
  EXPECT_EQ(out[1]["body"]["msg_id"], id_b);

  h.deliver("n3", {{"type", "raft_append_ok"}, {"in_reply_to", id_b}, {"success", true}});
  EXPECT_EQ(a.calls, 0);
  ASSERT_EQ(b.calls, 1);
  EXPECT_TRUE(b.last->ok());
  EXPECT_FALSE(b.last->timed_out());
  EXPECT_EQ(b.last->reply().src, "n3");
  EXPECT_TRUE(b.last->reply().get<bool>("success"));

  h.deliver("n2", {{"type", "error"}, {"in_reply_to", id_a}, {"code", 11}, {"text", "busy"}});
  ASSERT_EQ(a.calls, 1);
  EXPECT_TRUE(a.last->is_error());
  EXPECT_FALSE(a.last->ok());
  EXPECT_EQ(a.last->error_code(), 11);
  EXPECT_TRUE(h.take().empty()) << "replies are never answered";
}

TEST(NodeRpc, MsgIdsStayUniqueAcrossManyCalls) {
  NodeHarness h;
  h.init();
  std::set<std::int64_t> ids;
  for (int i = 0; i < 1000; ++i) {
    ids.insert(h.node.rpc("n2", {{"type", "t"}}, [](const RpcResult&) {}));
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(NodeRpc, TimesOutOnceAndDropsLateReply) {
  NodeHarness h;
  h.init();
  Outcome o;
  const auto id = h.node.rpc("n2", {{"type", "read"}, {"key", 1}}, record(o), 500ms);
  h.take();
  EXPECT_EQ(h.node.next_deadline(), h.clock.now() + 500ms);
  h.advance(499ms);
  EXPECT_EQ(o.calls, 0);
  h.advance(1ms);
  ASSERT_EQ(o.calls, 1);
  EXPECT_TRUE(o.last->timed_out());
  EXPECT_FALSE(o.last->ok());
  EXPECT_EQ(o.last->error_code(), 0);
  h.deliver("n2", {{"type", "read_ok"}, {"in_reply_to", id}, {"value", 4}});
  EXPECT_EQ(o.calls, 1) << "late reply must not reach the callback";
  EXPECT_EQ(h.node.stats().unmatched_replies, 1u);
  h.advance(10s);
  EXPECT_EQ(o.calls, 1);
  EXPECT_EQ(h.node.next_deadline(), std::nullopt);
}

TEST(NodeRpc, ReplyCancelsTimeout) {
  NodeHarness h;
  h.init();
  Outcome o;
  const auto id = h.node.rpc("n2", {{"type", "read"}}, record(o), 100ms);
  h.deliver("n2", {{"type", "read_ok"}, {"in_reply_to", id}});
  EXPECT_EQ(h.node.next_deadline(), std::nullopt);
  h.advance(1s);
  EXPECT_EQ(o.calls, 1);
  EXPECT_TRUE(o.last->ok());
}

TEST(NodeRpc, CancelRpcSilencesCallback) {
  NodeHarness h;
  h.init();
  Outcome o;
  const auto id = h.node.rpc("n2", {{"type", "read"}}, record(o), 100ms);
  EXPECT_TRUE(h.node.cancel_rpc(id));
  EXPECT_FALSE(h.node.cancel_rpc(id));
  h.deliver("n2", {{"type", "read_ok"}, {"in_reply_to", id}});
  h.advance(1s);
  EXPECT_EQ(o.calls, 0);
}

TEST(NodeRpc, CallbackMayIssueAnotherRpcAndThrowSafely) {
  NodeHarness h;
  h.init();
  Outcome second;
  const auto id = h.node.rpc("n2", {{"type", "a"}}, [&](const RpcResult&) {
    h.node.rpc("n3", {{"type", "b"}}, record(second), 50ms);
    throw std::runtime_error("callback bug");  // logged, does not escape
  });
  EXPECT_NO_THROW(h.deliver("n2", {{"type", "a_ok"}, {"in_reply_to", id}}));
  EXPECT_NO_THROW(h.advance(50ms));
  EXPECT_EQ(second.calls, 1);
  EXPECT_TRUE(second.last->timed_out());
}

TEST(NodeRpc, RpcBeforeInitIsQueuedAndStillMatched) {
  NodeHarness h;
  Outcome o;
  const auto id = h.node.rpc("n2", {{"type", "hello"}}, record(o), 1s);
  EXPECT_TRUE(h.raw().empty());
  h.init();
  const auto out = h.take_one();
  EXPECT_EQ(out["src"], "n1");
  EXPECT_EQ(out["body"]["msg_id"], id);
  h.deliver("n2", {{"type", "hello_ok"}, {"in_reply_to", id}});
  EXPECT_EQ(o.calls, 1);
}

TEST(NodeTimers, AfterFiresOnceAtItsDeadline) {
  NodeHarness h;
  h.init();
  int fired = 0;
  h.node.after(200ms, [&] { ++fired; });
  h.advance(199ms);
  EXPECT_EQ(fired, 0);
  h.advance(1ms);
  EXPECT_EQ(fired, 1);
  h.advance(1s);
  EXPECT_EQ(fired, 1);
}

TEST(NodeTimers, EveryTicksUntilCancelled) {
  NodeHarness h;
  h.init();
  int ticks = 0;
  const TimerId tick = h.node.every(10ms, [&] { ++ticks; });
  for (int i = 0; i < 5; ++i) h.advance(10ms);
  EXPECT_EQ(ticks, 5);
  EXPECT_TRUE(h.node.cancel(tick));
  h.advance(100ms);
  EXPECT_EQ(ticks, 5);
}

TEST(NodeTimers, ThrowingTimerIsContained) {
  NodeHarness h;
  h.init();
  int ticks = 0;
  h.node.every(10ms, [&] {
    ++ticks;
    throw std::runtime_error("tick failed");
  });
  EXPECT_NO_THROW(h.advance(10ms));
  EXPECT_NO_THROW(h.advance(10ms));
  EXPECT_EQ(ticks, 2) << "a throwing periodic timer keeps ticking";
}

TEST(NodeTimers, TimerStartedInInitHookSendsToPeers) {
  NodeHarness h;
  h.node.on_init([&] {
    h.node.every(100ms, [&] {
      for (const auto& peer : h.node.peers()) h.node.send(peer, {{"type", "heartbeat"}});
    });
  });
  h.init();
  h.advance(100ms);
  const auto out = h.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0]["dest"], "n2");
  EXPECT_EQ(out[1]["dest"], "n3");
}

}  // namespace
}  // namespace maelstrom
