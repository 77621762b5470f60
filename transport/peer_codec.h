// Binary encoding of what Raft peers exchange over TCP (transport/tcp_transport.h): the
// payload of one frame. No JSON on this path: a message is a kind byte and its fields as
// LEB128 varints and length-prefixed byte strings, so an AppendEntries of 256-byte entries
// costs about 8 bytes per entry on top of the payloads.
//
//   payload   := kind u8, body
//   kind 1    raft::Message: from, to, term (varints), body type u8, body fields
//   kind 2    forward request: origin, count (varints), count x (seq varint, command bytes)
//   kind 3    forward rejected: leader, count (varints), count x seq varint
//   kind 4    forward answer: count varint, count x (seq varint, result bytes)
//   bytes     := length varint, the bytes
//
// The decoder trusts nothing: every length is checked against what is left, every enum
// against its range, and trailing bytes are an error. A payload it refuses gets an error
// message, never a crash (tests/fuzz/tcp_frame_fuzz.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "raft/expected.h"
#include "raft/message.h"

namespace transport {

/// A request number and its bytes: a forwarded command, or a command's result.
struct WireItem {
  std::uint64_t seq = 0;
  std::string bytes;
  friend bool operator==(const WireItem&, const WireItem&) = default;
};

/// A follower hands clients' commands to the leader (the service's ForwardRequest).
struct WireForward {
  raft::NodeId origin;
  std::vector<WireItem> commands;
  friend bool operator==(const WireForward&, const WireForward&) = default;
};

/// The node commands were forwarded to does not lead (the service's ForwardRejected).
struct WireRejected {
  std::vector<std::uint64_t> seqs;
  raft::NodeId leader;
  friend bool operator==(const WireRejected&, const WireRejected&) = default;
};

/// The leader's results for forwarded commands (the service's ForwardAnswer).
struct WireAnswer {
  std::vector<WireItem> results;
  friend bool operator==(const WireAnswer&, const WireAnswer&) = default;
};

using WireMessage = std::variant<raft::Message, WireForward, WireRejected, WireAnswer>;

/// Appends the encoding of `m` to `out`.
void encode_peer_message(const WireMessage& m, std::string& out);
[[nodiscard]] std::string encode_peer_message(const WireMessage& m);

/// Decodes one payload (exactly: trailing bytes are an error).
[[nodiscard]] raft::Expected<WireMessage, std::string> decode_peer_message(std::string_view in);

}  // namespace transport
