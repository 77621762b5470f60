// Peer messages as JSON bodies: how the Maelstrom node (and later any JSON transport)
// carries Raft and forwarding messages between nodes. Each Raft message is its own body
// type (raft_vote, raft_append, ...); the Raft core itself never sees JSON.
//
// Decoding is total: a body that is not exactly what encode() writes yields an error
// naming the offending field, never an exception or a partially filled message.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "kv/state_machine.h"
#include "raft/service.h"

namespace kv {

/// True for the body types this codec owns ("raft_*", "kv_forward*").
bool is_peer_type(std::string_view type);
/// All body types this codec writes (for registering handlers).
const std::vector<std::string>& peer_types();

using raft::PeerMessage;

json encode_peer(const PeerMessage& m);

struct DecodeError {
  std::string what;
};

/// `from` and `to` come from the envelope (node names mapped to ids by the caller).
std::variant<PeerMessage, DecodeError> decode_peer(const json& body, raft::NodeId from,
                                                   raft::NodeId to);

/// Operation fields for a client request of type read / write / cas. Throws nothing;
/// returns the field name that is missing or has the wrong type.
std::variant<Operation, DecodeError> decode_client_op(const json& body);

}  // namespace kv
