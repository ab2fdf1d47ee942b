// Boost.Test checks on top of sdekit/solvers/convergence.hpp: a fitted order within a tolerance of
// the theory, with the fitted slope and the whole error table in the failure message.
#pragma once

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

#include <sdekit/solvers/convergence.hpp>

namespace sdekit_test {

inline void check_order(sdekit::convergence_result const& r, double expected, double tolerance,
                        std::string const& what) {
  BOOST_TEST_MESSAGE(what << ": fitted order " << r.order << " (theory " << expected << ")\n" << r.table());
  BOOST_TEST(std::fabs(r.order - expected) <= tolerance,
             what << ": fitted order " << r.order << " is not within " << tolerance << " of " << expected
                  << "\n" << r.table());
}

}  // namespace sdekit_test
