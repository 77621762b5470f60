#include <gtest/gtest.h>

#include "lincheck/cas_register.h"
#include "lincheck/string_kv.h"
#include "lincheck/string_pool.h"
#include "test_util.h"

namespace lincheck {
namespace {

using namespace testing;

TEST(CasRegister, StepsFollowReadWriteCas) {
  CasRegisterModel m;
  const auto write3 = m.prepare(w(0, 3, 0, 1));
  const auto read3 = m.prepare(r(0, 3, 0, 1));
  const auto cas34 = m.prepare(cas(0, 3, 4, 0, 1));
  ASSERT_EQ(write3.kind, Prepared<CasRegisterModel::Op>::Kind::Use);
  auto s = m.init();
  EXPECT_EQ(s, CasRegisterModel::kAbsent);
  EXPECT_FALSE(m.step(s, read3.op));
  EXPECT_FALSE(m.step(s, cas34.op)) << "cas on an absent register fails";
  s = *m.step(s, write3.op);
  EXPECT_TRUE(m.step(s, read3.op));
  s = *m.step(s, cas34.op);
  EXPECT_EQ(m.describe_state(s), "4");
  EXPECT_FALSE(m.step(s, read3.op));
  EXPECT_TRUE(m.read_only(read3.op));
  EXPECT_FALSE(m.read_only(write3.op));
}

TEST(CasRegister, KnossosSemanticsDropFailuresAndNilReads) {
  CasRegisterModel m(Semantics::Knossos);
  using K = Prepared<CasRegisterModel::Op>::Kind;
  EXPECT_EQ(m.prepare(cas(0, 1, 2, 0, 1, Outcome::Fail)).kind, K::Skip);
  EXPECT_EQ(m.prepare(w(0, 1, 0, 1, Outcome::Fail)).kind, K::Skip);
  EXPECT_EQ(m.prepare(make_op(0, "read", Value(), Value(), Outcome::Ok, 0, 1)).kind, K::Skip);
  EXPECT_EQ(m.prepare(make_op(0, "read", Value(), Value(), Outcome::Info, 0, 1)).kind, K::Skip);
  EXPECT_EQ(m.prepare(w(0, 1, 0, 1, Outcome::Info)).kind, K::Use);
}

TEST(CasRegister, PorcupineSemanticsKeepFailedCasAsCompareFailure) {
  CasRegisterModel m(Semantics::Porcupine);
  const auto failed = m.prepare(cas(0, 1, 2, 0, 1, Outcome::Fail));
  ASSERT_EQ(failed.kind, Prepared<CasRegisterModel::Op>::Kind::Use);
  const auto nil_read = m.prepare(make_op(0, "read", Value(), Value(), Outcome::Ok, 0, 1));
  ASSERT_EQ(nil_read.kind, Prepared<CasRegisterModel::Op>::Kind::Use);
  const auto write1 = m.prepare(w(0, 1, 0, 1));
  auto s = m.init();
  EXPECT_TRUE(m.step(s, nil_read.op)) << "nil is the absent register";
  EXPECT_TRUE(m.step(s, failed.op)) << "absent is not 1: the compare fails";
  s = *m.step(s, write1.op);
  EXPECT_FALSE(m.step(s, failed.op)) << "the register holds 1: the compare cannot fail";
  EXPECT_FALSE(m.step(s, nil_read.op));
}

TEST(CasRegister, RejectsOpsItDoesNotKnow) {
  CasRegisterModel m;
  const auto bad = m.prepare(make_op(0, "append", S("x"), Value(), Outcome::Ok, 0, 1));
  EXPECT_EQ(bad.kind, Prepared<CasRegisterModel::Op>::Kind::Error);
  EXPECT_NE(bad.error.find("append"), std::string::npos);
  const auto bad_cas = m.prepare(make_op(0, "cas", V(1), Value(), Outcome::Ok, 0, 1));
  EXPECT_EQ(bad_cas.kind, Prepared<CasRegisterModel::Op>::Kind::Error);
}

TEST(StringPool, EqualStringsGetOneIdHoweverBuilt) {
  StringPool pool;
  const auto ab = pool.add_text("ab"), c = pool.add_text("c"), a = pool.add_text("a"), bc = pool.add_text("bc");
  const auto abc1 = pool.append(pool.append(StringPool::kEmpty, ab), c);
  const auto abc2 = pool.append(pool.append(StringPool::kEmpty, a), bc);
  const auto abc3 = pool.node_of("abc");
  EXPECT_EQ(abc1, abc2);
  EXPECT_EQ(abc1, abc3);
  EXPECT_EQ(pool.str(abc1), "abc");
  EXPECT_NE(pool.append(pool.append(StringPool::kEmpty, c), ab), abc1);
  EXPECT_EQ(pool.node_of(""), StringPool::kEmpty);
}

TEST(StringPool, PrefixTablesDecidePrefixes) {
  StringPool pool;
  const auto target = pool.node_of("x1yx2y");
  const auto table = pool.prefix_table(target);
  const auto x1y = pool.append(StringPool::kEmpty, pool.add_text("x1y"));
  const auto x2y = pool.append(StringPool::kEmpty, pool.add_text("x2y"));
  EXPECT_TRUE(pool.maybe_prefix(StringPool::kEmpty, table));
  EXPECT_TRUE(pool.maybe_prefix(x1y, table));
  EXPECT_TRUE(pool.maybe_prefix(target, table));
  EXPECT_FALSE(pool.maybe_prefix(x2y, table));
  EXPECT_FALSE(pool.maybe_prefix(pool.node_of("x1yx2yz"), table));
}

TEST(StringKv, GetPutAppendAndReachability) {
  StringKvModel m;
  auto prep = [&](Operation o) { return m.prepare(o).op; };
  const auto append_a = prep(make_op(0, "append", S("a"), Value(), Outcome::Ok, 0, 1));
  const auto append_b = prep(make_op(0, "append", S("b"), Value(), Outcome::Ok, 0, 1));
  const auto put_z = prep(make_op(0, "put", S("z"), Value(), Outcome::Ok, 0, 1));
  const auto get_ab = prep(make_op(0, "get", Value(), S("ab"), Outcome::Ok, 0, 1));
  auto s = m.init();
  EXPECT_TRUE(m.may_reach(s, get_ab));
  s = *m.step(s, append_a);
  EXPECT_TRUE(m.may_reach(s, get_ab));
  EXPECT_FALSE(m.step(s, get_ab));
  const auto ab = *m.step(s, append_b);
  EXPECT_TRUE(m.step(ab, get_ab));
  const auto ba = *m.step(*m.step(m.init(), append_b), append_a);
  EXPECT_FALSE(m.may_reach(ba, get_ab)) << "\"ba\" is no prefix of \"ab\"";
  EXPECT_TRUE(m.resets(put_z));
  EXPECT_FALSE(m.resets(append_a));
  EXPECT_EQ(m.describe_state(*m.step(ab, put_z)), "\"z\"");
  // The dead state: appends keep it, gets fail in it, puts leave it.
  EXPECT_EQ(*m.step(m.dead(), append_a), m.dead());
  EXPECT_FALSE(m.step(m.dead(), get_ab));
  EXPECT_FALSE(m.may_reach(m.dead(), get_ab));
  EXPECT_EQ(*m.step(m.dead(), put_z), *m.step(ab, put_z));
}

}  // namespace
}  // namespace lincheck
