// Binary encoding of what Raft peers exchange over TCP (transport/tcp_transport.h): the
// payload of one frame. No JSON on this path: a message is a kind byte and its fields as
// LEB128 varints and length-prefixed byte strings, so an AppendEntries of 256-byte entries
// costs about 8 bytes per entry on top of the payloads.
//
//   payload   := kind u8, body
//   kind 1    raft::Message: from, to, term (varints), body type u8, body fields
//   kind 2    forward request: origin, seq (varints), command (bytes)
//   kind 3    forward rejected: seq, leader (varints)
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

#include "raft/expected.h"
#include "raft/message.h"

namespace transport {

/// A follower hands a client's command to the leader (the service's ForwardRequest).
struct WireForward {
  raft::NodeId origin;
  std::uint64_t seq = 0;
  std::string command;
  friend bool operator==(const WireForward&, const WireForward&) = default;
};

/// The node a command was forwarded to does not lead (the service's ForwardRejected).
struct WireRejected {
  std::uint64_t seq = 0;
  raft::NodeId leader;
  friend bool operator==(const WireRejected&, const WireRejected&) = default;
};

using WireMessage = std::variant<raft::Message, WireForward, WireRejected>;

/// Appends the encoding of `m` to `out`.
void encode_peer_message(const WireMessage& m, std::string& out);
[[nodiscard]] std::string encode_peer_message(const WireMessage& m);

/// Decodes one payload (exactly: trailing bytes are an error).
[[nodiscard]] raft::Expected<WireMessage, std::string> decode_peer_message(std::string_view in);

}  // namespace transport
