#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "lincheck/parse.h"

namespace lincheck {
namespace {

History parse_ok(const std::string& text, Format f) {
  Result<History> h = parse_text(text, f, "h");
  EXPECT_TRUE(h.ok()) << (h.ok() ? "" : h.error().to_string());
  return h.ok() ? *h : History{};
}

Error parse_error(const std::string& text, Format f) {
  Result<History> h = parse_text(text, f, "h.edn");
  EXPECT_FALSE(h.ok()) << "expected an error for:\n" << text;
  return h.ok() ? Error{} : h.error();
}

TEST(EdnHistory, PairsMaelstromLinKvEventsAndSplitsKeyTuples) {
  const History h = parse_ok(R"(
{:process 0, :type :invoke, :f :write, :value [1 3], :time 10, :index 0}
{:process 1, :type :invoke, :f :read, :value [1 nil], :time 11, :index 1}
{:process :nemesis, :type :info, :f :start-partition, :value nil}
{:process 0, :type :ok, :f :write, :value [1 3], :time 12, :index 2}
{:process 1, :type :ok, :f :read, :value [1 3], :time 13, :index 3}
{:process 2, :type :invoke, :f :cas, :value [7 [3 4]]}
{:process 2, :type :info, :f :cas, :value [7 [3 4]], :error :net-timeout}
{:process 3, :type :invoke, :f :read, :value [1 nil]}
{:process 3, :type :fail, :f :read, :value [1 nil], :error [20 "key does not exist"]}
{:process 4, :type :invoke, :f :write, :value [2 1]}
)",
                             Format::Edn);
  ASSERT_EQ(h.ops.size(), 5u);
  const Operation& write = h.ops[0];
  EXPECT_EQ(write.f, "write");
  EXPECT_EQ(write.key, "1");
  EXPECT_EQ(write.input, Value::integer(3));
  EXPECT_EQ(write.outcome, Outcome::Ok);
  EXPECT_LT(write.call, write.ret);
  EXPECT_EQ(write.line, 2u);
  const Operation& read = h.ops[1];
  EXPECT_EQ(read.key, "1");
  EXPECT_EQ(read.output, Value::integer(3));
  EXPECT_LT(read.call, write.ret);  // concurrent with the write
  const Operation& c = h.ops[2];
  EXPECT_EQ(c.key, "7");
  EXPECT_EQ(c.input, Value::list({Value::integer(3), Value::integer(4)}));
  EXPECT_EQ(c.outcome, Outcome::Info);
  EXPECT_FALSE(c.returned());
  EXPECT_EQ(c.error, ":net-timeout");
  EXPECT_EQ(h.ops[3].outcome, Outcome::Fail);
  EXPECT_EQ(h.ops[4].outcome, Outcome::Info);  // never completed
  EXPECT_EQ(h.ops[4].key, "2");
}

TEST(EdnHistory, ReadsPorcupineKvFormatWithKeyEntries) {
  const History h = parse_ok(
      "{:process 0, :type :invoke, :f :append, :key \"k\", :value \"x 0 0 y\"}\n"
      "{:process 0, :type :ok, :f :append, :key \"k\", :value \"x 0 0 y\"}\n"
      "{:process 1, :type :invoke, :f :get, :key \"k\", :value nil}\n"
      "{:process 1, :type :ok, :f :get, :key \"k\", :value \"x 0 0 y\"}\n",
      Format::Edn);
  ASSERT_EQ(h.ops.size(), 2u);
  EXPECT_EQ(h.ops[0].key, "k");
  EXPECT_EQ(h.ops[0].input, Value::string("x 0 0 y"));
  EXPECT_EQ(h.ops[1].output, Value::string("x 0 0 y"));
}

TEST(EdnHistory, AcceptsAVectorOfMapsSpanningLines) {
  const History h = parse_ok("[{:process 0,\n :type :invoke,\n :f :write, :value 1}\n {:process 0 :type :ok :f :write :value 1}]",
                             Format::Edn);
  ASSERT_EQ(h.ops.size(), 1u);
  EXPECT_EQ(h.ops[0].key, "");
  EXPECT_EQ(h.ops[0].line, 1u);
}

TEST(EdnHistory, PlainSingleRegisterCasIsNotAKeyTuple) {
  const History h = parse_ok("{:process 0 :type :invoke :f :cas :value [1 2]}\n{:process 0 :type :fail :f :cas :value [1 2]}",
                             Format::Edn);
  ASSERT_EQ(h.ops.size(), 1u);
  EXPECT_EQ(h.ops[0].key, "");
  EXPECT_EQ(h.ops[0].input, Value::list({Value::integer(1), Value::integer(2)}));
}

TEST(EdnHistory, MalformedEventsAreErrorsWithLines) {
  Error e = parse_error("{:process 0 :type :invoke :f :read}\n{:process 0 :type :done :f :read}", Format::Edn);
  EXPECT_EQ(e.line, 2u);
  EXPECT_NE(e.message.find("expected :type to be :invoke, :ok, :fail or :info"), std::string::npos) << e.message;

  e = parse_error("\n{:type :invoke :f :read}", Format::Edn);
  EXPECT_EQ(e.line, 2u);
  EXPECT_NE(e.message.find(":process"), std::string::npos);

  e = parse_error("{:process 0 :type :ok :f :read :value 1}", Format::Edn);
  EXPECT_NE(e.message.find("expected an :invoke"), std::string::npos) << e.message;

  e = parse_error("{:process 0 :type :invoke :f :read}\n{:process 0 :type :invoke :f :read}", Format::Edn);
  EXPECT_EQ(e.line, 2u);
  EXPECT_NE(e.message.find("still pending"), std::string::npos) << e.message;

  e = parse_error("{:process 0 :type :invoke :f :read}\n{:process 0 :type :ok :f :write}", Format::Edn);
  EXPECT_NE(e.message.find("does not match"), std::string::npos) << e.message;

  e = parse_error("[1 2 3]", Format::Edn);
  EXPECT_NE(e.message.find("expected an operation map"), std::string::npos) << e.message;

  e = parse_error("{:process 0 :type :invoke}", Format::Edn);
  EXPECT_NE(e.message.find(":f"), std::string::npos) << e.message;

  e = parse_error("[{:process 0 :type :invoke :f :read}", Format::Edn);
  EXPECT_NE(e.message.find("expected ']'"), std::string::npos) << e.message;
}

TEST(JepsenLog, ParsesEtcdLogLines) {
  const History h = parse_ok(
      "INFO  jepsen.util - 4\t:invoke\t:read\tnil\n"
      "INFO  jepsen.core - some other log line\n"
      "INFO  jepsen.util - 2\t:invoke\t:cas\t[2 4]\n"
      "INFO  jepsen.util - 4   :ok     :read   3\n"
      "INFO  jepsen.util - :nemesis :info :start nil\n"
      "INFO  jepsen.util - 2\t:fail\t:cas\t[2 4]\n"
      "INFO  jepsen.util - 5\t:invoke\t:write\t1\n"
      "INFO  jepsen.util - 5\t:info\t:write\t:timed-out\n"
      "INFO  jepsen.util - 6\t:invoke\t:read\tnil\n"
      "INFO  jepsen.util - 6\t:fail\t:read\t:timed-out\n",
      Format::JepsenLog);
  ASSERT_EQ(h.ops.size(), 4u);
  EXPECT_EQ(h.ops[0].output, Value::integer(3));
  EXPECT_EQ(h.ops[1].outcome, Outcome::Fail);
  EXPECT_EQ(h.ops[1].input, Value::list({Value::integer(2), Value::integer(4)}));
  EXPECT_EQ(h.ops[2].outcome, Outcome::Info);
  EXPECT_EQ(h.ops[2].error, "timed-out");
  EXPECT_EQ(h.ops[3].outcome, Outcome::Info) << "a read that timed out has an unknown outcome";
  EXPECT_EQ(h.ops[3].line, 9u);
}

TEST(JepsenLog, MalformedOpLinesAreErrors) {
  Error e = parse_error("INFO  jepsen.util - 4 :invoke :read nil\nINFO  jepsen.util - x :ok :read 1\n", Format::JepsenLog);
  EXPECT_EQ(e.line, 2u);
  EXPECT_NE(e.message.find("expected a process number"), std::string::npos) << e.message;
  e = parse_error("INFO  jepsen.util - 4 :begin :read nil\n", Format::JepsenLog);
  EXPECT_NE(e.message.find("expected :invoke, :ok, :fail or :info"), std::string::npos) << e.message;
  e = parse_error("INFO  jepsen.util - 4 :invoke :cas [1 2\n", Format::JepsenLog);
  EXPECT_NE(e.message.find("expected ']'"), std::string::npos) << e.message;
  e = parse_error("just some text\n", Format::JepsenLog);
  EXPECT_NE(e.message.find("found none"), std::string::npos) << e.message;
  e = parse_error("INFO  jepsen.util - 4 :invoke read nil\n", Format::JepsenLog);
  EXPECT_NE(e.message.find("operation keyword"), std::string::npos) << e.message;
}

TEST(DetectFormat, RecognisesEachFormatAndRejectsOthers) {
  EXPECT_EQ(*detect_format("; comment\n\n{:process 0}", "x"), Format::Edn);
  EXPECT_EQ(*detect_format("[{:process 0}]", "x"), Format::Edn);
  EXPECT_EQ(*detect_format("{\"process\": 0}", "x"), Format::JsonLines);
  EXPECT_EQ(*detect_format("INFO  jepsen.util - 1 :invoke :read nil", "x"), Format::JepsenLog);
  EXPECT_EQ(*detect_format("  \n\n", "x"), Format::Edn);
  const Result<Format> bad = detect_format("\n\nhello world\n", "x.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().line, 3u);
  EXPECT_NE(bad.error().message.find("cannot tell the history format"), std::string::npos);
}

TEST(ParseFile, ReportsUnreadableFiles) {
  Result<History> h = parse_file("/nonexistent/dir/history.edn");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().file, "/nonexistent/dir/history.edn");
  EXPECT_NE(h.error().message.find("cannot open"), std::string::npos);
  h = parse_file(std::filesystem::temp_directory_path().string());
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.error().message.find("directory"), std::string::npos);
}

TEST(ParseFile, EmptyFileIsAnEmptyHistory) {
  const auto path = std::filesystem::temp_directory_path() / "lincheck_parse_empty.edn";
  { std::ofstream(path) << ""; }
  Result<History> h = parse_file(path.string());
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->ops.empty());
  std::filesystem::remove(path);
}

TEST(ParseText, BinaryGarbageIsAnErrorNotACrash) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
  for (Format f : {Format::Auto, Format::Edn, Format::JsonLines, Format::JepsenLog}) {
    Result<History> h = parse_text(garbage, f, "garbage");
    EXPECT_FALSE(h.ok()) << to_string(f);
  }
}

}  // namespace
}  // namespace lincheck
