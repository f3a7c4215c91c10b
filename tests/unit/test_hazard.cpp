#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "wfsim/engine/hazard.h"
#include "wfsim/engine/piecewise.h"

using namespace wfsim::engine;

TEST_CASE("a piecewise function integrates across its breakpoints", "[engine][piecewise]") {
  const PiecewiseConstant f({0.0, 2.0, 3.5}, {0.1, 0.5, 0.0});
  CHECK(f.value_at(0.0) == 0.1);
  CHECK(f.value_at(1.999) == 0.1);
  CHECK(f.value_at(2.0) == 0.5);
  CHECK(f.value_at(10.0) == 0.0);
  CHECK(f.integral(0.0, 1.0) == Approx(0.1));
  CHECK(f.integral(1.0, 3.0) == Approx(0.1 + 0.5));
  CHECK(f.integral(0.0, 10.0) == Approx(0.2 + 0.75));
  CHECK(f.next_breakpoint_after(2.0) == 3.5);
  CHECK(f.next_breakpoint_after(3.5) == kNever);
}

TEST_CASE("piecewise products and sums use the union of breakpoints", "[engine][piecewise]") {
  const PiecewiseConstant f({0.0, 1.0}, {2.0, 3.0});
  const PiecewiseConstant g({0.0, 0.5, 2.0}, {1.0, 10.0, 100.0});
  const PiecewiseConstant product = f.times(g);
  CHECK(product.value_at(0.25) == 2.0);
  CHECK(product.value_at(0.75) == 20.0);
  CHECK(product.value_at(1.5) == 30.0);
  CHECK(product.value_at(2.5) == 300.0);
  const PiecewiseConstant sum = f.plus(g);
  CHECK(sum.value_at(0.75) == 12.0);
  CHECK(sum.starts().size() == 4);
}

TEST_CASE("breakpoints must start at 0 and increase", "[engine][piecewise]") {
  CHECK_THROWS(PiecewiseConstant({0.5}, {1.0}));
  CHECK_THROWS(PiecewiseConstant({0.0, 1.0, 1.0}, {1.0, 2.0, 3.0}));
}

TEST_CASE("the piece at t is the last that starts at or before t, few pieces or many",
          "[engine][piecewise]") {
  // Up to 8 pieces are scanned, more are searched: both against the definition.
  for (std::size_t n : {1, 2, 5, 8, 9, 20}) {
    std::vector<double> starts, values;
    for (std::size_t i = 0; i < n; ++i) {
      starts.push_back(0.5 * static_cast<double>(i));
      values.push_back(static_cast<double>(i) + 1.0);
    }
    const PiecewiseConstant f(starts, values);
    for (double t = -0.25; t < 0.5 * static_cast<double>(n) + 1.0; t += 0.125) {
      std::size_t expected = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (starts[i] <= t) expected = i;
      INFO(n << " pieces, t = " << t);
      REQUIRE(f.segment_at(t) == expected);
    }
  }
  CHECK(PiecewiseConstant({0.0, 1.0}, {0.0, 0.0}).is_zero());
  CHECK_FALSE(PiecewiseConstant({0.0, 1.0}, {0.0, 2.0}).is_zero());
  CHECK_FALSE(PiecewiseConstant({0.0, 1.0}, {2.0, 0.0}).is_zero());
  CHECK(PiecewiseConstant(0.0).is_zero());
}

TEST_CASE("a constant hazard reaches threshold E at E / rate", "[engine][hazard]") {
  const PiecewiseConstant rate(0.5);
  Hazard h;
  h.calendar = &rate;
  CHECK(h.time_to_threshold(1.0, 2.0, 100.0) == Approx(5.0));
  CHECK(h.time_to_threshold(1.0, 2.0, 4.0) == kNever);
  const PiecewiseConstant zero(0.0);
  h.calendar = &zero;
  CHECK(h.time_to_threshold(0.0, 0.1, 100.0) == kNever);
}

TEST_CASE("time_to_threshold inverts the integrated hazard across calendar and age breaks",
          "[engine][hazard]") {
  const PiecewiseConstant calendar({0.0, 2.0, 4.0}, {0.3, 1.2, 0.0});
  const PiecewiseConstant tenure({0.0, 0.25, 1.0}, {3.0, 1.2, 0.6});
  Hazard h;
  h.calendar = &calendar;
  h.age = &tenure;
  h.age_origin = 0.7;  // hired at t = 0.7
  h.factor = 0.9;
  for (double threshold : {0.01, 0.2, 0.5, 1.0, 1.7}) {
    const double t = h.time_to_threshold(0.7, threshold, 100.0);
    REQUIRE(t < 4.0);
    CHECK(h.integral(0.7, t) == Approx(threshold).epsilon(1e-12));
  }
  // The rate is 0 from year 4: more than the mass up to 4 is never reached.
  const double total = h.integral(0.7, 4.0);
  CHECK(h.time_to_threshold(0.7, total * 1.0001, 100.0) == kNever);
}

