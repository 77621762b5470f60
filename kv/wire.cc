#include "kv/wire.h"

#include <array>

namespace kv {

namespace {

using raft::Entry;
using raft::Index;
using raft::Message;
using raft::Term;

/// A JSON integer >= 0 (signed or unsigned representation).
bool is_count(const json& v) {
  return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// C++20 deduces this for aggregates; clang 14 (the fuzzing build) still needs the guide.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

const std::vector<std::string> kPeerTypes = {
    "raft_vote",      "raft_vote_ok",      "raft_append",     "raft_append_ok",
    "raft_heartbeat", "raft_heartbeat_ok", "raft_read_index", "raft_read_index_ok",
    "raft_snapshot",  "raft_snapshot_ok",  "raft_timeout_now", "kv_forward",
    "kv_forward_rejected", "kv_forward_answer", "kv_bundle"};

// Entry payloads are opaque bytes (kv's commands are binary), but a JSON string holds
// Unicode text. Each byte travels as the code point of the same value (U+0000-U+00FF,
// i.e. Latin-1 read as Unicode): ASCII stays readable in message logs, any byte survives,
// and a string with a code point above U+00FF is not a payload we wrote.
std::string bytes_to_text(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (const char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x80) {
      out.push_back(ch);
    } else {  // two-byte UTF-8 for U+0080-U+00FF
      out.push_back(static_cast<char>(0xC0 | (b >> 6)));
      out.push_back(static_cast<char>(0x80 | (b & 0x3F)));
    }
  }
  return out;
}

/// The inverse of bytes_to_text, given valid UTF-8 (nlohmann::json checks that on parse);
/// nullopt for a code point above U+00FF.
std::optional<std::string> text_to_bytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
    } else if ((b == 0xC2 || b == 0xC3) && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[++i]);
      out.push_back(static_cast<char>(((b & 0x03) << 6) | (next & 0x3F)));
    } else {
      return std::nullopt;
    }
  }
  return out;
}

json encode_entries(const std::vector<Entry>& entries) {
  json arr = json::array();
  for (const Entry& e : entries) {
    arr.push_back(json::array({e.term.value(), e.index.value(), static_cast<int>(e.type),
                               bytes_to_text(e.data.view())}));
  }
  return arr;
}

json ids_json(const std::vector<raft::NodeId>& ids) {
  json a = json::array();
  for (raft::NodeId v : ids) a.push_back(v.value());
  return a;
}

json encode_raft(const Message& m) {
  json j = std::visit(
      Overloaded{
          [](const raft::VoteRequest& v) -> json {
            json vote = {{"type", "raft_vote"}, {"pre_vote", v.pre_vote},
                         {"last_log_index", v.last_log_index.value()},
                         {"last_log_term", v.last_log_term.value()}};
            if (v.transfer) vote["transfer"] = true;  // absent means false (older nodes)
            return vote;
          },
          [](const raft::VoteResponse& v) -> json {
            return {{"type", "raft_vote_ok"}, {"pre_vote", v.pre_vote}, {"granted", v.granted}};
          },
          [](const raft::AppendRequest& a) -> json {
            json out = {{"type", "raft_append"}, {"prev_log_index", a.prev_log_index.value()},
                      {"prev_log_term", a.prev_log_term.value()},
                      {"entries", encode_entries(a.entries)},
                      {"leader_commit", a.leader_commit.value()}};
            if (a.read_seq != 0) out["read_seq"] = a.read_seq;  // absent means 0
            if (!a.want_answer) out["want_answer"] = false;     // absent means true
            return out;
          },
          [](const raft::AppendResponse& a) -> json {
            json out = {{"type", "raft_append_ok"}, {"success", a.success},
                      {"index", a.index.value()}, {"hint_index", a.hint_index.value()},
                      {"hint_term", a.hint_term.value()}};
            if (a.read_seq != 0) out["read_seq"] = a.read_seq;
            return out;
          },
          [](const raft::HeartbeatRequest& h) -> json {
            json out = {{"type", "raft_heartbeat"}, {"commit", h.commit.value()},
                        {"read_seq", h.read_seq}};
            if (!h.want_answer) out["want_answer"] = false;
            if (h.leader_commit > h.commit) out["leader_commit"] = h.leader_commit.value();
            return out;
          },
          [](const raft::HeartbeatResponse& h) -> json {
            return {{"type", "raft_heartbeat_ok"}, {"read_seq", h.read_seq}};
          },
          [](const raft::ReadIndexRequest& r) -> json {
            return {{"type", "raft_read_index"}, {"context", r.context}};
          },
          [](const raft::ReadIndexResponse& r) -> json {
            return {{"type", "raft_read_index_ok"}, {"context", r.context},
                    {"index", r.index.value()}, {"ok", r.ok}};
          },
          [](const raft::SnapshotRequest& r) -> json {
            // One chunk per line: Config::max_snapshot_chunk_bytes bounds the line length
            // (at most twice the chunk, as bytes above 0x7f take two UTF-8 bytes).
            json chunk = {{"type", "raft_snapshot"}, {"index", r.meta.index.value()},
                          {"snapshot_term", r.meta.term.value()}, {"voters", ids_json(r.meta.voters)},
                          {"offset", r.offset}, {"data", bytes_to_text(r.data.view())},
                          {"done", r.done}};
            // Only when present: a plain configuration encodes as before.
            if (!r.meta.voters_outgoing.empty()) {
              chunk["voters_outgoing"] = ids_json(r.meta.voters_outgoing);
            }
            if (!r.meta.learners.empty()) chunk["learners"] = ids_json(r.meta.learners);
            return chunk;
          },
          [](const raft::TimeoutNow&) -> json { return {{"type", "raft_timeout_now"}}; },
          [](const raft::SnapshotResponse& r) -> json {
            return {{"type", "raft_snapshot_ok"}, {"snapshot_index", r.snapshot_index.value()},
                    {"next_offset", r.next_offset}, {"installed", r.installed},
                    {"index", r.index.value()}};
          },
      },
      m.body);
  j["term"] = m.term.value();
  return j;
}

