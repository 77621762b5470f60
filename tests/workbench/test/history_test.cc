#include <gtest/gtest.h>

#include <sstream>

#include "tests/workbench/src/history.h"

#include <lincheck/check.h>
#include <lincheck/parse.h>

namespace workbench {
namespace {

using nlohmann::json;

Op client_op(OpType t, std::int64_t p, const std::string& f, json value, Nanos time) {
  Op op;
  op.type = t;
  op.process = p;
  op.f = f;
  op.value = std::move(value);
  op.time = time;
  return op;
}

TEST(History, WritesJepsenEdn) {
  History h;
  h.add(client_op(OpType::Invoke, 0, "read", json::array({0, nullptr}), 10));
  h.add(client_op(OpType::Ok, 0, "read", json::array({0, 3}), 20));
  Op cas = client_op(OpType::Info, 4, "cas", json::parse("[1,[2,3]]"), 30);
  cas.error_edn = ":net-timeout";
  h.add(cas);
  Op nem;
  nem.type = OpType::Info;
  nem.f = "start-partition";
  nem.value_edn = ":majority";
  h.add(nem);
  std::ostringstream out;
  write_history_edn(out, h);
  EXPECT_EQ(out.str(),
            "{:index 0, :time 10, :type :invoke, :process 0, :f :read, :value [0 nil]}\n"
            "{:index 1, :time 20, :type :ok, :process 0, :f :read, :value [0 3]}\n"
            "{:index 2, :time 30, :type :info, :process 4, :f :cas, :value [1 [2 3]], :error :net-timeout}\n"
            "{:index 3, :time 0, :type :info, :process :nemesis, :f :start-partition, :value :majority}\n");
}

TEST(History, JsonToEdnEscapesAndKeywordizes) {
  EXPECT_EQ(json_to_edn(json::parse(R"({"a":[1,2.5,true,null],"b":"q\"\n"})")), R"({"a" [1 2.5 true nil], "b" "q\"\n"})");
  EXPECT_EQ(json_to_edn(json::parse(R"({"type":"echo_ok"})"), true), R"({:type "echo_ok"})");
}

TEST(History, LincheckReadsOurEdnAndJudgesIt) {
  // p0 writes 1; afterwards p1 reads 2 from the same key: not linearizable. Key 1 is fine.
  History h;
  h.add(client_op(OpType::Invoke, 0, "write", json::parse("[0,1]"), 10));
  h.add(client_op(OpType::Ok, 0, "write", json::parse("[0,1]"), 20));
  h.add(client_op(OpType::Invoke, 1, "read", json::parse("[0,null]"), 30));
  h.add(client_op(OpType::Ok, 1, "read", json::parse("[0,2]"), 40));
  h.add(client_op(OpType::Invoke, 2, "write", json::parse("[1,4]"), 50));
  h.add(client_op(OpType::Ok, 2, "write", json::parse("[1,4]"), 60));
  Op nem;
  nem.type = OpType::Info;
  nem.f = "stop-partition";
  nem.value_edn = ":network-healed";
  h.add(nem);
  std::ostringstream out;
  write_history_edn(out, h);
  auto parsed = lincheck::parse_edn_history(out.str(), "history.edn");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  EXPECT_EQ(parsed->ops.size(), 3u);
  auto r = lincheck::check_maelstrom_lin_kv(*parsed);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, lincheck::Verdict::NotLinearizable);
  EXPECT_EQ(r->keys.size(), 2u);
}

}  // namespace
}  // namespace workbench
