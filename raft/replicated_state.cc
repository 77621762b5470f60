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
  const std::size_t length_at = out.size();
  varint::put_u64le(out, 0);  // the dedup state's length, filled in below
  dedup_.encode(out);
  const std::uint64_t length = out.size() - length_at - 8;
  for (int i = 0; i < 8; ++i) out[length_at + i] = static_cast<char>((length >> (8 * i)) & 0xff);
  out += machine_.snapshot();
  return out;
}

namespace {
/// Splits a service snapshot into its dedup state and the machine's part.
bool split(std::string_view data, std::string_view& dedup, std::string_view& machine,
           std::string& error) {
  if (!data.starts_with(kSnapshotMagic) || data.size() < kSnapshotMagic.size() + 1) {
    error = "not a service snapshot (no \"RSVC\" header)";
    return false;
  }
  data.remove_prefix(kSnapshotMagic.size());
  if (data.front() != kSnapshotVersion) {
    error = "service snapshot version " + std::to_string(static_cast<unsigned char>(data.front())) +
            " is not one this build reads (1)";
    return false;
  }
  data.remove_prefix(1);
  std::uint64_t length = 0;
  if (!varint::get_u64le(data, length) || length > data.size()) {
    error = "the snapshot's deduplication state is truncated";
    return false;
  }
  dedup = data.substr(0, length);
  machine = data.substr(length);
  return true;
}
}  // namespace

std::optional<std::string_view> ReplicatedState::machine_part(std::string_view data,
                                                             std::string& error) {
  std::string_view dedup, machine;
  if (!split(data, dedup, machine, error)) return std::nullopt;
  return machine;
}

std::string ReplicatedState::restore(std::string_view data) {
  std::string error;
  std::string_view dedup_bytes, machine;
  if (!split(data, dedup_bytes, machine, error)) return error;
  Dedup dedup(dedup_.window());
  if (!dedup.decode(dedup_bytes) || !dedup_bytes.empty()) {
    return "the snapshot's deduplication state is malformed";
  }
  // The state machine first: if it refuses, the dedup state stays as it was too.
  if (error = machine_.restore(machine); !error.empty()) return error;
  dedup_ = std::move(dedup);
  return {};
}

}  // namespace raft
