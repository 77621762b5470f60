// Private to the raft library's .cc files: whether this build honours PlantedBugs.
// (Kept out of public headers so that every user of the library sees the same headers.)
#pragma once

#ifndef RAFT_PLANTED_BUGS
#define RAFT_PLANTED_BUGS 0
#endif

namespace raft {
inline constexpr bool kPlantedBugsCompiled = RAFT_PLANTED_BUGS != 0;
}  // namespace raft
