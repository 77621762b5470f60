// Everything needed to write a Maelstrom node, in one include.
//
//   transport/node.h      Node: handlers, reply, send, rpc, timers, init, the event loop
//   transport/message.h   Message: src, dest, body; typed field access (errors become 12)
//   transport/error.h     ErrorCode and maelstrom::Error, thrown to answer with an error
//   transport/logging.h   --log-level flag and stderr-only spdlog setup
//
// See docs/maelstrom-node-api.md for a walkthrough and examples/echo for a complete node.
#pragma once

#include "transport/error.h"
#include "transport/logging.h"
#include "transport/message.h"
#include "transport/node.h"
