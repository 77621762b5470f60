// The lin-kv state machine: Maelstrom's read / write / cas semantics and error codes.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

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

TEST(StateMachine, DeleteRemovesAnExistingKeyOnlyAndRoundTripsAsACommand) {
  StateMachine sm;
  EXPECT_EQ(sm.apply(Operation::del(1)).code, ErrorCode::kKeyDoesNotExist);
  ASSERT_TRUE(sm.apply(Operation::write(1, 5)).ok);
  const auto decoded = decode_operation(encode_operation(Operation::del(1)));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->kind, Operation::Kind::kDelete);
  EXPECT_TRUE(sm.apply(*decoded).ok);
  EXPECT_EQ(sm.read(1).code, ErrorCode::kKeyDoesNotExist);
  EXPECT_EQ(sm.size(), 0u);
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

TEST(StateMachine, SnapshotRoundTripsAndIsDeterministic) {
  StateMachine a, b;
  // The same state reached in different orders: equal bytes (keys are sorted).
  for (int i = 0; i < 50; ++i) a.apply(Operation::write(i, i * 2));
  for (int i = 49; i >= 0; --i) b.apply(Operation::write(i, i * 2));
  a.apply(Operation::write(json::object({{"k", "v"}}), json::array({1, "x"})));
  b.apply(Operation::write(json::object({{"k", "v"}}), json::array({1, "x"})));
  EXPECT_EQ(a.snapshot(), b.snapshot());
  StateMachine c;
  ASSERT_EQ(c.restore(a.snapshot()), "");
  EXPECT_EQ(c.snapshot(), a.snapshot());
  EXPECT_EQ(c.fingerprint(), a.fingerprint());
  EXPECT_EQ(c.read(7).value, 14);
  EXPECT_EQ(c.read(json::object({{"k", "v"}})).value, json::array({1, "x"}));
}

TEST(StateMachine, RestoreRefusesWhatItCannotReadAndKeepsItsState) {
  StateMachine sm;
  sm.apply(Operation::write(1, 1));
  std::string snap = sm.snapshot();
  EXPECT_NE(sm.restore("garbage"), "");
  std::string future = snap;
  future[5] = 3;  // version 3
  EXPECT_NE(sm.restore(future).find("version 3"), std::string::npos);
  EXPECT_NE(sm.restore(snap.substr(0, snap.size() - 3)), "");
  EXPECT_NE(sm.restore(snap + "x"), "");
  EXPECT_EQ(sm.read(1).value, 1);
}

// The raft::StateMachine face: encoded commands in, encoded results out, and any bytes
// answered (an entry in the log is applied by every replica forever).
TEST(StateMachine, AppliesEncodedCommandsAndAnswersGarbageWithAnError) {
  StateMachine sm;
  const auto result = [](const std::string& bytes) { return decode_result(bytes).value(); };
  EXPECT_TRUE(result(sm.apply(encode_operation(Operation::write(1, 5)))).ok);
  const Result cas = result(sm.apply(encode_operation(Operation::cas(1, 4, 6))));
  EXPECT_EQ(cas.code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(result(sm.query(encode_operation(Operation::read(1)))).value, 5);
  EXPECT_EQ(result(sm.query(encode_operation(Operation::read(2)))).code, ErrorCode::kKeyDoesNotExist);
  EXPECT_EQ(result(sm.apply("garbage")).code, ErrorCode::kMalformedRequest);
  EXPECT_EQ(result(sm.apply(encode_operation(Operation::read(1)))).code,
            ErrorCode::kMalformedRequest) << "a read is a query, not a command";
  EXPECT_EQ(result(sm.query(encode_operation(Operation::write(1, 1)))).code,
            ErrorCode::kMalformedRequest);
  EXPECT_EQ(sm.read(1).value, 5);
}

TEST(Command, ResultsRoundTrip) {
  for (const Result& r :
       {Result::success(), Result::success(json::array({1, "x"})), Result::precondition_failed(2),
        Result::error(ErrorCode::kKeyDoesNotExist, "key does not exist"),
        Result::error(ErrorCode::kNotSupported, "no")}) {
    const auto back = decode_result(encode_result(r));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->ok, r.ok);
    EXPECT_EQ(back->value, r.value);
    EXPECT_EQ(back->code, r.code);
    EXPECT_EQ(back->text, r.text);
  }
  const std::string good = encode_result(Result::error(ErrorCode::kNotSupported, "not here"));
  EXPECT_EQ(encode_result(Result::success()), "") << "the common result takes no bytes";
  EXPECT_TRUE(decode_result("")->ok);
  for (std::size_t n = 1; n < good.size(); ++n) {
    EXPECT_FALSE(decode_result(good.substr(0, n))) << "prefix of " << n << " bytes";
  }
  EXPECT_FALSE(decode_result(good + "x"));
}

