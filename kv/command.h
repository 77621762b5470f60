// How kv's operations and results travel as the opaque bytes of raft::StateMachine: the
// Maelstrom node encodes a client's write or cas as a command (and a read as a query),
// every replica decodes it in kv::StateMachine::apply, and the result comes back encoded.
// (raft::Service wraps each command in an envelope with its origin and request number.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kv/state_machine.h"
#include "raft/service.h"

namespace kv {

/// Deepest nesting of arrays/objects in a command's key or values; decode_operation refuses
/// deeper ones. (Client input is already limited to 100 levels per line by the transport.)
inline constexpr std::size_t kMaxValueDepth = 100;

/// A compact binary form (format in command.cc): integers, Maelstrom's keys and values, as
/// varints; any other JSON value as its text. Reads encode as queries, the rest as commands.
std::string encode_operation(const Operation& op);
/// Nullopt if `bytes` is not exactly one operation in this format.
std::optional<Operation> decode_operation(std::string_view bytes);

std::string encode_result(const Result& r);
/// Nullopt if `bytes` is not exactly one result in this format.
std::optional<Result> decode_result(std::string_view bytes);

/// The Maelstrom answer for how the service ended a request: the state machine's result,
/// or 11 (unavailable, definite), 12 (too large, definite), 0 (timeout, indefinite).
Result result_of(const raft::Outcome& outcome);

}  // namespace kv
