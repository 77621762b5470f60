// Node input handling: init, dispatch to handlers, automatic error replies, bad input.
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/transport/node_harness.h"

namespace maelstrom {
namespace {

using testing::NodeHarness;

TEST(NodeInit, AnswersInitOkAndRecordsIdentity) {
  NodeHarness h;
  EXPECT_FALSE(h.node.initialized());
  EXPECT_EQ(h.node.id(), "");
  h.deliver("c0", {{"type", "init"}, {"msg_id", 1}, {"node_id", "n2"},
                   {"node_ids", {"n1", "n2", "n3"}}}, "n2");
  EXPECT_EQ(h.take_one(), (json{{"src", "n2"}, {"dest", "c0"},
                                {"body", {{"type", "init_ok"}, {"in_reply_to", 1}}}}));
  EXPECT_TRUE(h.node.initialized());
  EXPECT_EQ(h.node.id(), "n2");
  EXPECT_EQ(h.node.node_ids(), (std::vector<std::string>{"n1", "n2", "n3"}));
  EXPECT_EQ(h.node.peers(), (std::vector<std::string>{"n1", "n3"}));
}

TEST(NodeInit, HooksRunOnceBeforeInitOkWithIdentitySet) {
  NodeHarness h;
  int runs = 0;
  h.node.on_init([&] {
    ++runs;
    EXPECT_EQ(h.node.id(), "n1");
    EXPECT_TRUE(h.raw().empty()) << "hook must run before init_ok is sent";
  });
  h.init();
  h.deliver("c0", {{"type", "init"}, {"msg_id", 2}, {"node_id", "n1"},
                   {"node_ids", {"n1", "n2", "n3"}}});
  EXPECT_EQ(h.take_one()["body"], (json{{"type", "init_ok"}, {"in_reply_to", 2}}));
  EXPECT_EQ(runs, 1);
}

TEST(NodeInit, RenamingInitIsRefused) {
  NodeHarness h;
  h.init("n1", {"n1", "n2"});
  h.deliver("c0", {{"type", "init"}, {"msg_id", 2}, {"node_id", "n2"},
                   {"node_ids", {"n1", "n2"}}});
  const auto body = h.take_one()["body"];
  EXPECT_EQ(body["type"], "error");
  EXPECT_EQ(body["code"], 14);
  EXPECT_EQ(h.node.id(), "n1");
}

TEST(NodeInit, MalformedInitGetsError12NamingFieldFromOwnName) {
  NodeHarness h;
  h.deliver("c0", {{"type", "init"}, {"msg_id", 1}, {"node_ids", {"n1"}}}, "n1");
  auto out = h.take_one();
  EXPECT_EQ(out["src"], "n1");
  EXPECT_EQ(out["dest"], "c0");
  EXPECT_EQ(out["body"]["code"], 12);
  EXPECT_EQ(out["body"]["in_reply_to"], 1);
  EXPECT_NE(out["body"]["text"].get<std::string>().find("'node_id'"), std::string::npos);
  EXPECT_FALSE(h.node.initialized());

  h.deliver("c0", {{"type", "init"}, {"msg_id", 2}, {"node_id", "n9"}, {"node_ids", {"n1"}}});
  out = h.take_one();
  EXPECT_EQ(out["body"]["code"], 12);
  EXPECT_NE(out["body"]["text"].get<std::string>().find("'node_ids'"), std::string::npos);
  EXPECT_FALSE(h.node.initialized());
}

TEST(NodeInit, FailingHookAnswersCrashButNodeKeepsServing) {
  NodeHarness h;
  h.node.on_init([] { throw std::runtime_error("boom"); });
  h.node.handle("ping", [&](const Message& m) { h.node.reply(m, {{"type", "pong"}}); });
  h.deliver("c0", {{"type", "init"}, {"msg_id", 1}, {"node_id", "n1"}, {"node_ids", {"n1"}}});
  EXPECT_EQ(h.take_one()["body"]["code"], 13);
  h.deliver("c1", {{"type", "ping"}, {"msg_id", 5}});
  EXPECT_EQ(h.take_one()["body"]["type"], "pong");
}

TEST(NodeDispatch, CallsHandlerAndRepliesWithInReplyTo) {
  NodeHarness h;
  h.node.handle("echo", [&](const Message& m) {
    h.node.reply(m, {{"type", "echo_ok"}, {"echo", m.at("echo")}});
  });
  h.init();
  h.node.receive_line(
      R"({"id":17,"src":"c3","dest":"n1","body":{"type":"echo","msg_id":4,"echo":{"a":[1,2]}}})");
  EXPECT_EQ(h.take_one(),
            (json{{"src", "n1"}, {"dest", "c3"},
                  {"body", {{"type", "echo_ok"}, {"echo", {{"a", {1, 2}}}}, {"in_reply_to", 4}}}}));
}

TEST(NodeDispatch, UnknownTypeGetsError10) {
  NodeHarness h;
  h.init();
  h.deliver("c1", {{"type", "frobnicate"}, {"msg_id", 9}});
  const auto body = h.take_one()["body"];
  EXPECT_EQ(body["type"], "error");
  EXPECT_EQ(body["code"], 10);
  EXPECT_EQ(body["in_reply_to"], 9);
  EXPECT_NE(body["text"].get<std::string>().find("frobnicate"), std::string::npos);
  EXPECT_EQ(body.size(), 4u);
}

TEST(NodeDispatch, MistypedFieldGetsError12NamingTheField) {
  NodeHarness h;
  h.node.handle("read", [&](const Message& m) {
    const auto key = m.get<std::int64_t>("key");
    h.node.reply(m, {{"type", "read_ok"}, {"value", key}});
  });
  h.init();
  h.deliver("c1", {{"type", "read"}, {"msg_id", 2}, {"key", "seven"}});
  auto body = h.take_one()["body"];
  EXPECT_EQ(body["code"], 12);
  EXPECT_EQ(body["in_reply_to"], 2);
  EXPECT_NE(body["text"].get<std::string>().find("'key'"), std::string::npos) << body;
  h.deliver("c1", {{"type", "read"}, {"msg_id", 3}});
  body = h.take_one()["body"];
  EXPECT_EQ(body["code"], 12);
  EXPECT_NE(body["text"].get<std::string>().find("'key' is missing"), std::string::npos);
}

TEST(NodeDispatch, HandlerErrorsBecomeErrorReplies) {
  NodeHarness h;
  h.node.handle("cas", [](const Message&) {
    throw Error(ErrorCode::precondition_failed, "expected 1, had 2");
  });
  h.node.handle("app", [](const Message&) { throw Error(1001, "custom"); });
  h.node.handle("buggy", [](const Message&) { throw std::out_of_range("oops"); });
  h.init();
  h.deliver("c1", {{"type", "cas"}, {"msg_id", 1}});
  EXPECT_EQ(h.take_one()["body"],
            (json{{"type", "error"}, {"in_reply_to", 1}, {"code", 22}, {"text", "expected 1, had 2"}}));
  h.deliver("c1", {{"type", "app"}, {"msg_id", 2}});
  EXPECT_EQ(h.take_one()["body"]["code"], 1001);
  h.deliver("c1", {{"type", "buggy"}, {"msg_id", 3}});
  EXPECT_EQ(h.take_one()["body"]["code"], 13) << "unexpected exceptions are indefinite";
}

TEST(NodeDispatch, NoAutomaticErrorWithoutMsgIdOrForReplies) {
  NodeHarness h;
  h.init();
  h.deliver("n2", {{"type", "gossip"}});                        // no msg_id: no answer
  h.deliver("n2", {{"type", "mystery_ok"}, {"in_reply_to", 5}});  // a reply: never answered
  h.deliver("n2", {{"type", "error"}, {"in_reply_to", 6}, {"code", 0}});
  EXPECT_TRUE(h.take().empty());
  EXPECT_EQ(h.node.stats().unmatched_replies, 2u);
}

TEST(NodeDispatch, ExplicitReplyError) {
  NodeHarness h;
  h.node.handle("write", [&](const Message& m) {
    h.node.reply_error(m, ErrorCode::temporarily_unavailable, "no leader");
  });
  h.init();
  h.deliver("c1", {{"type", "write"}, {"msg_id", 8}});
  EXPECT_EQ(h.take_one()["body"],
            (json{{"type", "error"}, {"in_reply_to", 8}, {"code", 11}, {"text", "no leader"}}));
}

TEST(NodeDispatch, DeferredReplyFromCopiedRequest) {
  NodeHarness h;
  std::vector<Message> parked;
  h.node.handle("write", [&](const Message& m) { parked.push_back(m); });
  h.init();
  h.deliver("c1", {{"type", "write"}, {"msg_id", 8}});
  EXPECT_TRUE(h.take().empty());
  h.node.reply(parked.at(0), {{"type", "write_ok"}});
  EXPECT_EQ(h.take_one()["body"], (json{{"type", "write_ok"}, {"in_reply_to", 8}}));
}

TEST(NodeDispatch, BadLinesAreSkippedAndCounted) {
  NodeHarness h;
  h.init();
  for (const char* line : {"garbage", "{\"src\":\"c1\"", "42", R"({"src":"c1","dest":"n1"})",
                           R"({"dest":"n1","body":{"type":"x"}})",
                           R"({"src":"c1","body":{"type":"x"}})",
                           R"({"src":"c1","dest":"n1","body":{"msg_id":1}})"}) {
    h.node.receive_line(line);
  }
  h.node.receive_line("   ");
  EXPECT_TRUE(h.take().empty());
  EXPECT_EQ(h.node.stats().bad_lines, 7u);
  h.deliver("c1", {{"type", "nope"}, {"msg_id", 1}});
  EXPECT_EQ(h.take_one()["body"]["code"], 10) << "still serving after bad lines";
}

TEST(NodeDispatch, RejectsInvalidRegistrationsAndBodies) {
  NodeHarness h;
  EXPECT_THROW(h.node.handle("init", [](const Message&) {}), std::logic_error);
  h.node.handle("x", [](const Message&) {});
  EXPECT_THROW(h.node.handle("x", [](const Message&) {}), std::logic_error);
  EXPECT_THROW(h.node.handle("y", nullptr), std::logic_error);
  h.init();
  EXPECT_THROW(h.node.send("n2", json::array()), std::invalid_argument);
  EXPECT_THROW(h.node.send("n2", {{"no_type", 1}}), std::invalid_argument);
  EXPECT_THROW(h.node.send("", {{"type", "t"}}), std::invalid_argument);
  EXPECT_TRUE(h.take().empty());
}

TEST(NodeBeforeInit, SendsAreQueuedUntilInit) {
  NodeHarness h;
  h.node.send("n2", {{"type", "hello"}});
  h.node.every(std::chrono::milliseconds(10), [&] { h.node.send("n3", {{"type", "tick"}}); });
  h.advance(std::chrono::milliseconds(10));
  EXPECT_TRUE(h.raw().empty()) << "nothing may reach a peer before init";
  h.deliver("c0", {{"type", "init"}, {"msg_id", 1}, {"node_id", "n1"},
                   {"node_ids", {"n1", "n2", "n3"}}});
  const auto out = h.take();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0]["body"]["type"], "init_ok");
  EXPECT_EQ(out[1], (json{{"src", "n1"}, {"dest", "n2"}, {"body", {{"type", "hello"}}}}));
  EXPECT_EQ(out[2], (json{{"src", "n1"}, {"dest", "n3"}, {"body", {{"type", "tick"}}}}));
}

