// The lin-kv state machine: Maelstrom's read / write / cas semantics and error codes.
#include <gtest/gtest.h>

#include "kv/command.h"
#include "kv/state_machine.h"

namespace kv {
namespace {


TEST(StateMachine, ReadOfMissingKeyIsError20) {
  StateMachine sm;
  Result r = sm.read(1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.code, ErrorCode::kKeyDoesNotExist);
}

TEST(StateMachine, WriteCreatesAndOverwrites) {
  StateMachine sm;
  EXPECT_TRUE(sm.apply(Operation::write(1, 3)).ok);
  EXPECT_EQ(sm.read(1).value, 3);
  EXPECT_TRUE(sm.apply(Operation::write(1, 4)).ok);
  EXPECT_EQ(sm.read(1).value, 4);
}

TEST(StateMachine, CasChecksFromAndMissingKey) {
  StateMachine sm;
  EXPECT_EQ(sm.apply(Operation::cas(1, 0, 1)).code, ErrorCode::kKeyDoesNotExist);
  sm.apply(Operation::write(1, 0));
  Result bad = sm.apply(Operation::cas(1, 2, 3));
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(sm.read(1).value, 0) << "a failed cas changes nothing";
  EXPECT_TRUE(sm.apply(Operation::cas(1, 0, 0)).ok) << "from may equal to";
  EXPECT_TRUE(sm.apply(Operation::cas(1, 0, 7)).ok);
  EXPECT_EQ(sm.read(1).value, 7);
}

TEST(StateMachine, KeysAreOpaqueJson) {
  StateMachine sm;
  sm.apply(Operation::write(json{{"b", 1}, {"a", 2}}, "obj"));
  sm.apply(Operation::write("1", "string one"));
  sm.apply(Operation::write(1, "int one"));
  EXPECT_EQ(sm.read(json{{"a", 2}, {"b", 1}}).value, "obj") << "object keys compare by value";
  EXPECT_EQ(sm.read("1").value, "string one");
  EXPECT_EQ(sm.read(1).value, "int one");
  EXPECT_EQ(sm.size(), 3u);
}

TEST(Command, RoundTripsAndRejectsGarbage) {
  Command c{raft::NodeId{3}, 77, Operation::cas(json::array({1, 2}), nullptr, json{{"x", 1}})};
  auto back = decode_command(encode_command(c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->origin, raft::NodeId{3});
  EXPECT_EQ(back->seq, 77u);
  EXPECT_EQ(back->op.kind, Operation::Kind::kCas);
  EXPECT_EQ(back->op.key, json::array({1, 2}));
  EXPECT_EQ(back->op.to, (json{{"x", 1}}));
  EXPECT_FALSE(decode_command("not json"));
  EXPECT_FALSE(decode_command(R"({"o":-1,"s":1,"k":1,"w":1})"));
  EXPECT_FALSE(decode_command(R"({"o":1,"s":1,"k":1})"));
}

}  // namespace
}  // namespace kv
