#include "transport/message.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "transport/error.h"

namespace maelstrom {
namespace {

Message parse_ok(std::string_view line) {
  auto parsed = parse_message(line);
  if (auto* failure = std::get_if<ParseFailure>(&parsed)) {
    ADD_FAILURE() << "rejected: " << failure->reason;
    return {};
  }
  return std::get<Message>(std::move(parsed));
}

std::string rejection(std::string_view line) {
  auto parsed = parse_message(line);
  if (auto* failure = std::get_if<ParseFailure>(&parsed)) return failure->reason;
  ADD_FAILURE() << "accepted: " << line;
  return {};
}

TEST(ParseMessage, AcceptsMaelstromEnvelopeAndIgnoresId) {
  const Message m = parse_ok(
      R"({"id":42,"src":"c1","dest":"n1","body":{"type":"echo","msg_id":7,"echo":"x"}})");
  EXPECT_EQ(m.src, "c1");
  EXPECT_EQ(m.dest, "n1");
  EXPECT_EQ(m.type(), "echo");
  EXPECT_EQ(m.msg_id(), 7);
  EXPECT_EQ(m.in_reply_to(), std::nullopt);
  EXPECT_TRUE(m.from_client());
  EXPECT_EQ(m.body["echo"], "x");
  EXPECT_FALSE(m.body.contains("id"));
}

TEST(ParseMessage, ReadsInReplyTo) {
  const Message m =
      parse_ok(R"({"src":"n2","dest":"n1","body":{"type":"read_ok","in_reply_to":3}})");
  EXPECT_EQ(m.in_reply_to(), 3);
  EXPECT_FALSE(m.from_client());
}

TEST(ParseMessage, RejectsBadLinesWithReason) {
  EXPECT_NE(rejection("not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(rejection(R"({"src":"c1")").find("not valid JSON"), std::string::npos);
  EXPECT_EQ(rejection("[1,2]"), "not a JSON object");
  EXPECT_EQ(rejection(R"({"dest":"n1","body":{"type":"x"}})"), "envelope has no 'src'");
  EXPECT_EQ(rejection(R"({"src":"c1","body":{"type":"x"}})"), "envelope has no 'dest'");
  EXPECT_EQ(rejection(R"({"src":"c1","dest":"n1"})"), "envelope has no 'body'");
  EXPECT_EQ(rejection(R"({"src":1,"dest":"n1","body":{"type":"x"}})"),
            "envelope 'src' is not a string");
  EXPECT_EQ(rejection(R"({"src":"c1","dest":"n1","body":[]})"), "'body' is not an object");
  EXPECT_EQ(rejection(R"({"src":"c1","dest":"n1","body":{}})"), "body has no 'type'");
  EXPECT_EQ(rejection(R"({"src":"c1","dest":"n1","body":{"type":5}})"),
            "body 'type' is not a string");
  EXPECT_EQ(rejection(R"({"src":"c1","dest":"n1","body":{"type":"x","msg_id":"1"}})"),
            "body 'msg_id' is not an integer");
  EXPECT_EQ(rejection(R"({"src":"c1","dest":"n1","body":{"type":"x","in_reply_to":1.5}})"),
            "body 'in_reply_to' is not an integer");
}

TEST(SerializeMessage, ProducesOneLineEnvelope) {
  const std::string line =
      serialize_message("n1", "c1", json{{"type", "echo_ok"}, {"echo", "a\nb"}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const json parsed = json::parse(line);
  EXPECT_EQ(parsed, (json{{"src", "n1"}, {"dest", "c1"},
                          {"body", {{"type", "echo_ok"}, {"echo", "a\nb"}}}}));
}

TEST(SerializeMessage, ReplacesInvalidUtf8InsteadOfThrowing) {
  const std::string bad = "\xff\xfe";
  std::string line;
  ASSERT_NO_THROW(line = serialize_message("n1", "c1", json{{"type", "x"}, {"v", bad}}));
  json parsed;
  EXPECT_NO_THROW(parsed = json::parse(line));
  EXPECT_EQ(parsed["body"]["type"], "x");
}

// Checks that `fn` throws maelstrom::Error 12 whose text names `field`.
template <class F>
void expect_malformed(F&& fn, const std::string& field, const std::string& detail) {
  try {
    fn();
    ADD_FAILURE() << "no error for field " << field;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), 12);
    const std::string text = e.what();
    EXPECT_NE(text.find("'" + field + "'"), std::string::npos) << text;
    EXPECT_NE(text.find(detail), std::string::npos) << text;
  }
}

TEST(MessageFields, TypedAccess) {
  const Message m = parse_ok(
      R"({"src":"c1","dest":"n1","body":{"type":"cas","key":3,"from":1,"to":2,"flag":true,)"
      R"("name":"k","ratio":0.5,"ids":["a","b"],"opaque":{"x":[1]},"nothing":null}})");
  EXPECT_EQ(m.get<std::int64_t>("key"), 3);
  EXPECT_EQ(m.get<int>("from"), 1);
  EXPECT_EQ(m.get<std::uint8_t>("to"), 2);
  EXPECT_TRUE(m.get<bool>("flag"));
  EXPECT_EQ(m.get<std::string>("name"), "k");
  EXPECT_DOUBLE_EQ(m.get<double>("ratio"), 0.5);
  EXPECT_DOUBLE_EQ(m.get<double>("key"), 3.0);
  EXPECT_EQ(m.get<std::vector<std::string>>("ids"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(m.get<json>("opaque"), (json{{"x", {1}}}));
  EXPECT_EQ(m.at("opaque"), (json{{"x", {1}}}));
  EXPECT_TRUE(m.get<json>("nothing").is_null());
  EXPECT_EQ(m.get_optional<int>("missing"), std::nullopt);
  EXPECT_EQ(m.get_optional<int>("nothing"), std::nullopt);
  EXPECT_EQ(m.get_optional<int>("key"), 3);
  EXPECT_TRUE(m.has("nothing"));
  EXPECT_FALSE(m.has("missing"));
}

TEST(MessageFields, MissingOrMistypedFieldsThrowErrorNamingTheField) {
  const Message m = parse_ok(
      R"({"src":"c1","dest":"n1","body":{"type":"x","s":"str","f":1.5,"b":true,"i":1,)"
      R"("big":300,"neg":-1,"ids":["a",2],"nul":null}})");
  expect_malformed([&] { (void)m.get<int>("key"); }, "key", "is missing");
  expect_malformed([&] { (void)m.at("key"); }, "key", "is missing");
  expect_malformed([&] { (void)m.get<int>("s"); }, "s", "must be an integer, got string");
  expect_malformed([&] { (void)m.get<int>("f"); }, "f", "must be an integer, got float");
  expect_malformed([&] { (void)m.get<int>("b"); }, "b", "must be an integer, got boolean");
  expect_malformed([&] { (void)m.get<bool>("i"); }, "i", "must be a boolean, got integer");
  expect_malformed([&] { (void)m.get<std::string>("i"); }, "i", "must be a string");
  expect_malformed([&] { (void)m.get<double>("s"); }, "s", "must be a number");
  expect_malformed([&] { (void)m.get<std::uint8_t>("big"); }, "big", "out of range");
  expect_malformed([&] { (void)m.get<unsigned>("neg"); }, "neg", "out of range");
  expect_malformed([&] { (void)m.get<std::vector<std::string>>("s"); }, "s", "must be an array");
  expect_malformed([&] { (void)m.get<std::vector<std::string>>("ids"); }, "ids[1]",
                   "must be a string, got integer");
  expect_malformed([&] { (void)m.get<int>("nul"); }, "nul", "got null");
  expect_malformed([&] { (void)m.get_optional<int>("s"); }, "s", "must be an integer");
}

TEST(MessageFields, Int64Limits) {
  const json body{{"type", "x"},
                  {"max", std::numeric_limits<std::int64_t>::max()},
                  {"umax", std::numeric_limits<std::uint64_t>::max()}};
  const Message m{"c1", "n1", body};
  EXPECT_EQ(m.get<std::int64_t>("max"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(m.get<std::uint64_t>("umax"), std::numeric_limits<std::uint64_t>::max());
  expect_malformed([&] { (void)m.get<std::int64_t>("umax"); }, "umax", "out of range");
}

TEST(ErrorCodes, DefiniteAndNames) {
  for (int code : {1, 10, 11, 12, 14, 20, 21, 22, 30}) EXPECT_TRUE(is_definite(code)) << code;
  for (int code : {0, 13, 1000, 5, -1}) EXPECT_FALSE(is_definite(code)) << code;
  EXPECT_EQ(error_name(11), "temporarily-unavailable");
  EXPECT_EQ(error_name(1234), "unknown");
}

}  // namespace
}  // namespace maelstrom
