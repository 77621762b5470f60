// wb_test_node: a small Maelstrom node for the workbench's own tests. Depends only on
// nlohmann_json. Usage: wb_test_node [--mode MODE] [--pid-dir DIR]
//
// Modes (default "forward"):
//   forward    correct lin-kv: every request is forwarded to the first node of node_ids,
//              which holds the only map (linearizable without faults; with partitions the
//              forwarded requests may be lost, which clients see as timeouts). Also answers
//              echo, so it doubles as an echo node.
//   stale      incorrect lin-kv: every node serves from its own copy and tells the others
//              about writes afterwards, so reads can be stale and cas can diverge.
//   garbage    like forward, but prints a non-JSON line on stdout after init.
//   garbage-first  prints the non-JSON line before its init_ok (which is then never seen).
//   partial-tail   answers init, then leaves an unterminated line on stdout and goes silent.
//   mute       like forward, but ignores every client request after its 10th (a stall).
//   exit       like forward, but exits with status 3 after its 5th client request.
//   no-init    never answers init.
//   extra-key  like forward, but read_ok carries an extra key (a schema violation).
//   wrong-type like forward, but answers write with read_ok.
//   bad-dest   like forward, but sends one message to a node that does not exist.
//   long-line  like forward, but prints a 2 MiB line on stdout after init.
//   proxy      correct lin-kv through Maelstrom's lin-kv service: each request is passed to
//              the service and its reply passed back (Maelstrom's lin_kv_proxy demo).
// --pid-dir DIR writes DIR/<node id>.pid once init arrives (tests use it to look for orphans).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

struct Node {
  std::string mode = "forward";
  std::string pid_dir;
  std::string id;
  std::vector<std::string> ids;
  std::int64_t next_msg_id = 1;
  std::map<std::string, json> kv;                 // key dump -> value
  std::map<std::int64_t, json> forwarded;         // our msg_id -> the client's request message
  int client_requests = 0;

  const std::string& leader() const { return ids.front(); }

  void send(const std::string& dest, json body) {
    json msg = {{"src", id}, {"dest", dest}, {"body", std::move(body)}};
    std::cout << msg.dump() << "\n" << std::flush;
  }

  void reply(const json& req, json body) {
    body["in_reply_to"] = req["body"]["msg_id"];
    send(req["src"].get<std::string>(), std::move(body));
  }

  // Applies a lin-kv request to the local map; returns the reply body.
  json apply(const json& body) {
    const std::string type = body["type"];
    const std::string key = body["key"].dump();
    auto it = kv.find(key);
    if (type == "read") {
      if (it == kv.end()) return {{"type", "error"}, {"code", 20}, {"text", "no such key"}};
      json r = {{"type", "read_ok"}, {"value", it->second}};
      if (mode == "extra-key") r["extra"] = 1;
      return r;
    }
    if (type == "write") {
      kv[key] = body["value"];
      if (mode == "wrong-type") return {{"type", "read_ok"}, {"value", body["value"]}};
      return {{"type", "write_ok"}};
    }
    if (type == "cas") {
      if (it == kv.end()) return {{"type", "error"}, {"code", 20}, {"text", "no such key"}};
      if (it->second != body["from"]) return {{"type", "error"}, {"code", 22}, {"text", "from does not match"}};
      it->second = body["to"];
      return {{"type", "cas_ok"}};
    }
    return {{"type", "error"}, {"code", 10}, {"text", "unsupported: " + type}};
  }

  void on_init(const json& msg) {
    id = msg["body"]["node_id"];
    ids = msg["body"]["node_ids"].get<std::vector<std::string>>();
    if (!pid_dir.empty()) std::ofstream(pid_dir + "/" + id + ".pid") << getpid() << "\n";
    if (mode == "no-init") return;
    if (mode == "garbage-first") std::cout << "hello from " << id << " before init_ok\n" << std::flush;
    reply(msg, {{"type", "init_ok"}});
    if (mode == "partial-tail") std::cout << "{\"src\":\"" << id << "\"" << std::flush;
    if (mode == "garbage") std::cout << "hello from " << id << ", this is not JSON\n" << std::flush;
    if (mode == "long-line") std::cout << std::string(2 << 20, 'x') << "\n" << std::flush;
    if (mode == "bad-dest") send("n99", {{"type", "gossip"}});
  }

  void on_client(const json& msg) {
    if (++client_requests == 5 && mode == "exit") {
      std::cerr << id << ": exiting on purpose\n";
      std::exit(3);
    }
    if (mode == "mute" && client_requests > 10) return;
    const json& body = msg["body"];
    if (body["type"] == "echo") {
      reply(msg, {{"type", "echo_ok"}, {"echo", body["echo"]}});
      return;
    }
    if (mode == "stale") {
      json r = apply(body);
      if (r["type"] == "write_ok" || r["type"] == "cas_ok") {
        for (const auto& peer : ids)
          if (peer != id) send(peer, {{"type", "replicate"}, {"key", body["key"]}, {"value", kv[body["key"].dump()]}});
      }
      reply(msg, r);
      return;
    }
    if (mode == "proxy") {
      const std::int64_t mid = next_msg_id++;
      forwarded[mid] = msg;
      json req = body;
      req["msg_id"] = mid;
      send("lin-kv", req);
      return;
    }
    if (id == leader()) {
      reply(msg, apply(body));
      return;
    }
    const std::int64_t mid = next_msg_id++;
    forwarded[mid] = msg;
    send(leader(), {{"type", "fwd"}, {"msg_id", mid}, {"req", body}});
  }

  void handle(const json& msg) {
    const json& body = msg["body"];
    const std::string type = body["type"];
    const std::string src = msg["src"];
    if (type == "init") return on_init(msg);
    if (mode == "partial-tail") return;  // anything more would complete the cut-off line
    if (!src.empty() && src[0] == 'c') return on_client(msg);
    if (src == "lin-kv") {
      auto it = forwarded.find(body["in_reply_to"].get<std::int64_t>());
      if (it == forwarded.end()) return;
      json resp = body;
      resp.erase("in_reply_to");
      resp.erase("msg_id");
      reply(it->second, resp);
      forwarded.erase(it);
      return;
    }
    if (type == "replicate") {
      kv[body["key"].dump()] = body["value"];
    } else if (type == "fwd") {
      reply(msg, {{"type", "fwd_ok"}, {"resp", apply(body["req"])}});
    } else if (type == "fwd_ok") {
      auto it = forwarded.find(body["in_reply_to"].get<std::int64_t>());
      if (it == forwarded.end()) return;
      reply(it->second, body["resp"]);
      forwarded.erase(it);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  Node node;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--mode") node.mode = argv[i + 1];
    else if (flag == "--pid-dir") node.pid_dir = argv[i + 1];
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    json msg = json::parse(line, nullptr, false);
    if (msg.is_discarded()) {
      std::cerr << "cannot parse: " << line << "\n";
      continue;
    }
    node.handle(msg);
  }
  return 0;
}