TEST(Command, ServiceOutcomesMapToMaelstromCodes) {
  using Status = raft::Outcome::Status;
  EXPECT_EQ(result_of({Status::kUnavailable, {}, "x"}).code, ErrorCode::kTemporarilyUnavailable);
  EXPECT_EQ(result_of({Status::kTooLarge, {}, "x"}).code, ErrorCode::kMalformedRequest);
  EXPECT_EQ(result_of({Status::kUnknown, {}, "x"}).code, ErrorCode::kTimeout);
  EXPECT_EQ(result_of({Status::kOk, "not a result", {}}).code, ErrorCode::kCrash);
  EXPECT_EQ(result_of({Status::kOk, encode_result(Result::success(3)), {}}).value, 3);
}

TEST(Command, RoundTripsEveryKindOfJsonValue) {
  const std::vector<json> values = {
      nullptr, 0, 1, 127, 128, 300, -1, -128, std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::uint64_t>::max(),
      1.5, true, "", "text", json::array({1, 2}), json{{"x", 1}, {"y", json::array()}}};
  for (const json& v : values) {
    for (const Operation& op :
         {Operation::write(v, v), Operation::cas(v, v, 7), Operation::read(v)}) {
      const auto back = decode_operation(encode_operation(op));
      ASSERT_TRUE(back) << v.dump();
      EXPECT_EQ(back->kind, op.kind);
      EXPECT_EQ(back->key, v);
      EXPECT_EQ(back->key.dump(), v.dump()) << "the state machine keys by this text";
      EXPECT_EQ(back->value, op.value);
      EXPECT_EQ(back->from, op.from);
      EXPECT_EQ(back->to, op.to);
    }
  }
}

// A log entry is peer input: a value nested 100,000 deep decoded fine and then overflowed
// the stack when the state machine copied or a read answer wrote it out.
TEST(Command, RefusesValuesNestedDeeperThanTheLimit) {
  const auto command_with_text = [](const std::string& text) {
    std::string out = "K\x02w\x01\x05\x03";  // write key 5, a value as JSON text
    for (std::uint64_t v = text.size(); ; v >>= 7) {      // LEB128 length
      out.push_back(static_cast<char>((v & 0x7f) | (v >= 0x80 ? 0x80 : 0)));
      if (v < 0x80) break;
    }
    return out + text;
  };
  const auto nested = [](std::size_t d) { return std::string(d, '[') + std::string(d, ']'); };
  EXPECT_TRUE(decode_operation(command_with_text(nested(kMaxValueDepth))));
  EXPECT_FALSE(decode_operation(command_with_text(nested(kMaxValueDepth + 1))));
  EXPECT_FALSE(decode_operation(command_with_text(nested(100000))));
  EXPECT_TRUE(decode_operation(command_with_text(R"(["[[[[[[", 1])")));
}

TEST(Command, RejectsEveryTruncationAndGarbage) {
  const std::string good = encode_operation(Operation::cas("k", json::array({1}), -5));
  ASSERT_TRUE(decode_operation(good));
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(decode_operation(good.substr(0, n))) << "prefix of " << n << " bytes";
  }
  EXPECT_FALSE(decode_operation(good + "x")) << "trailing bytes";
  EXPECT_FALSE(decode_operation(R"({"o":1,"s":1,"k":1,"w":1})")) << "not this format";
  std::string bad_version = good;
  bad_version[1] = 0x01;
  EXPECT_FALSE(decode_operation(bad_version));
  // 'K' 2, then a kind, key and value by hand (std::string literals: the bytes include NULs).
  using namespace std::string_literals;
  const std::string head = "K\x02"s;
  EXPECT_TRUE(decode_operation(head + "w\x01\x05\x00"s));
  EXPECT_FALSE(decode_operation(head + "x\x01\x05\x00"s)) << "unknown kind";
  EXPECT_FALSE(decode_operation(head + "r\x01\x05\x00"s)) << "a read has a key only";
  EXPECT_FALSE(decode_operation(head + "w\x09\x05\x00"s)) << "unknown tag";
  EXPECT_TRUE(decode_operation(head + "w\x03\x02{}\x00"s));
  EXPECT_FALSE(decode_operation(head + "w\x03\x02{x\x00"s)) << "JSON text that does not parse";
  EXPECT_FALSE(decode_operation(head + "w\x03\x7f{}\x00"s)) << "length past the end";
  EXPECT_FALSE(decode_operation(head + "w\x01"s + std::string(10, '\xff') + "\x01\x00"s))
      << "a varint longer than 64 bits";
}

}  // namespace
}  // namespace kv