TEST_CASE("a constant calendar with tenure steps: the same times as the general walk",
          "[engine][hazard]") {
  // The general walk sees the constant rate as a calendar with one piece
  // more, after every time used here: the same pieces up to it.
  const PiecewiseConstant constant(0.8);
  const PiecewiseConstant constant_then_other({0.0, 1000.0}, {0.8, 5.0});
  const PiecewiseConstant tenure({0.0, 0.25, 1.0, 3.0}, {3.0, 0.0, 0.6, 1.1});
  for (double origin : {-2.0, -0.1, 0.0, 0.7}) {
    Hazard fast, general;
    fast.calendar = &constant;
    general.calendar = &constant_then_other;
    fast.age = general.age = &tenure;
    fast.age_origin = general.age_origin = origin;
    fast.factor = general.factor = 1.3;
    for (double from : {0.0, 0.7, 0.95, 2.5})
      for (double threshold : {0.001, 0.3, 1.0, 4.0, 30.0})
        for (double until : {1.0, 5.0, 100.0, kNever}) {
          CHECK(fast.time_to_threshold(from, threshold, until) ==
                general.time_to_threshold(from, threshold, until));
        }
  }
}

TEST_CASE("the integral of a hazard is the sum over its constant pieces", "[engine][hazard]") {
  const PiecewiseConstant calendar({0.0, 1.3}, {0.4, 0.9});
  const PiecewiseConstant tenure({0.0, 0.5}, {2.0, 1.0});
  Hazard h;
  h.calendar = &calendar;
  h.age = &tenure;
  h.age_origin = -0.2;  // initial tenure 0.2 years at t = 0
  // Exact: tenure reaches 0.5 at t = 0.3. [0,0.3): 0.4*2; [0.3,1.3): 0.4; [1.3,3): 0.9
  const double exact = 0.3 * 0.8 + 1.0 * 0.4 + 1.7 * 0.9;
  CHECK(h.integral(0.0, 3.0) == Approx(exact).epsilon(1e-12));
}

TEST_CASE("with no upper limit the true event time is returned, however late", "[engine][hazard]") {
  const PiecewiseConstant rate({0.0, 1.0}, {0.0, 0.5});
  Hazard h;
  h.calendar = &rate;
  CHECK(h.time_to_threshold(0.0, 3.0, kNever) == Approx(7.0));
  CHECK(h.time_to_threshold(0.0, 3.0, 6.0) == kNever);
  CHECK(h.tail_mass(0.0) == kNever);  // the rate never ends
}

TEST_CASE("a hazard that ends at zero has a finite tail and may never fire", "[engine][hazard]") {
  const PiecewiseConstant calendar({0.0, 2.0}, {0.5, 0.0});
  const PiecewiseConstant tenure({0.0, 1.0}, {2.0, 1.0});
  Hazard h;
  h.calendar = &calendar;
  h.age = &tenure;
  h.age_origin = 0.5;
  // From t = 0.5: [0.5, 1.5) rate 1.0, [1.5, 2) rate 0.5, then 0.
  CHECK(h.tail_mass(0.5) == Approx(1.25));
  CHECK(h.time_to_threshold(0.5, 1.2, kNever) == Approx(1.9));
  CHECK(h.time_to_threshold(0.5, 1.3, kNever) == kNever);
}

TEST_CASE("a walk stopped at a limit reports what is left of the threshold", "[engine][hazard]") {
  const PiecewiseConstant calendar({0.0, 1.0, 2.5}, {0.4, 0.0, 1.5});
  const PiecewiseConstant constant(0.7);
  for (const PiecewiseConstant* rate : {&calendar, &constant}) {
    Hazard h;
    h.calendar = rate;
    for (double from : {0.0, 0.5, 1.2, 3.0})
      for (double threshold : {0.05, 0.6, 2.0})
        for (double until : {0.9, 2.0, 4.0}) {
          double left = -1.0;
          const double t = h.time_to_threshold(from, threshold, until, left);
          CHECK(t == h.time_to_threshold(from, threshold, until));
          if (t == kNever) {
            CHECK(left ==
                  Approx(threshold - h.integral(from, std::max(from, until))).margin(1e-12));
          } else {
            CHECK(left == 0.0);
          }
        }
  }
}

TEST_CASE(
    "a walk within one piece or of a constant hazard gives bit for bit what the full walk gives",
    "[engine][hazard]") {
  // An age factor of 1 takes the full walk, with the same arithmetic; the
  // constant calendar is answered inline, the other by the one-piece path.
  // (A zero threshold, which an exponential draw never is, counts as met at
  // `from` by the constant rule, at the first positive piece by the walk.)
  const PiecewiseConstant varying({0.0, 1.0, 2.5, 4.0}, {0.4, 0.0, 1.5, 0.3});
  const PiecewiseConstant constant(0.7);
  const PiecewiseConstant one(1.0);
  for (const PiecewiseConstant* calendar : {&varying, &constant}) {
    Hazard short_walk;
    short_walk.calendar = calendar;
    short_walk.factor = 1.3;
    Hazard full_walk = short_walk;
    full_walk.age = &one;
    for (double from = 0.0; from < 5.0; from += 0.37)
      for (double threshold : {0.0, 0.013, 0.3, 0.8, 3.0}) {
        if (threshold == 0.0 && calendar == &constant) continue;
        for (double span : {0.0, 0.05, 0.4, 1.1, 2.9, kNever}) {
          const double until = from + span;
          double left_short = -1.0, left_full = -2.0;
          INFO("from " << from << ", threshold " << threshold << ", until " << until);
          CHECK(short_walk.time_to_threshold(from, threshold, until, left_short) ==
                full_walk.time_to_threshold(from, threshold, until, left_full));
          CHECK(left_short == left_full);
          CHECK(short_walk.time_to_threshold(from, threshold, until) ==
                full_walk.time_to_threshold(from, threshold, until));
        }
      }
  }
}