TEST(NodeBeforeInit, MessagesAreHeldAndDispatchedAfterInit) {
  NodeHarness h;
  std::vector<std::string> seen;
  h.node.handle("raft_vote", [&](const Message& m) {
    seen.push_back(m.src);
    h.node.reply(m, {{"type", "raft_vote_ok"}});
  });
  h.deliver("n2", {{"type", "raft_vote"}, {"msg_id", 1}});
  h.deliver("n3", {{"type", "raft_vote"}, {"msg_id", 1}});
  EXPECT_TRUE(h.raw().empty());
  EXPECT_TRUE(seen.empty());
  h.deliver("c0", {{"type", "init"}, {"msg_id", 1}, {"node_id", "n1"},
                   {"node_ids", {"n1", "n2", "n3"}}});
  EXPECT_EQ(seen, (std::vector<std::string>{"n2", "n3"}));
  const auto out = h.take();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0]["body"]["type"], "init_ok");
  EXPECT_EQ(out[1]["dest"], "n2");
  EXPECT_EQ(out[2]["dest"], "n3");
}

TEST(NodeBeforeInit, HeldMessagesAreBounded) {
  NodeOptions options;
  options.max_held_before_init = 2;
  NodeHarness h(options);
  int handled = 0;
  h.node.handle("t", [&](const Message&) { ++handled; });
  for (int i = 0; i < 5; ++i) h.deliver("n2", {{"type", "t"}});
  EXPECT_EQ(h.node.stats().dropped_before_init, 3u);
  h.init();
  EXPECT_EQ(handled, 2);
}

