// Mentoring (SPEC §2 Mentoring): who mentors, pairing requests with the
// least-loaded available mentor, and pairings that end with their time or
// with either side leaving.
#include <algorithm>
#include <iterator>
#include <vector>

#include "processes.h"
#include "replication.h"

namespace wfsim::models::detail {

using engine::kNever;

bool Replication::mentoring_active(double t) const {
  return scenario_.mentoring && t >= scenario_.mentoring->active_years.from &&
         t < scenario_.mentoring->active_years.to;
}

// Drawn once, when the employee first takes a position in a mentor role.
void Replication::decide_mentor(std::uint32_t a) {
  Agent& agent = agents_[a];
  if (agent.has(kMentorDecided)) return;
  agent.flags |= kMentorDecided;
  if (streams_.stream(agent.key, kMentorDraw).uniform_open() < scenario_.mentoring->mentor_share)
    agent.flags |= kMentor;
}

void Replication::unlist_mentor(std::uint32_t a) {
  Agent& agent = agents_[a];
  if (!agent.has(kAvailableMentor)) return;
  agent.flags &= static_cast<std::uint8_t>(~kAvailableMentor);
  available_mentors_.unlisted(mentor_listed());
}

// Available: a mentor holding a position in a mentor role, not a mentee,
// with room for another mentee. Callers unlist a mentor before changing its
// mentee count, so a listed mentor's entry always carries its count.
void Replication::refresh_mentor(std::uint32_t a) {
  Agent& agent = agents_[a];
  const bool available = agent.has(kMentor) && agent.state == AgentState::working &&
                         compiled_[agent.role].mentor_role && !agent.has(kMentee) &&
                         agent.mentee_count < scenario_.mentoring->mentees_per_mentor;
  if (available == agent.has(kAvailableMentor)) return;
  if (!available) {
    unlist_mentor(a);
    return;
  }
  available_mentors_.list(agent.mentee_count, priority(agent.key), a);
  agent.flags |= kAvailableMentor;
}

std::uint32_t Replication::find_mentor(std::uint32_t mentee) {
  return available_mentors_.first(mentee, kNone, mentor_listed());
}

bool Replication::request_mentor(std::uint32_t mentee, double t, bool clocks_set) {
  const std::uint32_t mentor = find_mentor(mentee);
  if (mentor == kNone) {
    ++mentoring_refused_;
    return false;
  }
  start_pairing(mentee, mentor, t, clocks_set);
  return true;
}

void Replication::start_pairing(std::uint32_t e, std::uint32_t m, double t, bool clocks_set) {
  unlist_mentor(e);
  unlist_mentor(m);
  involve(e);
  involve(m);  // no record is created after this: references stay valid
  Agent& mentee = agents_[e];
  Agent& mentor = agents_[m];
  Involvement& mentee_record = involvements_[mentee.involvement];
  Involvement& mentor_record = involvements_[mentor.involvement];
  mentee_record.mentor = m;
  mentee_record.pairing_end = t + model_.pairing_years();
  add_mentee(m, mentor_record, e);

  touch_pairs(t);
  ++pairs_;
  ++pairs_started_;
  if (!mentee.has(kEverMentee)) {
    mentee.flags |= kEverMentee;
    ++distinct_mentees_;
  }
  ++roles_[mentee.role].mentees;
  if (clocks_set)
    change_transient_attrition(e, t, scenario_.mentoring->effects.mentee_attrition_multiplier,
                               [&] { mentee.flags |= kMentee; });
  else
    mentee.flags |= kMentee;
  const std::uint16_t load_before = change_mentor_load(m, t, +1, /*leaving=*/false);
  event(EventKind::pairing_start, mentee.key, mentee.role, t);

  mentor_load_changed(m, load_before, t);
  if (clocks_set)
    mentee_status_changed(e, t);
  else
    schedule_program_event(e);  // the pairing's end; the hire's clocks are set next
}

// A mentor counts, and its attrition multiplier applies, while it has at
// least one mentee: only a load crossing zero changes either (recomputing
// the exit time at other loads would only round it). A leaving mentor's
// exit time no longer matters.
std::uint16_t Replication::change_mentor_load(std::uint32_t m, double t, int delta, bool leaving) {
  Agent& mentor = agents_[m];
  const std::uint16_t load_before = mentor.mentee_count;
  const auto change = [&] {
    mentor.mentee_count = static_cast<std::uint16_t>(mentor.mentee_count + delta);
  };
  if ((load_before == 0) == (load_before + delta == 0)) {
    change();
    return load_before;
  }
  roles_[mentor.role].mentors += load_before == 0 ? 1 : -1;
  if (leaving)
    change();
  else
    change_transient_attrition(m, t, scenario_.mentoring->effects.mentor_attrition_multiplier,
                               change);
  return load_before;
}

// Standalone requests stop with a mentor's first mentee and resume after
// its last, and stop for a mentee for the pairing: the voluntary clock's
// bound covers them (voluntary_bound_state), unless they are too frequent
// for that; then the clock starts anew with each change.
void Replication::standalone_requests_changed(std::uint32_t a, double t) {
  if (!standalone_in_bound_ && compiled_[agents_[a].role].standalone_mentoring)
    start_voluntary_clock(a, t);
}

void Replication::mentor_load_changed(std::uint32_t m, std::uint16_t load_before, double t) {
  refresh_mentor(m);
  if ((load_before == 0) != (agents_[m].mentee_count == 0)) standalone_requests_changed(m, t);
  schedule(m);
}

// (A pairing's start leaves the mentee's voluntary clock to its caller,
// which starts it anew.)
void Replication::mentee_status_changed(std::uint32_t e, double t) {
  refresh_mentor(e);
  if (agents_[e].enrolled() && scenario_.mentoring->effects.mentee_dropout_multiplier > 1.0)
    start_dropout_clock(e, t, false);  // its bound changed
  if (!agents_[e].has(kMentee)) standalone_requests_changed(e, t);
  schedule(e);
  schedule_program_event(e);
}

void Replication::end_pairing(std::uint32_t e, double t, std::uint32_t leaving) {
  Agent& mentee = agents_[e];
  Involvement& mentee_record = involvements_[mentee.involvement];
  const std::uint32_t m = mentee_record.mentor;
  Agent& mentor = agents_[m];
  Involvement& mentor_record = involvements_[mentor.involvement];
  remove_mentee(m, mentor_record, e);
  mentee_record.mentor = kNone;
  mentee_record.pairing_end = kNever;

  touch_pairs(t);
  --pairs_;
  --roles_[mentee.role].mentees;
  const auto not_mentee = [&] { mentee.flags &= static_cast<std::uint8_t>(~kMentee); };
  if (leaving == e)
    not_mentee();
  else
    change_transient_attrition(e, t, scenario_.mentoring->effects.mentee_attrition_multiplier,
                               not_mentee);
  unlist_mentor(m);
  const std::uint16_t load_before = change_mentor_load(m, t, -1, /*leaving=*/leaving == m);
  event(EventKind::pairing_end, mentee.key, mentee.role, t);

  if (leaving != m) {
    mentor_load_changed(m, load_before, t);
    release_if_idle(m);
  }
  if (leaving != e) {
    mentee_status_changed(e, t);
    release_if_idle(e);
  }
}

// A mentor's pairings end in the order of its mentees' priority draws.
void Replication::end_pairings_of(std::uint32_t a, double t) {
  if (agents_[a].has(kMentee)) end_pairing(a, t, a);
  if (agents_[a].mentee_count == 0) return;
  std::vector<std::uint32_t> mentees = mentees_of(a);
  std::sort(mentees.begin(), mentees.end(), [&](std::uint32_t x, std::uint32_t y) {
    const std::uint64_t px = priority(agents_[x].key), py = priority(agents_[y].key);
    return px != py ? px < py : x < y;
  });
  for (std::uint32_t e : mentees) end_pairing(e, t, a);
}

// The first mentee of a mentor's record clears the places the record held
// as a mentee's.
void Replication::add_mentee(std::uint32_t m, Involvement& record, std::uint32_t e) {
  if (agents_[m].mentee_count == 0)
    std::fill(std::begin(record.mentees), std::end(record.mentees), kNone);
  for (std::uint32_t& slot : record.mentees)
    if (slot == kNone) {
      slot = e;
      return;
    }
  more_mentees_[m].push_back(e);
}

void Replication::remove_mentee(std::uint32_t m, Involvement& record, std::uint32_t e) {
  for (std::uint32_t& slot : record.mentees)
    if (slot == e) {
      slot = kNone;
      return;
    }
  const auto more = more_mentees_.find(m);
  std::vector<std::uint32_t>& list = more->second;
  *std::find(list.begin(), list.end(), e) = list.back();
  list.pop_back();
  if (list.empty()) more_mentees_.erase(more);
}

std::vector<std::uint32_t> Replication::mentees_of(std::uint32_t m) const {
  std::vector<std::uint32_t> mentees;
  if (agents_[m].mentee_count == 0) return mentees;
  for (std::uint32_t e : involvements_[agents_[m].involvement].mentees)
    if (e != kNone) mentees.push_back(e);
  if (const auto more = more_mentees_.find(m); more != more_mentees_.end())
    mentees.insert(mentees.end(), more->second.begin(), more->second.end());
  return mentees;
}

}  // namespace wfsim::models::detail
