// The JSON codec for peer messages: every message round-trips, and malformed bodies give
// an error naming the field instead of throwing.
#include <gtest/gtest.h>

#include "kv/command.h"
#include "kv/wire.h"
#include "raft/replicated_state.h"

namespace kv {
namespace {

using raft::Index;
using raft::NodeId;
using raft::Term;

PeerMessage round_trip(const PeerMessage& m) {
  json body = json::parse(encode_peer(m).dump());
  auto back = decode_peer(body, NodeId{1}, NodeId{2});
  if (auto* err = std::get_if<DecodeError>(&back)) {
    ADD_FAILURE() << err->what << " in " << body.dump();
    return m;
  }
  return std::get<PeerMessage>(back);
}

TEST(Wire, EveryRaftMessageRoundTrips) {
  const std::vector<raft::MessageBody> bodies = {
      raft::VoteRequest{true, Index{5}, Term{3}},
      raft::VoteResponse{false, true},
      raft::AppendRequest{Index{4}, Term{2},
                          {raft::Entry{Term{2}, Index{5}, raft::EntryType::kNormal, "{\"k\":1}"},
                           raft::Entry{Term{2}, Index{6}, raft::EntryType::kNoop, ""}},
                          Index{3}},
      raft::AppendResponse{false, Index{4}, Index{2}, Term{1}},
      raft::HeartbeatRequest{Index{9}, 12},
      raft::HeartbeatResponse{12},
      raft::ReadIndexRequest{"ctx"},
      raft::ReadIndexResponse{"ctx", Index{8}, true},
      raft::SnapshotRequest{raft::SnapshotMeta{Index{4}, Term{2}, {NodeId{1}}}, 0, "ab", false},
      raft::SnapshotResponse{Index{4}, 2, false, Index{}},
      raft::TimeoutNow{},
  };
  for (const auto& body : bodies) {
    raft::Message m{NodeId{1}, NodeId{2}, Term{7}, body};
    PeerMessage back = round_trip(m);
    const auto& rm = std::get<raft::Message>(back);
    EXPECT_EQ(rm.term, Term{7});
    EXPECT_EQ(rm.from, NodeId{1});
    EXPECT_EQ(rm.body.index(), body.index()) << raft::message_type_name(body);
  }
  const auto append = std::get<raft::AppendRequest>(
      std::get<raft::Message>(round_trip(raft::Message{NodeId{1}, NodeId{2}, Term{7}, bodies[2]}))
          .body);
  ASSERT_EQ(append.entries.size(), 2u);
  EXPECT_EQ(append.entries[0].data, "{\"k\":1}");
  EXPECT_EQ(append.entries[1].type, raft::EntryType::kNoop);
  EXPECT_EQ(append.leader_commit, Index{3});
}

// A heartbeat or append that wants no answer says so; one without the field (as every
// one was before want_answer existed) is answered.
TEST(Wire, WantAnswerRoundTripsOnHeartbeatsAndAppendsAndDefaultsToTrue) {
  for (bool want : {true, false}) {
    raft::HeartbeatRequest hb{Index{9}, 12, want, Index{want ? 9u : 11u}};
    const auto back = std::get<raft::HeartbeatRequest>(
        std::get<raft::Message>(round_trip(raft::Message{NodeId{1}, NodeId{2}, Term{7}, hb})).body);
    EXPECT_EQ(back.want_answer, want);
    EXPECT_EQ(back.commit, Index{9});
    EXPECT_EQ(back.read_seq, 12u);
    EXPECT_EQ(back.leader_commit, hb.leader_commit);
    raft::AppendRequest a{Index{4}, Term{2}, {}, Index{3}, 5, want};
    const auto back_a = std::get<raft::AppendRequest>(
        std::get<raft::Message>(round_trip(raft::Message{NodeId{1}, NodeId{2}, Term{7}, a})).body);
    EXPECT_EQ(back_a.want_answer, want);
    EXPECT_EQ(back_a.read_seq, 5u);
  }
}

TEST(Wire, SnapshotChunksRoundTripWithBinaryData) {
  std::string data;
  for (int b = 0; b < 256; ++b) data.push_back(static_cast<char>(b));
  const raft::SnapshotRequest req{
      raft::SnapshotMeta{Index{40}, Term{3}, {NodeId{1}, NodeId{2}, NodeId{3}}}, 512, data, true};
  const auto back = std::get<raft::SnapshotRequest>(
      std::get<raft::Message>(round_trip(raft::Message{NodeId{1}, NodeId{2}, Term{7}, req})).body);
  EXPECT_EQ(back.meta, req.meta);
  EXPECT_EQ(back.offset, 512u);
  EXPECT_EQ(back.data, data);
  EXPECT_TRUE(back.done);
  const raft::SnapshotResponse resp{Index{40}, 1024, true, Index{41}};
  const auto r = std::get<raft::SnapshotResponse>(
      std::get<raft::Message>(round_trip(raft::Message{NodeId{2}, NodeId{1}, Term{7}, resp})).body);
  EXPECT_EQ(r.snapshot_index, Index{40});
  EXPECT_EQ(r.next_offset, 1024u);
  EXPECT_TRUE(r.installed);
  EXPECT_EQ(r.index, Index{41});
}

TEST(Wire, MembershipFieldsRoundTripAndAreOptional) {
  raft::SnapshotMeta meta{Index{40}, Term{3}, {NodeId{1}, NodeId{2}, NodeId{4}},
                          {NodeId{1}, NodeId{2}, NodeId{3}}, {NodeId{9}}};
  const raft::SnapshotRequest req{meta, 0, "s", true};
  const auto back = std::get<raft::SnapshotRequest>(
      std::get<raft::Message>(round_trip(raft::Message{NodeId{1}, NodeId{2}, Term{7}, req})).body);
  EXPECT_EQ(back.meta, meta);
  const raft::VoteRequest transfer{false, Index{5}, Term{3}, true};
  const json enc = encode_peer(PeerMessage{raft::Message{NodeId{1}, NodeId{2}, Term{4}, transfer}});
  EXPECT_TRUE(enc.at("transfer").get<bool>());
  EXPECT_TRUE(std::get<raft::VoteRequest>(
                  std::get<raft::Message>(round_trip(raft::Message{NodeId{1}, NodeId{2}, Term{4}, transfer}))
                      .body)
                  .transfer);
  // A plain vote request has no "transfer" field, and decodes as one without it.
  const json plain = encode_peer(PeerMessage{raft::Message{NodeId{1}, NodeId{2}, Term{4}, raft::VoteRequest{}}});
  EXPECT_FALSE(plain.contains("transfer"));
  json bad = {{"type", "raft_snapshot"}, {"term", 1}, {"index", 4}, {"snapshot_term", 1},
              {"voters", {1}}, {"learners", {"x"}}, {"offset", 0}, {"data", ""}, {"done", true}};
  auto r = decode_peer(bad, NodeId{1}, NodeId{2});
  ASSERT_TRUE(std::holds_alternative<DecodeError>(r));
  EXPECT_NE(std::get<DecodeError>(r).what.find("learners"), std::string::npos);
}

TEST(Wire, MalformedSnapshotChunksNameTheField) {
  json body = {{"type", "raft_snapshot"}, {"term", 1}, {"index", 4}, {"snapshot_term", 1},
               {"voters", {1, "x"}}, {"offset", 0}, {"data", ""}, {"done", true}};
  auto r = decode_peer(body, NodeId{1}, NodeId{2});
  ASSERT_TRUE(std::holds_alternative<DecodeError>(r));
  EXPECT_NE(std::get<DecodeError>(r).what.find("voters"), std::string::npos);
  body["voters"] = {1, 2};
  body["data"] = json::parse("\"\\u0100\"");
  r = decode_peer(body, NodeId{1}, NodeId{2});
  ASSERT_TRUE(std::holds_alternative<DecodeError>(r));
  EXPECT_NE(std::get<DecodeError>(r).what.find("data"), std::string::npos);
  body.erase("offset");
  r = decode_peer(body, NodeId{1}, NodeId{2});
  ASSERT_TRUE(std::holds_alternative<DecodeError>(r));
  EXPECT_NE(std::get<DecodeError>(r).what.find("offset"), std::string::npos);
}

// Payloads are bytes (kv's commands are binary): every byte value, NULs and invalid UTF-8
// included, survives the JSON text of a Maelstrom message.
TEST(Wire, EntryPayloadsOfAnyBytesRoundTrip) {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  const std::string command =
      raft::encode_client_command(NodeId{2}, 9, encode_operation(Operation::write(1, -300)));
  raft::AppendRequest req{Index{0}, Term{0},
                          {raft::Entry{Term{1}, Index{1}, raft::EntryType::kNormal, all_bytes},
                           raft::Entry{Term{1}, Index{2}, raft::EntryType::kNormal, command}},
                          Index{0}};
  const std::string text = encode_peer(raft::Message{NodeId{1}, NodeId{2}, Term{1}, req}).dump();
  const auto back = std::get<raft::AppendRequest>(
      std::get<raft::Message>(round_trip(raft::Message{NodeId{1}, NodeId{2}, Term{1}, req})).body);
  ASSERT_EQ(back.entries.size(), 2u);
  EXPECT_EQ(back.entries[0].data.str(), all_bytes);
  EXPECT_EQ(back.entries[1].data.str(), command);
  EXPECT_TRUE(raft::decode_client_command(back.entries[1].data.view()));

  // A string with a code point above U+00FF is no payload of ours: a clear error.
  json body = json::parse(text);
  body["entries"][0][3] = "\u20ac";  // the euro sign, U+20AC
  auto bad = decode_peer(body, NodeId{1}, NodeId{2});
  ASSERT_TRUE(std::holds_alternative<DecodeError>(bad));
  EXPECT_NE(std::get<DecodeError>(bad).what.find("U+00FF"), std::string::npos);
}

TEST(Wire, ForwardMessagesRoundTrip) {
  raft::ForwardRequest f{NodeId{3}, {{42, encode_operation(Operation::cas(1, 2, 3))}, {43, "w"}}};
  auto back = std::get<raft::ForwardRequest>(round_trip(f));
  EXPECT_EQ(back.origin, NodeId{3});
  ASSERT_EQ(back.commands.size(), 2u);
  EXPECT_EQ(back.commands[0].seq, 42u);
  EXPECT_EQ(back.commands[0].command, f.commands[0].command) << "binary command bytes survive the JSON text";
  EXPECT_EQ(back.commands[1].seq, 43u);
  auto rej = std::get<raft::ForwardRejected>(round_trip(raft::ForwardRejected{{42, 43}, NodeId{2}}));
  EXPECT_EQ(rej.leader, NodeId{2});
  EXPECT_EQ(rej.seqs, (std::vector<std::uint64_t>{42, 43}));
  auto ans = std::get<raft::ForwardAnswer>(round_trip(raft::ForwardAnswer{{{7, std::string("\x01\0", 2)}}}));
  ASSERT_EQ(ans.results.size(), 1u);
  EXPECT_EQ(ans.results[0].seq, 7u);
  EXPECT_EQ(ans.results[0].result, std::string("\x01\0", 2));
  // A malformed batch is a clear error, not a crash.
  auto bad = decode_peer(json{{"type", "kv_forward"}, {"origin", 1}, {"commands", {{1}}}}, NodeId{1}, NodeId{2});
  ASSERT_TRUE(std::holds_alternative<DecodeError>(bad));
  EXPECT_NE(std::get<DecodeError>(bad).what.find("commands"), std::string::npos);
}

TEST(Wire, MalformedBodiesNameTheField) {
  auto err = [](const json& body) {
    auto r = decode_peer(body, NodeId{1}, NodeId{2});
    return std::holds_alternative<DecodeError>(r) ? std::get<DecodeError>(r).what : "";
  };
  EXPECT_NE(err({{"type", "raft_vote"}, {"term", 1}}).find("pre_vote"), std::string::npos);
  EXPECT_NE(err({{"type", "raft_vote"}, {"term", -1}, {"pre_vote", false},
                 {"last_log_index", 0}, {"last_log_term", 0}})
                .find("term"),
            std::string::npos);
  EXPECT_NE(err({{"type", "raft_append"}, {"term", 1}, {"prev_log_index", 0},
                 {"prev_log_term", 0}, {"leader_commit", 0}, {"entries", {{1, 2}}}})
                .find("entries"),
            std::string::npos);
  EXPECT_NE(err({{"type", "raft_heartbeat"}, {"term", "x"}}).find("term"), std::string::npos);
  EXPECT_NE(err({{"type", "kv_forward"}, {"origin", 1}, {"seq", 1}, {"command", 5}}).find("command"),
            std::string::npos);
  EXPECT_NE(err({{"type", "raft_bogus"}, {"term", 1}}).find("raft_bogus"), std::string::npos);
  EXPECT_FALSE(err(json::array()).empty());
}

TEST(Wire, ClientOperationsNeedTheirFields) {
  auto r = decode_client_op({{"type", "cas"}, {"key", 1}, {"from", 1}});
  ASSERT_TRUE(std::holds_alternative<DecodeError>(r));
  EXPECT_NE(std::get<DecodeError>(r).what.find("'to'"), std::string::npos);
  auto ok = decode_client_op({{"type", "write"}, {"key", "k"}, {"value", nullptr}});
  ASSERT_TRUE(std::holds_alternative<Operation>(ok));
  EXPECT_EQ(std::get<Operation>(ok).kind, Operation::Kind::kWrite);
}

}  // namespace
}  // namespace kv