// ---- decoding -----------------------------------------------------------------------

struct Fields {
  const json& body;
  std::string error;

  bool has(const char* name) {
    if (body.contains(name)) return true;
    if (error.empty()) error = std::string("field '") + name + "' is missing";
    return false;
  }
  std::uint64_t u64(const char* name) {
    if (!has(name)) return 0;
    const json& v = body[name];
    if (!is_count(v)) {
      if (error.empty()) error = std::string("field '") + name + "' must be a non-negative integer";
      return 0;
    }
    return v.get<std::uint64_t>();
  }
  bool boolean(const char* name) {
    if (!has(name)) return false;
    const json& v = body[name];
    if (!v.is_boolean()) {
      if (error.empty()) error = std::string("field '") + name + "' must be a boolean";
      return false;
    }
    return v.get<bool>();
  }
  std::string str(const char* name) {
    if (!has(name)) return {};
    const json& v = body[name];
    if (!v.is_string()) {
      if (error.empty()) error = std::string("field '") + name + "' must be a string";
      return {};
    }
    return v.get<std::string>();
  }
  const json& any(const char* name) {
    static const json null_json;
    if (!has(name)) return null_json;
    return body[name];
  }
};

std::optional<std::vector<Entry>> decode_entries(const json& arr, std::string& error) {
  if (!arr.is_array()) {
    error = "field 'entries' must be an array";
    return std::nullopt;
  }
  std::vector<Entry> out;
  out.reserve(arr.size());
  for (const json& e : arr) {
    if (!e.is_array() || e.size() != 4 || !is_count(e[0]) || !is_count(e[1]) ||
        !is_count(e[2]) || e[2].get<std::uint64_t>() > 2 ||
        !e[3].is_string()) {
      error = "field 'entries' must hold [term, index, type (0-2), data] arrays";
      return std::nullopt;
    }
    std::optional<std::string> data = text_to_bytes(e[3].get_ref<const std::string&>());
    if (!data) {
      error = "an entry's data must be bytes as code points U+0000-U+00FF";
      return std::nullopt;
    }
    out.push_back(Entry{Term{e[0].get<std::uint64_t>()}, Index{e[1].get<std::uint64_t>()},
                        static_cast<raft::EntryType>(e[2].get<int>()),
                        raft::Bytes(std::move(*data))});
  }
  return out;
}

// An optional array of node ids (absent = empty); false with f.error set if malformed.
bool decode_ids(Fields& f, const char* name, std::vector<raft::NodeId>& out) {
  if (!f.error.empty()) return false;
  if (!f.body.contains(name)) return true;
  const json& arr = f.body[name];
  bool ok = arr.is_array();
  if (ok) {
    for (const json& v : arr) {
      if (!is_count(v)) {
        ok = false;
        break;
      }
      out.emplace_back(v.get<std::uint64_t>());
    }
  }
  if (!ok) f.error = std::string("field '") + name + "' must be an array of node ids";
  return ok;
}

