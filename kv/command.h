// A write or cas as it travels through the Raft log: the operation plus who is waiting
// for its outcome (the node that took the client request, and that node's request
// number). Every replica applies every command; only the origin answers the client.
// (origin, seq) also makes applying idempotent: a command proposed twice -- a duplicated
// forward -- takes effect once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kv/state_machine.h"
#include "raft/types.h"

namespace kv {

struct Command {
  raft::NodeId origin;
  std::uint64_t seq = 0;
  Operation op;
};

/// Deepest nesting of arrays/objects in a command's key or values; decode_command refuses
/// deeper ones. (Client input is already limited to 100 levels per line by the transport.)
inline constexpr std::size_t kMaxValueDepth = 100;

/// A compact binary form (format in command.cc): integers, Maelstrom's keys and values, as
/// varints; any other JSON value as its text.
std::string encode_command(const Command& c);
/// Nullopt if `bytes` is not exactly one command in this format (logged by the caller).
std::optional<Command> decode_command(std::string_view bytes);

}  // namespace kv
