// The text of `workbench --help`; docs/workbench.md says the same at more length.
#include "tests/workbench/src/options.h"

namespace workbench {

std::string help_text() {
  return R"(workbench: run Maelstrom nodes locally and judge them as Maelstrom would.

Usage:
  workbench test -w lin-kv|echo --bin PATH [options] [--] [node args...]
  workbench --help

Spawns one process of PATH per node (extra words and everything after -- are passed to
every node), speaks Maelstrom's JSON-lines protocol on their stdin/stdout, sends init,
runs the workload with simulated network latency and faults, and checks the history.

Options (Maelstrom's names and defaults):
  -w, --workload NAME      lin-kv or echo (default lin-kv)
  --bin PATH               node executable (required)
  --node-count N           run N nodes named n0..n(N-1) (default: n1..n5)
  --nodes A,B,...          explicit node names, when --node-count is not given
  --time-limit S           seconds of workload before no new ops are issued (default 60)
  --concurrency K|Kn       client threads, K or K per node (default 1n; for lin-kv, which
                           needs a multiple of 2n, the default is 2n)
  --rate R                 ops per second across all clients (default 5; 0 = no ops)
  --latency MS             mean latency between non-client nodes (default 0)
  --latency-dist D         constant, uniform (0..2*MS) or exponential (default constant)
  --nemesis F[,F...]       faults: partition (Maelstrom's four shapes), kill (SIGKILL one
                           node, restart it with the same arguments and a fresh init when
                           the fault ends), pause (SIGSTOP one node, SIGCONT at the end)
  --nemesis-interval S     faults start and stop at random gaps of 0..2*S (default 10)
  --availability X|total   minimum fraction of ops that must get a definite answer: ok,
                           or a definite "no" about the data (codes 20, 21, 22, 30);
                           timeouts and refusals such as 11 are not answers (default: none)
  --max-stall S            invalid if requests went unanswered for longer than S seconds
                           (the longest stall; default: not judged)
  --log-stderr             copy every node's stderr to the workbench's stderr
  --log-net-send           log every message as it is sent (to stderr)
  --log-net-recv           log every message as it is delivered (to stderr)
  --seed N                 seed of every random choice (default: random, always printed)
  --store DIR              results go to DIR/<time>/ (default store); DIR/latest links it
  --test-count N           run the test N times with seeds S, S+1, ... (S = --seed, or
                           random), stop at the first run that is not valid, and list
                           every run's verdict at the end

Workbench-only options:
  --init-timeout S         how long a node may take to answer init (default 10, as Maelstrom)
  --check-timeout S        stop the linearizability search after S seconds (default 300;
                           0 = never); keys not decided by then are unknown
  --reads-on-all-keys      give every lin-kv key n reader threads (the default, as the
                           lin-kv spec says: 2n threads per key, n of them readers)
  --reads-on-first-keys-only
                           reproduce Maelstrom 0.2's generator quirk: only the keys of the
                           first 2n client threads ever get readers
  --no-progress            no live progress line
  --diagram-at S           report.html's message diagram starts at S s of the workload
                           (default: around the first violation, else the longest stall,
                           else the start)
  --diagram-span S         and covers S seconds (default: as much as stays readable,
                           about 250 messages)

Outputs (in DIR/<time>/): results.json, history.edn (Maelstrom's format), report.html
(latency and throughput plots with fault periods shaded, per-key verdicts, offending
operations), node-logs/<node>.log (each node's stderr), workbench.log, and for lin-kv
lincheck.txt (the checker's own report).

Exit status: 0 valid, 1 invalid, 2 unknown (e.g. the checker gave up, or interrupted),
254 bad arguments, 255 internal error.
)";
}

}  // namespace workbench