std::optional<raft::MessageBody> decode_snapshot_chunk(Fields& f) {
  raft::SnapshotRequest r;
  r.meta.index = Index{f.u64("index")};
  r.meta.term = Term{f.u64("snapshot_term")};
  r.offset = f.u64("offset");
  r.done = f.boolean("done");
  const std::string text = f.str("data");
  if (!f.has("voters") || !decode_ids(f, "voters", r.meta.voters) ||
      !decode_ids(f, "voters_outgoing", r.meta.voters_outgoing) ||
      !decode_ids(f, "learners", r.meta.learners)) {
    return std::nullopt;
  }
  std::optional<std::string> data = text_to_bytes(text);
  if (!data) {
    f.error = "a snapshot chunk's data must be bytes as code points U+0000-U+00FF";
    return std::nullopt;
  }
  r.data = raft::Bytes(std::move(*data));
  return r;
}

std::optional<raft::MessageBody> decode_raft_body(const std::string& type, Fields& f) {
  if (type == "raft_vote") {
    raft::VoteRequest v{f.boolean("pre_vote"), Index{f.u64("last_log_index")},
                        Term{f.u64("last_log_term")}};
    if (f.body.contains("transfer")) v.transfer = f.boolean("transfer");
    return v;
  }
  if (type == "raft_timeout_now") return raft::TimeoutNow{};
  if (type == "raft_vote_ok") return raft::VoteResponse{f.boolean("pre_vote"), f.boolean("granted")};
  if (type == "raft_append") {
    raft::AppendRequest a{Index{f.u64("prev_log_index")}, Term{f.u64("prev_log_term")}, {},
                          Index{f.u64("leader_commit")}};
    if (f.has("entries")) {
      std::string err;
      auto entries = decode_entries(f.body["entries"], err);
      if (!entries) {
        f.error = err;
        return std::nullopt;
      }
      a.entries = std::move(*entries);
    }
    if (f.body.contains("read_seq")) a.read_seq = f.u64("read_seq");  // absent means 0
    if (f.body.contains("want_answer")) a.want_answer = f.boolean("want_answer");
    return a;
  }
  if (type == "raft_append_ok") {
    raft::AppendResponse a{f.boolean("success"), Index{f.u64("index")},
                           Index{f.u64("hint_index")}, Term{f.u64("hint_term")}};
    if (f.body.contains("read_seq")) a.read_seq = f.u64("read_seq");  // absent means 0
    return a;
  }
  if (type == "raft_heartbeat") {
    raft::HeartbeatRequest h{Index{f.u64("commit")}, f.u64("read_seq")};
    if (f.body.contains("want_answer")) h.want_answer = f.boolean("want_answer");  // absent: true
    // Absent: the leader's commit is `commit` (it is written only when greater).
    h.leader_commit = f.body.contains("leader_commit") ? Index{f.u64("leader_commit")} : h.commit;
    return h;
  }
  if (type == "raft_heartbeat_ok") return raft::HeartbeatResponse{f.u64("read_seq")};
  if (type == "raft_read_index") return raft::ReadIndexRequest{f.str("context")};
  if (type == "raft_read_index_ok") {
    return raft::ReadIndexResponse{f.str("context"), Index{f.u64("index")}, f.boolean("ok")};
  }
  if (type == "raft_snapshot") return decode_snapshot_chunk(f);
  if (type == "raft_snapshot_ok") {
    return raft::SnapshotResponse{Index{f.u64("snapshot_index")}, f.u64("next_offset"),
                                  f.boolean("installed"), Index{f.u64("index")}};
  }
  f.error = "unknown peer message type '" + type + "'";
  return std::nullopt;
}

std::variant<Operation, DecodeError> decode_op_fields(const json& body, const std::string& kind) {
  Fields f{body, {}};
  Operation op;
  op.key = f.any("key");
  if (kind == "read") {
    op.kind = Operation::Kind::kRead;
  } else if (kind == "write") {
    op.kind = Operation::Kind::kWrite;
    op.value = f.any("value");
  } else if (kind == "cas") {
    op.kind = Operation::Kind::kCas;
    op.from = f.any("from");
    op.to = f.any("to");
  } else {
    return DecodeError{"unknown operation '" + kind + "'"};
  }
  if (!f.error.empty()) return DecodeError{f.error};
  return op;
}

}  // namespace

bool is_peer_type(std::string_view type) {
  for (const std::string& t : kPeerTypes) {
    if (t == type) return true;
  }
  return false;
}

const std::vector<std::string>& peer_types() { return kPeerTypes; }

json encode_peer(const PeerMessage& m) {
  return std::visit(
      Overloaded{[](const Message& r) { return encode_raft(r); },
                 [](const raft::PeerBundle& b) -> json {
                   json messages = json::array();
                   for (const PeerMessage& inner : b.messages) messages.push_back(encode_peer(inner));
                   return {{"type", "kv_bundle"}, {"messages", messages}};
                 },
                 [](const raft::ForwardRequest& f) -> json {
                   json commands = json::array();
                   for (const auto& c : f.commands) commands.push_back({c.seq, bytes_to_text(c.command)});
                   return {{"type", "kv_forward"}, {"origin", f.origin.value()}, {"commands", commands}};
                 },
                 [](const raft::ForwardRejected& r) -> json {
                   return {{"type", "kv_forward_rejected"}, {"seqs", r.seqs},
                           {"leader", r.leader.value()}};
                 },
                 [](const raft::ForwardAnswer& a) -> json {
                   json results = json::array();
                   for (const auto& r : a.results) results.push_back({r.seq, bytes_to_text(r.result)});
                   return {{"type", "kv_forward_answer"}, {"results", results}};
                 }},
      m);
}

