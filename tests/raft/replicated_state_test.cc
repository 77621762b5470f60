// raft::Service's replicated state: the command envelope, exactly-once application in
// bounded memory (raft::Dedup, thesis §6.3), and snapshots that carry both the embedder's
// state machine and the dedup state.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "raft/dedup.h"
#include "raft/replicated_state.h"

namespace raft {
namespace {

/// The smallest state machine: appends every command to a string; a query returns it.
class Journal final : public StateMachine {
 public:
  std::string apply(std::string_view command) override {
    text_ += command;
    return "#" + std::to_string(++applied_);
  }
  [[nodiscard]] std::string query(std::string_view) const override { return text_; }
  [[nodiscard]] std::string snapshot() const override { return "J" + text_; }
  [[nodiscard]] std::string restore(std::string_view data) override {
    if (data.empty() || data.front() != 'J') return "not a journal";
    text_ = std::string(data.substr(1));
    return {};
  }
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  std::string text_;
  int applied_ = 0;
};

TEST(ClientCommand, EnvelopeRoundTripsAndRefusesEveryTruncation) {
  const std::string bytes = encode_client_command(NodeId{300}, (std::uint64_t{7} << 32) + 9, "payload");
  const auto c = decode_client_command(bytes);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->origin, NodeId{300});
  EXPECT_EQ(c->seq, (std::uint64_t{7} << 32) + 9);
  EXPECT_EQ(c->payload, "payload");
  for (std::size_t n = 0; n < 5; ++n) {  // magic, version, the two varints
    EXPECT_FALSE(decode_client_command(bytes.substr(0, n))) << "prefix of " << n << " bytes";
  }
  EXPECT_FALSE(decode_client_command("K\x02w")) << "a bare kv operation is no envelope";
  EXPECT_LE(bytes.size(), 7 + kClientCommandOverhead);
}

TEST(Dedup, AppliesEachRequestNumberOnceAndStaysBounded) {
  Dedup d;
  const std::uint64_t n = 10 * Dedup::kDefaultWindow;
  for (std::uint64_t seq = 1; seq <= n; ++seq) {
    for (std::uint64_t origin = 1; origin <= 3; ++origin) ASSERT_TRUE(d.first_time(origin, seq));
  }
  EXPECT_LE(d.size(), 3 * Dedup::kDefaultWindow);
  EXPECT_FALSE(d.first_time(2, n)) << "a recent duplicate";
  EXPECT_FALSE(d.first_time(2, 5)) << "far below the window: done";
  EXPECT_EQ(d.lookup(2, 5), Dedup::Seen::kSettled);
  // Out of order within the window is fine: a number never seen applies once.
  EXPECT_TRUE(d.first_time(2, n + 2));
  EXPECT_EQ(d.lookup(2, n + 1), Dedup::Seen::kNo);
  EXPECT_TRUE(d.first_time(2, n + 1));
  EXPECT_FALSE(d.first_time(2, n + 1));
  d.set_result(2, n + 1, "r");
  std::string result;
  EXPECT_EQ(d.lookup(2, n + 1, &result), Dedup::Seen::kApplied);
  EXPECT_EQ(result, "r");
  std::string encoded;
  d.encode(encoded);
  EXPECT_LT(encoded.size(), 3 * (Dedup::kDefaultWindow + 4) * 3 + 200) << "gaps as varints";
}

TEST(Dedup, EncodingRoundTripsAndRefusesGarbageWithoutChangingAnything) {
  Dedup d(8);
  for (std::uint64_t seq : {1, 2, 5, 9, 30}) {
    ASSERT_TRUE(d.first_time(4, seq));
    d.set_result(4, seq, std::string(seq % 3, 'x'));
  }
  std::string bytes;
  d.encode(bytes);
  Dedup back(8);
  std::string_view in = bytes;
  ASSERT_TRUE(back.decode(in));
  EXPECT_TRUE(in.empty()) << "decode consumes exactly what encode wrote";
  EXPECT_EQ(back, d);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    Dedup fresh(8);
    std::string_view cut = std::string_view(bytes).substr(0, n);
    EXPECT_FALSE(fresh.decode(cut)) << "prefix of " << n << " bytes";
    EXPECT_EQ(fresh, Dedup(8));
  }
  Dedup narrow(2);  // a window smaller than what was encoded: another configuration
  std::string_view again = bytes;
  EXPECT_FALSE(narrow.decode(again));
}

TEST(ReplicatedState, ADuplicateCommandAppliesOnceAndReturnsNothing) {
  Journal j;
  ReplicatedState s(j, 16);
  EXPECT_EQ(s.apply({NodeId{1}, 1, "a"}), "#1");
  EXPECT_EQ(s.apply({NodeId{2}, 1, "b"}), "#2");
  EXPECT_EQ(s.apply({NodeId{1}, 1, "a"}), std::nullopt);
  EXPECT_EQ(j.text(), "ab");
}

// A snapshot without the dedup state would let a command re-proposed after it apply twice.
TEST(ReplicatedState, SnapshotCarriesTheDedupStateAndTheMachine) {
  Journal j;
  ReplicatedState s(j, 16);
  (void)s.apply({NodeId{1}, 1, "a"});
  (void)s.apply({NodeId{1}, 2, "b"});
  Journal j2;
  ReplicatedState restored(j2, 16);
  ASSERT_EQ(restored.restore(s.snapshot()), "");
  EXPECT_EQ(j2.text(), "ab");
  EXPECT_EQ(restored.apply({NodeId{1}, 2, "b"}), std::nullopt) << "dedup state restored too";
  std::string result;
  EXPECT_EQ(restored.dedup().lookup(1, 2, &result), Dedup::Seen::kApplied);
  EXPECT_EQ(result, "#2") << "the origin can still answer its client from it";
  EXPECT_EQ(restored.snapshot(), s.snapshot());
  std::string error;
  EXPECT_EQ(ReplicatedState::machine_part(s.snapshot(), error), j.snapshot());
  EXPECT_EQ(ReplicatedState::machine_part("RSVC\x01\x05", error), std::nullopt);
  EXPECT_NE(error, "");
}

TEST(ReplicatedState, RestoreRefusesWhatItCannotReadAndKeepsItsState) {
  Journal j;
  ReplicatedState s(j, 16);
  (void)s.apply({NodeId{1}, 1, "a"});
  const std::string snap = s.snapshot();
  EXPECT_NE(s.restore("garbage"), "");
  std::string future = snap;
  future[4] = 9;
  EXPECT_NE(s.restore(future).find("version 9"), std::string::npos);
  std::string bad_machine = snap;
  bad_machine[bad_machine.size() - 2] = 'Q';  // the journal's own magic, at its front
  EXPECT_EQ(s.restore(bad_machine), "not a journal");
  EXPECT_NE(s.restore(snap.substr(0, 8)), "");
  EXPECT_EQ(j.text(), "a");
  EXPECT_EQ(s.apply({NodeId{1}, 1, "a"}), std::nullopt);
}

}  // namespace
}  // namespace raft
