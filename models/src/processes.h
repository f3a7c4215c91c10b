// Process identifiers of the random streams (SPEC §2, common random numbers)
// and the helpers that name occurrences of a process.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>

namespace wfsim::models::detail {

// Never renumber: a process's id is part of every stream key it opens.
enum Process : std::uint64_t {
  kAttrition = 1,
  kInitialTenure,
  kAutomation,
  kHireDelay,
  kTransferClock,  // the voluntary clock: transfers, enrolment attempts, mentoring requests
  kTransferDestination,
  kWave,
  kGrowth,
  kVoluntaryChoice,
  kDuration,
  kDropout,
  kPlacement,
  kMentorDraw,
  kExitAcceptance,  // thinning: whether an exit candidate is an exit
  kDropoutAcceptance,
};

// Uncertain parameters (SPEC §1): one draw per replication from the stream
// of the entity hash("parameter:" + PATH), or hash("shared:" + NAME).
inline constexpr std::uint64_t kParameterProcess = 64;

// The bits of a time: names the occurrence of a process that starts then.
inline std::uint64_t time_bits(double t) {
  std::uint64_t bits;
  std::memcpy(&bits, &t, sizeof bits);
  return bits;
}

inline constexpr double kUnscheduled = std::numeric_limits<double>::quiet_NaN();

}  // namespace wfsim::models::detail
