#include <gtest/gtest.h>

#include <sstream>

#include "lincheck/jsonl.h"
#include "lincheck/parse.h"
#include "test_util.h"

namespace lincheck {
namespace {

using namespace testing;

TEST(Jsonl, RoundTripsAHistory) {
  History h = history({w(0, 1, 0, 3), cas(1, 1, 2, 1, 0, Outcome::Info), r(2, 1, 4, 9),
                       make_op(3, "append", S("x \"q\"\n"), Value(), Outcome::Fail, 5, 6, "k7")});
  h.ops[1].error = "timeout";
  std::ostringstream out;
  write_jsonl(h, out);
  Result<History> back = parse_jsonl(out.str(), "rt.jsonl");
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  ASSERT_EQ(back->ops.size(), h.ops.size());
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    const Operation &a = h.ops[i], &b = back->ops[i];
    EXPECT_EQ(a.process, b.process);
    EXPECT_EQ(a.f, b.f);
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.input, b.input);
    EXPECT_EQ(a.output, b.output);
    EXPECT_EQ(a.outcome, b.outcome);
    EXPECT_EQ(a.call, b.call);
    EXPECT_EQ(a.ret, b.ret);
    EXPECT_EQ(a.error, b.error);
    EXPECT_EQ(b.line, i + 1);
  }
}

TEST(Jsonl, ReadsTheDocumentedExample) {
  const std::string text =
      "{\"process\":3,\"f\":\"cas\",\"key\":\"0\",\"input\":[1,2],\"output\":null,\"outcome\":\"ok\",\"call\":1200,\"ret\":1350}\n"
      "\n"
      "{\"process\":4,\"f\":\"write\",\"key\":7,\"input\":3,\"outcome\":\"info\",\"call\":1300,\"ret\":null,\"error\":\"timeout\"}\n";
  Result<History> h = parse_jsonl(text, "x.jsonl");
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  ASSERT_EQ(h->ops.size(), 2u);
  EXPECT_EQ(h->ops[0].input, L(V(1), V(2)));
  EXPECT_EQ(h->ops[1].key, "7");
  EXPECT_FALSE(h->ops[1].returned());
  EXPECT_EQ(h->ops[1].line, 3u);
}

TEST(Jsonl, ErrorsNameLineAndField) {
  auto error_of = [](const std::string& text) {
    Result<History> h = parse_jsonl(text, "bad.jsonl");
    EXPECT_FALSE(h.ok()) << text;
    return h.ok() ? Error{} : h.error();
  };
  const std::string good = R"({"process":1,"f":"read","outcome":"ok","call":1,"ret":2})";
  Error e = error_of(good + "\n{\"process\":1,\"f\":\"read\",\"outcome\":\"ok\",\"call\":1}\n");
  EXPECT_EQ(e.file, "bad.jsonl");
  EXPECT_EQ(e.line, 2u);
  EXPECT_NE(e.message.find("\"ret\""), std::string::npos) << e.message;
  e = error_of(good + "\n" + good + "\n{\"process\": 1,");
  EXPECT_EQ(e.line, 3u);
  EXPECT_NE(e.message.find("JSON"), std::string::npos) << e.message;
  EXPECT_NE(error_of(R"({"f":"read","outcome":"ok","call":1,"ret":2})").message.find("\"process\""), std::string::npos);
  EXPECT_NE(error_of(R"({"process":1,"outcome":"ok","call":1,"ret":2})").message.find("\"f\""), std::string::npos);
  EXPECT_NE(error_of(R"({"process":1,"f":"read","outcome":"done","call":1,"ret":2})").message.find("\"outcome\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"process":1,"f":"read","outcome":"ok","call":5,"ret":2})").message.find("ret"), std::string::npos);
  EXPECT_NE(error_of(R"({"process":1,"f":"read","outcome":"ok","call":1,"ret":2,"key":[1]})").message.find("\"key\""),
            std::string::npos);
  EXPECT_NE(error_of("[1, 2]").message.find("JSON object"), std::string::npos);
  // 100,000 nested arrays used to overflow the stack (found by fuzzing); 199 are fine.
  const auto with_input = [](std::size_t depth) {
    return R"({"process":1,"f":"write","input":)" + std::string(depth, '[') + std::string(depth, ']') +
           R"(,"outcome":"ok","call":1,"ret":2})";
  };
  EXPECT_NE(error_of(with_input(100000)).message.find("nesting deeper than 200"), std::string::npos);
  EXPECT_TRUE(parse_jsonl(with_input(199), "ok.jsonl").ok());
}

}  // namespace
}  // namespace lincheck
