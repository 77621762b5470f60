// The HTTP/JSON face of `raft-kv serve`, in the style of etcd v2 and rqlite. Any node
// answers: writes go through Raft (a follower forwards them to the leader), reads are
// linearizable (ReadIndex, thesis §6.4).
//
//   GET    /kv/KEY                      200 {"value": V} | 404
//   PUT    /kv/KEY   {"value": V}       200 {"ok": true}
//   POST   /kv/KEY/cas {"from": A, "to": B}  200 | 409 (value is not A) | 404 (no key)
//   DELETE /kv/KEY                      200 | 404
//   GET    /status                      {"id", "role", "term", "leader", "commit", "applied",
//                                         "voters", "learners"}
//
// Administration (thesis chapter 4, §3.10), on the leader only -- no forwarding: a
// follower answers 421 with {"leader": ID} (null when it knows none), and the caller asks
// that node (docs/raft-kv.md):
//   GET    /cluster                     the configuration: {"voters", "voters_outgoing",
//                                       "learners", "joint", "index", "committed", "leader", ...}
//   POST   /cluster/voters/ID           add ID as a voter (or promote the learner ID)
//   POST   /cluster/learners/ID         add ID as a learner (or demote the voter ID)
//   DELETE /cluster/members/ID          remove the voter or learner ID
//   POST   /cluster/transfer {"to": ID} hand leadership to voter ID (202: it has begun)
// A change answers 200 with the new configuration once its entry commits. 409: a change
// is pending (or a transfer), or the leader has not committed an entry of its term yet --
// retry; 400: an invalid change (unknown node: not in --peers; already a member...); 504:
// appended but not seen committed in time (it may still take effect).
//
// Errors are JSON {"error": "..."}: 400 bad JSON or a missing field, 404 unknown path,
// 405 wrong method (with Allow), 413 body too large, 503 no leader reachable in time (the
// request did not happen), 504 outcome unknown (a write reached a leader but was not seen
// committed in time: it may or may not have happened).
#pragma once

#include <memory>
#include <string>

#include "serve_options.h"

namespace raftkv {

class HttpApi {
 public:
  HttpApi(Runtime& runtime, const ServeOptions& options);
  ~HttpApi();
  /// Binds the address; an error message if it cannot.
  [[nodiscard]] std::string bind();
  /// Serves until stop() (from any thread).
  void run();
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace raftkv
