#include <gtest/gtest.h>

#include <string>

#include "lincheck/edn.h"
#include "lincheck/value.h"

namespace lincheck {
namespace {

Value read_one(const std::string& text) {
  Result<Value> v = parse_edn_value(text, "t.edn", 1);
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().to_string());
  return v.ok() ? *v : Value();
}

Error read_error(const std::string& text) {
  EdnReader reader(text, "bad.edn");
  while (true) {
    Result<std::optional<Value>> v = reader.next();
    if (!v) return v.error();
    if (!v->has_value()) break;
  }
  ADD_FAILURE() << "expected an error for: " << text;
  return {};
}

TEST(Edn, ReadsScalars) {
  EXPECT_TRUE(read_one("nil").is_nil());
  EXPECT_EQ(read_one("true"), Value::boolean(true));
  EXPECT_EQ(read_one("-42"), Value::integer(-42));
  EXPECT_EQ(read_one("+7"), Value::integer(7));
  EXPECT_EQ(read_one("12N"), Value::integer(12));
  EXPECT_EQ(read_one("1.5"), Value::real(1.5));
  EXPECT_EQ(read_one("\"a\\\"b\\n\""), Value::string("a\"b\n"));
  EXPECT_EQ(read_one("\"\\u00e9\""), Value::string("\xc3\xa9"));
  EXPECT_EQ(read_one(":timed-out"), Value::keyword("timed-out"));
  EXPECT_EQ(read_one(":jepsen.db/x"), Value::keyword("jepsen.db/x"));
  EXPECT_EQ(read_one("foo"), Value::symbol("foo"));
  EXPECT_EQ(read_one("\\a"), Value::string("a"));
  EXPECT_EQ(read_one("\\newline"), Value::string("\n"));
}

TEST(Edn, ReadsCollectionsWithCommasCommentsAndDiscards) {
  const Value v = read_one("{:a [1, 2 ,3], ; comment\n :b (nil) :c #{4} #_ :ignored :d #inst \"2020\"}");
  ASSERT_TRUE(v.is_map());
  ASSERT_NE(v.get("a"), nullptr);
  EXPECT_EQ(*v.get("a"), Value::list({Value::integer(1), Value::integer(2), Value::integer(3)}));
  EXPECT_EQ(*v.get("b"), Value::list({Value::nil()}));
  EXPECT_EQ(*v.get("c"), Value::list({Value::integer(4)}));
  EXPECT_EQ(*v.get("d"), Value::string("2020"));
  EXPECT_EQ(v.get("ignored"), nullptr);
  EXPECT_EQ(v.items().size(), 8u);
}

TEST(Edn, TracksLinesOfFormsSpanningLines) {
  EdnReader reader("; header\n{:a 1\n :b 2}\n\n[3\n4]", "f.edn");
  auto first = reader.next();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(reader.form_line(), 2u);
  auto second = reader.next();
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ(reader.form_line(), 5u);
  auto end = reader.next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST(Edn, ErrorsNameTheLineAndWhatWasExpected) {
  Error e = read_error("{:a 1}\n{:b [1 2}\n");
  EXPECT_EQ(e.file, "bad.edn");
  EXPECT_EQ(e.line, 2u);
  EXPECT_NE(e.message.find("unexpected '}'"), std::string::npos) << e.message;

  e = read_error("{:a 1}\n\n{:b \"unterminated\n");
  EXPECT_EQ(e.line, 3u);
  EXPECT_NE(e.message.find("expected '\"' to close the string"), std::string::npos) << e.message;

  e = read_error("[1 2\n3");
  EXPECT_NE(e.message.find("expected ']'"), std::string::npos) << e.message;

  e = read_error("{:a}");
  EXPECT_NE(e.message.find("expected a value for every key"), std::string::npos) << e.message;

  e = read_error("99999999999999999999999");
  EXPECT_NE(e.message.find("64 bits"), std::string::npos) << e.message;

  e = read_error("12abc");
  EXPECT_NE(e.message.find("malformed number"), std::string::npos) << e.message;

  e = read_error("\"\\q\"");
  EXPECT_NE(e.message.find("unknown escape"), std::string::npos) << e.message;
}

TEST(Edn, DeepNestingIsAnErrorNotACrash) {
  const Error e = read_error(std::string(100000, '['));
  EXPECT_NE(e.message.find("nesting deeper"), std::string::npos) << e.message;
}

TEST(Value, RendersAsEdn) {
  const Value v = Value::map({Value::keyword("k"), Value::list({Value::integer(1), Value::nil(), Value::string("s")})});
  EXPECT_EQ(v.to_edn(), "{:k [1 nil \"s\"]}");
  EXPECT_EQ(Value::string("x").to_text(), "x");
  EXPECT_EQ(Value::integer(3).to_text(), "3");
}

TEST(Value, EqualityAndHashFollowStructure) {
  const Value a = Value::list({Value::integer(1), Value::string("x")});
  const Value b = Value::list({Value::integer(1), Value::string("x")});
  const Value c = Value::list({Value::integer(1), Value::keyword("x")});
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_FALSE(a == c);
  EXPECT_FALSE(Value::integer(0) == Value::nil());
}

}  // namespace
}  // namespace lincheck
