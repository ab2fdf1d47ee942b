// A Boost.Test check for the bad-input tests: a call is refused with sdekit::invalid_argument whose
// message contains a given fragment (the parameter's name and value), with the whole message in the
// failure report.
#pragma once

#include <boost/test/unit_test.hpp>

#include <string>

#include <sdekit/solvers/errors.hpp>

namespace sdekit_test {

template <class Fn>
void check_message(Fn&& fn, std::string const& fragment) {
  try {
    fn();
  } catch (sdekit::invalid_argument const& e) {
    BOOST_TEST(std::string(e.what()).find(fragment) != std::string::npos, "message: " << e.what());
    return;
  }
  BOOST_FAIL("expected sdekit::invalid_argument mentioning " << fragment);
}

}  // namespace sdekit_test
