#include "raft/replicated_state.h"

#include "raft/varint.h"

namespace raft {

namespace {
constexpr char kCommandMagic = 'C';
constexpr char kCommandVersion = 0x01;
constexpr std::string_view kSnapshotMagic = "RSVC";
constexpr char kSnapshotVersion = 0x01;
}  // namespace

std::string encode_client_command(NodeId origin, std::uint64_t seq, std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + kClientCommandOverhead);
  out.push_back(kCommandMagic);
  out.push_back(kCommandVersion);
  varint::put(out, origin.value());
  varint::put(out, seq);
  out += payload;
  return out;
}

std::optional<ClientCommand> decode_client_command(std::string_view bytes) {
  if (bytes.size() < 2 || bytes[0] != kCommandMagic || bytes[1] != kCommandVersion) {
    return std::nullopt;
  }
  bytes.remove_prefix(2);
  std::uint64_t origin = 0;
  ClientCommand c;
  if (!varint::get(bytes, origin) || !varint::get(bytes, c.seq)) return std::nullopt;
  c.origin = NodeId{origin};
  c.payload = bytes;
  return c;
}

std::optional<std::string> ReplicatedState::apply(const ClientCommand& c) {
  if (!dedup_.first_time(c.origin.value(), c.seq)) return std::nullopt;
  std::string result = machine_.apply(c.payload);
  dedup_.set_result(c.origin.value(), c.seq, result);
  return result;
}

std::string ReplicatedState::snapshot() const {
  std::string out(kSnapshotMagic);
  out.push_back(kSnapshotVersion);
  dedup_.encode(out);
  out += machine_.snapshot();
  return out;
}

std::string ReplicatedState::restore(std::string_view data) {
  if (!data.starts_with(kSnapshotMagic) || data.size() < kSnapshotMagic.size() + 1) {
    return "not a service snapshot (no \"RSVC\" header)";
  }
  data.remove_prefix(kSnapshotMagic.size());
  if (data.front() != kSnapshotVersion) {
    return "service snapshot version " + std::to_string(static_cast<unsigned char>(data.front())) +
           " is not one this build reads (1)";
  }
  data.remove_prefix(1);
  Dedup dedup(dedup_.window());
  if (!dedup.decode(data)) return "the snapshot's deduplication state is malformed";
  // The state machine first: if it refuses, the dedup state stays as it was too.
  if (std::string error = machine_.restore(data); !error.empty()) return error;
  dedup_ = std::move(dedup);
  return {};
}

}  // namespace raft
