// Process-wide bookkeeping that guarantees no orphans: the set of live child process groups,
// signal handlers that SIGKILL them all on SIGINT / SIGTERM / SIGHUP, and a self-pipe that
// wakes the event loop on those signals and on SIGCHLD.
#pragma once

#include <sys/types.h>

namespace workbench {

// Installs the handlers once; later calls do nothing. Also ignores SIGPIPE (a node that dies
// while we write to it must not kill the workbench).
void install_signal_handlers();

// Readable when a signal arrived; drain with drain_wakeups().
int wakeup_fd();
void drain_wakeups();

// True once SIGINT / SIGTERM / SIGHUP arrived (the children are already dead by then).
bool interrupted();
int interrupt_signal();

void register_child_group(pid_t pgid);
void unregister_child_group(pid_t pgid);
// Async-signal-safe: SIGKILLs every registered group.
void kill_all_child_groups();

}  // namespace workbench
