#include "transport/peer_codec.h"

#include <type_traits>

namespace transport {

namespace {

enum Kind : std::uint8_t { kRaft = 1, kForward = 2, kRejected = 3, kAnswer = 4 };

// Body types: the index of each alternative in raft::MessageBody, written explicitly so a
// reordering of the variant cannot silently change the wire format.
enum BodyType : std::uint8_t {
  kVoteRequest = 0, kVoteResponse, kAppendRequest, kAppendResponse, kHeartbeatRequest,
  kHeartbeatResponse, kReadIndexRequest, kReadIndexResponse, kSnapshotRequest,
  kSnapshotResponse, kTimeoutNow, kBodyTypes
};

// ---- writing ----------------------------------------------------------------------------

void put_u8(std::string& out, std::uint8_t v) { out.push_back(static_cast<char>(v)); }

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_bytes(std::string& out, std::string_view b) {
  put_varint(out, b.size());
  out.append(b);
}

void put_bool(std::string& out, bool b) { put_u8(out, b ? 1 : 0); }

void put_entry(std::string& out, const raft::Entry& e) {
  put_varint(out, e.term.value());
  put_varint(out, e.index.value());
  put_u8(out, static_cast<std::uint8_t>(e.type));
  put_bytes(out, e.data.view());
}

void put_ids(std::string& out, const std::vector<raft::NodeId>& ids) {
  put_varint(out, ids.size());
  for (raft::NodeId v : ids) put_varint(out, v.value());
}

void put_meta(std::string& out, const raft::SnapshotMeta& meta) {
  put_varint(out, meta.index.value());
  put_varint(out, meta.term.value());
  put_ids(out, meta.voters);
  put_ids(out, meta.voters_outgoing);
  put_ids(out, meta.learners);
}

struct BodyWriter {
  std::string& out;
  void operator()(const raft::VoteRequest& b) const {
    put_bool(out, b.pre_vote);
    put_varint(out, b.last_log_index.value());
    put_varint(out, b.last_log_term.value());
    put_bool(out, b.transfer);
  }
  void operator()(const raft::VoteResponse& b) const {
    put_bool(out, b.pre_vote);
    put_bool(out, b.granted);
  }
  void operator()(const raft::AppendRequest& b) const {
    put_varint(out, b.prev_log_index.value());
    put_varint(out, b.prev_log_term.value());
    put_varint(out, b.leader_commit.value());
    put_varint(out, b.read_seq);
    put_bool(out, b.want_answer);
    put_varint(out, b.entries.size());
    for (const raft::Entry& e : b.entries) put_entry(out, e);
  }
  void operator()(const raft::AppendResponse& b) const {
    put_bool(out, b.success);
    put_varint(out, b.index.value());
    put_varint(out, b.hint_index.value());
    put_varint(out, b.hint_term.value());
    put_varint(out, b.read_seq);
  }
  void operator()(const raft::HeartbeatRequest& b) const {
    put_varint(out, b.commit.value());
    put_varint(out, b.read_seq);
    put_bool(out, b.want_answer);
    put_varint(out, b.leader_commit.value());
  }
  void operator()(const raft::HeartbeatResponse& b) const { put_varint(out, b.read_seq); }
  void operator()(const raft::ReadIndexRequest& b) const { put_bytes(out, b.context); }
  void operator()(const raft::ReadIndexResponse& b) const {
    put_bytes(out, b.context);
    put_varint(out, b.index.value());
    put_bool(out, b.ok);
  }
  void operator()(const raft::SnapshotRequest& b) const {
    put_meta(out, b.meta);
    put_varint(out, b.offset);
    put_bytes(out, b.data.view());
    put_bool(out, b.done);
  }
  void operator()(const raft::TimeoutNow&) const {}
  void operator()(const raft::SnapshotResponse& b) const {
    put_varint(out, b.snapshot_index.value());
    put_varint(out, b.next_offset);
    put_bool(out, b.installed);
    put_varint(out, b.index.value());
  }
};

void put_raft(std::string& out, const raft::Message& m) {
  put_u8(out, kRaft);
  put_varint(out, m.from.value());
  put_varint(out, m.to.value());
  put_varint(out, m.term.value());
  put_u8(out, static_cast<std::uint8_t>(m.body.index()));
  std::visit(BodyWriter{out}, m.body);
}

// ---- reading ----------------------------------------------------------------------------

struct DecodeError {
  std::string what;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  std::uint8_t u8(const char* field) {
    if (pos_ >= in_.size()) fail(field, "ends early");
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::uint64_t varint(const char* field) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t byte = u8(field);
      // The tenth byte may carry only the top bit of a 64-bit value.
      if (shift == 63 && byte > 1) fail(field, "varint overflows 64 bits");
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    fail(field, "varint longer than 10 bytes");
  }
  bool boolean(const char* field) {
    const std::uint8_t b = u8(field);
    if (b > 1) fail(field, "is not 0 or 1");
    return b == 1;
  }
  std::string_view bytes(const char* field) {
    const std::uint64_t n = varint(field);
    if (n > in_.size() - pos_) fail(field, "length runs past the end");
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  /// A count of items each at least `min_bytes` long: bounded by what is left, so a forged
  /// count cannot make us reserve gigabytes.
  std::uint64_t count(const char* field, std::size_t min_bytes) {
    const std::uint64_t n = varint(field);
    if (n > (in_.size() - pos_) / min_bytes) fail(field, "count larger than the payload");
    return n;
  }
  void expect_end() const {
    if (pos_ != in_.size()) fail("payload", "has trailing bytes");
  }
  [[noreturn]] static void fail(const char* field, const char* why) {
    throw DecodeError{std::string(field) + ": " + why};
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

raft::Entry read_entry(Reader& r) {
  raft::Entry e;
  e.term = raft::Term{r.varint("entry term")};
  e.index = raft::Index{r.varint("entry index")};
  const std::uint8_t type = r.u8("entry type");
  if (type > static_cast<std::uint8_t>(raft::EntryType::kConfig)) Reader::fail("entry type", "unknown");
  e.type = static_cast<raft::EntryType>(type);
  e.data = raft::Bytes(r.bytes("entry data"));
  return e;
}

std::vector<raft::NodeId> read_ids(Reader& r, const char* field) {
  std::vector<raft::NodeId> ids;
  const std::uint64_t n = r.count(field, 1);
  for (std::uint64_t i = 0; i < n; ++i) ids.emplace_back(r.varint(field));
  return ids;
}

raft::SnapshotMeta read_meta(Reader& r) {
  raft::SnapshotMeta meta;
  meta.index = raft::Index{r.varint("snapshot index")};
  meta.term = raft::Term{r.varint("snapshot term")};
  meta.voters = read_ids(r, "voters");
  meta.voters_outgoing = read_ids(r, "outgoing voters");
  meta.learners = read_ids(r, "learners");
  return meta;
}

raft::MessageBody read_body(Reader& r, std::uint8_t type) {
  switch (type) {
    case kVoteRequest: {
      raft::VoteRequest b;
      b.pre_vote = r.boolean("pre_vote");
      b.last_log_index = raft::Index{r.varint("last_log_index")};
      b.last_log_term = raft::Term{r.varint("last_log_term")};
      b.transfer = r.boolean("transfer");
      return b;
    }
    case kVoteResponse: {
      raft::VoteResponse b;
      b.pre_vote = r.boolean("pre_vote");
      b.granted = r.boolean("granted");
      return b;
    }
    case kAppendRequest: {
      raft::AppendRequest b;
      b.prev_log_index = raft::Index{r.varint("prev_log_index")};
      b.prev_log_term = raft::Term{r.varint("prev_log_term")};
      b.leader_commit = raft::Index{r.varint("leader_commit")};
      b.read_seq = r.varint("read_seq");
      b.want_answer = r.boolean("want_answer");
      const std::uint64_t n = r.count("entries", 4);
      b.entries.reserve(n);
      for (std::uint64_t i = 0; i < n; ++i) b.entries.push_back(read_entry(r));
      return b;
    }
    case kAppendResponse: {
      raft::AppendResponse b;
      b.success = r.boolean("success");
      b.index = raft::Index{r.varint("index")};
      b.hint_index = raft::Index{r.varint("hint_index")};
      b.hint_term = raft::Term{r.varint("hint_term")};
      b.read_seq = r.varint("read_seq");
      return b;
    }
    case kHeartbeatRequest: {
      raft::HeartbeatRequest b;
      b.commit = raft::Index{r.varint("commit")};
      b.read_seq = r.varint("read_seq");
      b.want_answer = r.boolean("want_answer");
      b.leader_commit = raft::Index{r.varint("leader_commit")};
      return b;
    }
    case kHeartbeatResponse: return raft::HeartbeatResponse{r.varint("read_seq")};
    case kReadIndexRequest: return raft::ReadIndexRequest{std::string(r.bytes("context"))};
    case kReadIndexResponse: {
      raft::ReadIndexResponse b;
      b.context = std::string(r.bytes("context"));
      b.index = raft::Index{r.varint("index")};
      b.ok = r.boolean("ok");
      return b;
    }
    case kSnapshotRequest: {
      raft::SnapshotRequest b;
      b.meta = read_meta(r);
      b.offset = r.varint("offset");
      b.data = raft::Bytes(r.bytes("data"));
      b.done = r.boolean("done");
      return b;
    }
    case kSnapshotResponse: {
      raft::SnapshotResponse b;
      b.snapshot_index = raft::Index{r.varint("snapshot_index")};
      b.next_offset = r.varint("next_offset");
      b.installed = r.boolean("installed");
      b.index = raft::Index{r.varint("index")};
      return b;
    }
    case kTimeoutNow: return raft::TimeoutNow{};
    default: Reader::fail("message type", "unknown");
  }
}

std::vector<WireItem> read_items(Reader& r, const char* what) {
  const std::uint64_t n = r.count(what, 2);
  std::vector<WireItem> items;
  items.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    WireItem item;
    item.seq = r.varint("seq");
    item.bytes = std::string(r.bytes(what));
    items.push_back(std::move(item));
  }
  return items;
}

void put_items(std::string& out, const std::vector<WireItem>& items) {
  put_varint(out, items.size());
  for (const WireItem& item : items) {
    put_varint(out, item.seq);
    put_bytes(out, item.bytes);
  }
}

WireMessage read_message(Reader& r) {
  switch (r.u8("kind")) {
    case kRaft: {
      raft::Message m;
      m.from = raft::NodeId{r.varint("from")};
      m.to = raft::NodeId{r.varint("to")};
      m.term = raft::Term{r.varint("term")};
      m.body = read_body(r, r.u8("message type"));
      return m;
    }
    case kForward: {
      WireForward f;
      f.origin = raft::NodeId{r.varint("origin")};
      f.commands = read_items(r, "command");
      return f;
    }
    case kRejected: {
      WireRejected j;
      j.leader = raft::NodeId{r.varint("leader")};
      const std::uint64_t n = r.count("seqs", 1);
      for (std::uint64_t i = 0; i < n; ++i) j.seqs.push_back(r.varint("seq"));
      return j;
    }
    case kAnswer: return WireAnswer{read_items(r, "result")};
    default: Reader::fail("kind", "unknown");
  }
}

}  // namespace

static_assert(std::variant_size_v<raft::MessageBody> == kBodyTypes,
              "a new raft::MessageBody type needs a wire encoding");

void encode_peer_message(const WireMessage& m, std::string& out) {
  if (const auto* rm = std::get_if<raft::Message>(&m)) {
    put_raft(out, *rm);
  } else if (const auto* f = std::get_if<WireForward>(&m)) {
    put_u8(out, kForward);
    put_varint(out, f->origin.value());
    put_items(out, f->commands);
  } else if (const auto* j = std::get_if<WireRejected>(&m)) {
    put_u8(out, kRejected);
    put_varint(out, j->leader.value());
    put_varint(out, j->seqs.size());
    for (std::uint64_t seq : j->seqs) put_varint(out, seq);
  } else {
    put_u8(out, kAnswer);
    put_items(out, std::get<WireAnswer>(m).results);
  }
}

std::string encode_peer_message(const WireMessage& m) {
  std::string out;
  encode_peer_message(m, out);
  return out;
}

raft::Expected<WireMessage, std::string> decode_peer_message(std::string_view in) {
  try {
    Reader r(in);
    WireMessage m = read_message(r);
    r.expect_end();
    return m;
  } catch (const DecodeError& e) {
    return raft::Unexpected{e.what};
  }
}

}  // namespace transport
