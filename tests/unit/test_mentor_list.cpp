// The mentor list against the ordered set it replaces: same choices after
// any sequence of listings, unlistings and load changes.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "../../models/src/mentor_list.h"

using wfsim::models::detail::MentorList;

namespace {

constexpr std::uint32_t kNoAgent = 0xFFFFFFFF;

struct Mentor {
  bool listed = false;
  std::uint16_t load = 0;
  std::uint64_t priority = 0;
};

using Reference = std::set<std::tuple<std::uint16_t, std::uint64_t, std::uint32_t>>;

std::uint32_t reference_first(const Reference& reference, std::uint32_t excluded) {
  for (const auto& [load, priority, agent] : reference)
    if (agent != excluded) return agent;
  return kNoAgent;
}

}  // namespace

TEST_CASE("mentor list serves the least-loaded, then lowest-priority mentor", "[mentoring]") {
  const int max_load = GENERATE(1, 3, 40);
  INFO("loads below " << max_load);
  std::mt19937_64 random(1234 + max_load);
  std::vector<Mentor> mentors(200);
  MentorList list;
  Reference reference;
  const auto is_live = [&](const MentorList::Listing& listing) {
    const Mentor& m = mentors[listing.agent];
    return m.listed && m.load == listing.load && m.priority == listing.priority;
  };
  const auto unlist = [&](std::uint32_t a) {
    if (!mentors[a].listed) return;
    reference.erase({mentors[a].load, mentors[a].priority, a});
    mentors[a].listed = false;
    list.unlisted(is_live);
  };
  const auto enlist = [&](std::uint32_t a) {
    if (mentors[a].listed || mentors[a].load >= max_load) return;
    mentors[a].listed = true;
    reference.insert({mentors[a].load, mentors[a].priority, a});
    list.list(mentors[a].load, mentors[a].priority, a);
  };
  // Few distinct priorities, so that ties fall to the agent index, or
  // uniform draws as the model's.
  const bool few_priorities = GENERATE(true, false);
  INFO((few_priorities ? "few priorities" : "uniform priorities"));
  const auto draw_priority = [&] { return few_priorities ? random() % 50 : random(); };
  for (std::uint32_t a = 0; a < mentors.size(); ++a) {
    mentors[a].priority = draw_priority();
    enlist(a);
  }
  std::uniform_int_distribution<std::uint32_t> pick(0, mentors.size() - 1);
  for (int step = 0; step < 100000; ++step) {
    const std::uint32_t a = pick(random);
    switch (random() % 5) {
      case 0:  // a request, possibly from a listed mentor itself
      case 1: {
        const std::uint32_t excluded = random() % 2 ? a : kNoAgent;
        const std::uint32_t chosen = list.first(excluded, kNoAgent, is_live);
        REQUIRE(chosen == reference_first(reference, excluded));
        if (chosen != kNoAgent) {  // the pairing raises its load
          unlist(chosen);
          ++mentors[chosen].load;
          enlist(chosen);
        }
        break;
      }
      case 2:  // a pairing ends
        if (mentors[a].load > 0) {
          unlist(a);
          --mentors[a].load;
          enlist(a);
        }
        break;
      case 3:
        unlist(a);
        break;
      default:  // relisted; sometimes a new agent in the same slot
        if (!mentors[a].listed && random() % 4 == 0) {
          mentors[a].priority = draw_priority();
          mentors[a].load = 0;
        }
        enlist(a);
        break;
    }
    REQUIRE(list.size() == reference.size());
  }
}