namespace {
// [[seq, "bytes as text"], ...]: forwarded commands and their results.
std::optional<std::vector<std::pair<std::uint64_t, std::string>>> decode_items(
    const json& body, const char* field, std::string& err) {
  err = std::string("'") + field + "' must be an array of [request number, bytes as text]";
  if (!body.contains(field) || !body[field].is_array()) return std::nullopt;
  std::vector<std::pair<std::uint64_t, std::string>> out;
  for (const json& item : body[field]) {
    if (!item.is_array() || item.size() != 2 || !item[0].is_number_unsigned() || !item[1].is_string()) {
      return std::nullopt;
    }
    std::optional<std::string> bytes = text_to_bytes(item[1].get<std::string>());
    if (!bytes) {
      err = std::string("'") + field + "' bytes must be code points U+0000-U+00FF";
      return std::nullopt;
    }
    out.emplace_back(item[0].get<std::uint64_t>(), std::move(*bytes));
  }
  err.clear();
  return out;
}
}  // namespace

std::variant<PeerMessage, DecodeError> decode_peer(const json& body, raft::NodeId from,
                                                   raft::NodeId to) {
  if (!body.is_object() || !body.contains("type") || !body["type"].is_string()) {
    return DecodeError{"body has no string 'type'"};
  }
  const std::string type = body["type"].get<std::string>();
  Fields f{body, {}};
  if (type == "kv_forward") {
    raft::ForwardRequest fr{raft::NodeId{f.u64("origin")}, {}};
    if (!f.error.empty()) return DecodeError{f.error};
    std::string err;
    auto items = decode_items(body, "commands", err);
    if (!items) return DecodeError{err};
    for (auto& [seq, bytes] : *items) fr.commands.push_back({seq, std::move(bytes)});
    return PeerMessage{std::move(fr)};
  }
  if (type == "kv_forward_rejected") {
    raft::ForwardRejected r{{}, raft::NodeId{f.u64("leader")}};
    if (!f.error.empty()) return DecodeError{f.error};
    const json* seqs = body.contains("seqs") ? &body["seqs"] : nullptr;
    if (!seqs || !seqs->is_array()) return DecodeError{"'seqs' must be an array of request numbers"};
    for (const json& s : *seqs) {
      if (!s.is_number_unsigned()) return DecodeError{"'seqs' must be an array of request numbers"};
      r.seqs.push_back(s.get<std::uint64_t>());
    }
    return PeerMessage{std::move(r)};
  }
  if (type == "kv_bundle") {
    // Several messages for us in one line, each a body of its own (never a bundle).
    if (!body.contains("messages") || !body["messages"].is_array()) {
      return DecodeError{"'messages' must be an array of message bodies"};
    }
    raft::PeerBundle bundle;
    for (const json& inner : body["messages"]) {
      if (inner.is_object() && inner.contains("type") && inner["type"] == "kv_bundle") {
        return DecodeError{"a bundle may not contain a bundle"};
      }
      auto decoded = decode_peer(inner, from, to);
      if (auto* err = std::get_if<DecodeError>(&decoded)) return DecodeError{"in a bundle: " + err->what};
      bundle.messages.push_back(std::move(std::get<PeerMessage>(decoded)));
    }
    return PeerMessage{std::move(bundle)};
  }
  if (type == "kv_forward_answer") {
    raft::ForwardAnswer a;
    std::string err;
    auto items = decode_items(body, "results", err);
    if (!items) return DecodeError{err};
    for (auto& [seq, bytes] : *items) a.results.push_back({seq, std::move(bytes)});
    return PeerMessage{std::move(a)};
  }
  const Term term{f.u64("term")};
  std::optional<raft::MessageBody> rb = decode_raft_body(type, f);
  if (!rb || !f.error.empty()) return DecodeError{f.error};
  return PeerMessage{Message{from, to, term, std::move(*rb)}};
}

std::variant<Operation, DecodeError> decode_client_op(const json& body) {
  if (!body.is_object() || !body.contains("type") || !body["type"].is_string()) {
    return DecodeError{"body has no string 'type'"};
  }
  return decode_op_fields(body, body["type"].get<std::string>());
}

}  // namespace kv
