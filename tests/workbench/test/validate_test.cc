#include <gtest/gtest.h>

#include "tests/workbench/src/line_buffer.h"
#include "tests/workbench/src/validate.h"

namespace workbench {
namespace {

bool known(const std::string& n) { return n == "n0" || n == "n1" || n == "c3" || n == "lin-kv"; }

std::string error_of(const std::string& line) { return check_line(line, known).error; }

TEST(CheckLine, AcceptsAWellFormedMessage) {
  auto c = check_line(R"({"src":"n0","dest":"c3","body":{"type":"read_ok","value":1,"in_reply_to":2},"id":7})", known);
  ASSERT_TRUE(c.message) << c.error;
  EXPECT_EQ(c.message->src, "n0");
  EXPECT_EQ(c.message->dest, "c3");
  EXPECT_EQ(c.message->body["value"], 1);
}

TEST(CheckLine, RejectsEachKindOfBrokenLine) {
  EXPECT_NE(error_of("hello world").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"src":"n0","dest":"n1","body":{"type":"x"})").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("[1,2]").find("JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"src":"n0","dest":"n1","body":{"type":"x"},"extra":1})").find("\"extra\""), std::string::npos);
  EXPECT_NE(error_of(R"({"dest":"n1","body":{"type":"x"}})").find("\"src\""), std::string::npos);
  EXPECT_NE(error_of(R"({"src":"n0","dest":5,"body":{"type":"x"}})").find("\"dest\""), std::string::npos);
  EXPECT_NE(error_of(R"({"src":"n0","dest":"n1"})").find("body"), std::string::npos);
  EXPECT_NE(error_of(R"({"src":"n0","dest":"n1","body":{"msg_id":1}})").find("type"), std::string::npos);
  EXPECT_NE(error_of(R"({"src":"n0","dest":"n1","body":{"type":3}})").find("type"), std::string::npos);
  EXPECT_NE(error_of(R"({"src":"n0","dest":"n9","body":{"type":"x"}})").find("unknown dest"), std::string::npos);
  EXPECT_NE(error_of(R"({"src":"zz","dest":"n1","body":{"type":"x"}})").find("unknown src"), std::string::npos);
  EXPECT_NE(error_of(R"({"src":"n0","dest":"n1","body":{"type":"x"},"id":"7"})").find("\"id\""), std::string::npos);
}

TEST(ClientReply, LinKvSchemasAreClosed) {
  using nlohmann::json;
  EXPECT_EQ(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"read_ok","value":null,"in_reply_to":1})")), "");
  EXPECT_EQ(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"write_ok","in_reply_to":1,"msg_id":4})")), "");
  EXPECT_EQ(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"error","code":11,"in_reply_to":1})")), "");
  EXPECT_EQ(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"init_ok","in_reply_to":1,"x":2})")), "");
  EXPECT_NE(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"read_ok","value":1,"in_reply_to":1,"key":0})")), "");
  EXPECT_NE(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"read_ok","in_reply_to":1})")), "");
  EXPECT_NE(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"cas_ok"})")), "");
  EXPECT_NE(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"cas_ok","in_reply_to":"1"})")), "");
  EXPECT_NE(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"error","code":"x","in_reply_to":1})")), "");
  EXPECT_NE(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"error","code":1,"text":5,"in_reply_to":1})")), "");
  EXPECT_NE(check_client_reply(WorkloadKind::LinKv, json::parse(R"({"type":"echo_ok","echo":1,"in_reply_to":1})")), "");
  EXPECT_EQ(check_client_reply(WorkloadKind::Echo, json::parse(R"({"type":"echo_ok","echo":1,"in_reply_to":1})")), "");
  EXPECT_NE(check_client_reply(WorkloadKind::Echo, json::parse(R"({"type":"echo_ok","in_reply_to":1})")), "");
}

TEST(LineBuffer, SplitsPartialLinesAndCapsLongOnes) {
  LineBuffer b(10);
  std::vector<std::string> lines;
  int overflows = 0;
  auto on_line = [&](std::string_view l) { lines.emplace_back(l); };
  auto on_over = [&](std::string_view) { ++overflows; };
  b.feed("ab", on_line, on_over);
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(b.pending(), 2u);
  b.feed("c\r\nde\n", on_line, on_over);
  EXPECT_EQ(lines, (std::vector<std::string>{"abc", "de"}));
  b.feed("0123456789ABCDEF", on_line, on_over);  // too long: reported once, skipped
  b.feed("more of it\nok\n", on_line, on_over);
  EXPECT_EQ(overflows, 1);
  EXPECT_EQ(lines, (std::vector<std::string>{"abc", "de", "ok"}));
  b.feed("tail", on_line, on_over);  // never terminated: never delivered
  EXPECT_EQ(lines.size(), 3u);
}

}  // namespace
}  // namespace workbench