TEST(NodeInput, FramesBytesAcrossReadsAndHandlesOversizedLines) {
  NodeOptions options;
  options.max_line_bytes = 200;
  NodeHarness h(options);
  h.node.handle("echo", [&](const Message& m) {
    h.node.reply(m, {{"type", "echo_ok"}, {"echo", m.at("echo")}});
  });
  h.init();
  const std::string line =
      R"({"src":"c1","dest":"n1","body":{"type":"echo","msg_id":2,"echo":"abc"}})";
  h.node.receive_bytes(line.substr(0, 10));
  h.node.receive_bytes(line.substr(10, 30));
  EXPECT_TRUE(h.raw().empty());
  h.node.receive_bytes(line.substr(40) + "\n" + std::string(500, 'x'));
  EXPECT_EQ(h.take_one()["body"]["echo"], "abc");
  h.node.receive_bytes(std::string(500, 'y') + "\n" + line + "\n");
  EXPECT_EQ(h.take_one()["body"]["echo"], "abc");
  EXPECT_EQ(h.node.stats().oversized_lines, 1u);
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// 100,000 nested arrays used to overflow the stack (copying / dumping JSON recurses).
TEST(NodeInput, DeeplyNestedRequestGetsError12AndTheNodeKeepsServing) {
  NodeHarness h;
  h.node.handle("echo", [&](const Message& m) {
    h.node.reply(m, {{"type", "echo_ok"}, {"echo", m.at("echo")}});
  });
  h.init();
  h.node.receive_line(R"({"src":"c1","dest":"n1","body":{"type":"echo","msg_id":7,"echo":)" +
                      nested(100000) + "}}");
  const auto err = h.take_one();
  EXPECT_EQ(err["dest"], "c1");
  EXPECT_EQ(err["body"]["type"], "error");
  EXPECT_EQ(err["body"]["code"], 12);
  EXPECT_EQ(err["body"]["in_reply_to"], 7);
  EXPECT_NE(err["body"]["text"].get<std::string>().find("nested deeper than 100"),
            std::string::npos);
  EXPECT_EQ(h.node.stats().bad_lines, 1u);
  h.deliver("c1", {{"type", "echo"}, {"msg_id", 8}, {"echo", "still here"}});
  EXPECT_EQ(h.take_one()["body"]["echo"], "still here");
}

TEST(NodeInput, NestingUpToTheLimitIsServedOneMoreIsRefused) {
  NodeOptions options;
  options.max_json_depth = 10;
  NodeHarness h(options);
  h.node.handle("echo", [&](const Message& m) {
    h.node.reply(m, {{"type", "echo_ok"}, {"echo", m.at("echo")}});
  });
  h.init();
  const auto line = [](std::size_t depth) {  // envelope + body are 2 levels
    return R"({"src":"c1","dest":"n1","body":{"type":"echo","msg_id":1,"echo":)" +
           nested(depth) + "}}";
  };
  h.node.receive_line(line(8));
  EXPECT_EQ(h.take_one()["body"]["type"], "echo_ok");
  h.node.receive_line(line(9));
  EXPECT_EQ(h.take_one()["body"]["code"], 12);
  // Brackets inside strings are text, not nesting.
  h.deliver("c1", {{"type", "echo"}, {"msg_id", 2}, {"echo", nested(50) + "\\\"[["}});
  EXPECT_EQ(h.take_one()["body"]["type"], "echo_ok");
}

TEST(NodeInput, DeeplyNestedLineWithoutEnvelopeIsSkippedSilently) {
  NodeHarness h;
  h.init();
  h.node.receive_line(nested(100000));
  h.node.receive_line(R"({"src":"c1","body":)" + nested(500) + "}");
  EXPECT_TRUE(h.raw().empty());
  EXPECT_EQ(h.node.stats().bad_lines, 2u);
}

// Found by fuzz_node_line: a request from "" was answered with an error, and sending to ""
// threw out of the event loop (std::terminate).
TEST(NodeInput, EmptySourceOrDestinationIsSkippedAndTheNodeKeepsServing) {
  NodeHarness h;
  h.node.handle("echo", [&](const Message& m) {
    h.node.reply(m, {{"type", "echo_ok"}, {"echo", m.at("echo")}});
  });
  h.init();
  h.node.receive_line(R"({"src":"","dest":"n1","body":{"type":"nope","msg_id":3}})");
  h.node.receive_line(R"({"src":"c1","dest":"","body":{"type":"echo","msg_id":4,"echo":1}})");
  EXPECT_TRUE(h.raw().empty());
  EXPECT_EQ(h.node.stats().bad_lines, 2u);
  h.deliver("c1", {{"type", "echo"}, {"msg_id", 5}, {"echo", "still here"}});
  EXPECT_EQ(h.take_one()["body"]["echo"], "still here");
}

// Found by fuzz_node_line: nlohmann::json throws out_of_range, not parse_error, for a
// number too large for a double; it escaped the event loop and terminated the node.
TEST(NodeInput, NumberOutOfRangeIsSkippedAndTheNodeKeepsServing) {
  NodeHarness h;
  h.node.handle("echo", [&](const Message& m) {
    h.node.reply(m, {{"type", "echo_ok"}, {"echo", m.at("echo")}});
  });
  h.init();
  h.node.receive_line(R"({"src":"c1","dest":"n1","body":{"type":"echo","msg_id":4,"echo":1e999999}})");
  EXPECT_TRUE(h.raw().empty());
  EXPECT_EQ(h.node.stats().bad_lines, 1u);
  h.deliver("c1", {{"type", "echo"}, {"msg_id", 5}, {"echo", "still here"}});
  EXPECT_EQ(h.take_one()["body"]["echo"], "still here");
}

TEST(JsonNesting, ScanCountsOnlyStructure) {
  EXPECT_FALSE(json_nesting_exceeds("[[1]]", 2));
  EXPECT_TRUE(json_nesting_exceeds("[[[1]]]", 2));
  EXPECT_FALSE(json_nesting_exceeds(R"(["[[[[", {"a": "\"{{{{"}])", 2));
  EXPECT_TRUE(json_nesting_exceeds(R"([{"a": [1]}])", 2));
  EXPECT_FALSE(json_nesting_exceeds("]]]]][", 1));  // stray closers do not go negative
}

TEST(NodeInput, EofHandlesUnterminatedLastLine) {
  NodeHarness h;
  h.init();
  h.node.receive_bytes(R"({"src":"c1","dest":"n1","body":{"type":"zzz","msg_id":3}})");
  EXPECT_TRUE(h.raw().empty());
  h.node.receive_eof();
  EXPECT_EQ(h.take_one()["body"]["code"], 10);
}

}  // namespace
}  // namespace maelstrom
