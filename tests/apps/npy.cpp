// Claims about sdekit/io/npy.hpp: an array written and read back is bit-identical (negative zero,
// subnormals, infinities and NaN payloads included) for every rank; NumPy (Debian's python3-numpy,
// /usr/bin/python3) reads our files and we read NumPy's (float64 and float32); every malformed file
// is refused with a message naming the file and the defect.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <sdekit/io/npy.hpp>

namespace io = sdekit::io;

namespace {

std::uint64_t bits(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

double from_bits(std::uint64_t b) {
  double v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

// Values whose bits a careless writer would lose.
std::vector<double> awkward_values(std::size_t n) {
  std::vector<double> base{0.0, -0.0, 1.0, -2.5, 3.141592653589793, 1e-310, -4.9e-324,
                           std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                           from_bits(0x7ff8000000000123ull), std::numeric_limits<double>::max(), 0.1};
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = base[i % base.size()] + (i >= base.size() ? double(i) : 0.0);
  return out;
}

io::npy_array round_trip(std::vector<double> const& data, std::vector<std::size_t> const& shape) {
  std::stringstream buffer;
  io::write_npy(buffer, data, shape);
  return io::read_npy(buffer, "buffer");
}

void check_refused(std::string const& bytes, std::string const& fragment) {
  std::stringstream buffer(bytes);
  try {
    io::read_npy(buffer, "bad.npy");
  } catch (sdekit::invalid_argument const& e) {
    std::string const message = e.what();
    BOOST_TEST(message.find("bad.npy") != std::string::npos, "message: " << message);
    BOOST_TEST(message.find(fragment) != std::string::npos, "message: " << message);
    return;
  }
  BOOST_FAIL("expected a refusal mentioning " << fragment);
}

std::string valid_file(std::vector<double> const& data, std::vector<std::size_t> const& shape) {
  std::stringstream buffer;
  io::write_npy(buffer, data, shape);
  return buffer.str();
}

// A .npy file with a hand-written header (version 1.0), padded to 64 bytes, then `payload`.
std::string with_header(std::string dict, std::string const& payload) {
  while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  std::string out = std::string("\x93NUMPY", 6) + '\x01' + '\x00';
  out += char(dict.size() & 0xff);
  out += char(dict.size() >> 8);
  return out + dict + payload;
}

int python(std::string const& script) {
  std::string const command = "/usr/bin/python3 -c \"" + script + "\"";
  return std::system(command.c_str());
}

}  // namespace

BOOST_AUTO_TEST_CASE(round_trip_is_bit_identical_for_every_rank) {
  std::vector<std::vector<std::size_t>> const shapes{{}, {0}, {7}, {3, 2}, {2, 3, 4}, {0, 5}};
  for (auto const& shape : shapes) {
    std::size_t n = 1;
    for (auto s : shape) n *= s;
    std::vector<double> const data = awkward_values(n);
    io::npy_array const back = round_trip(data, shape);
    BOOST_TEST(back.shape == shape);
    BOOST_TEST_REQUIRE(back.data.size() == data.size());
    for (std::size_t i = 0; i < n; ++i) BOOST_TEST(bits(back.data[i]) == bits(data[i]), "element " << i);
  }
}

BOOST_AUTO_TEST_CASE(header_is_padded_to_64_bytes) {
  std::string const file = valid_file({1.0, 2.0}, {2});
  BOOST_TEST((file.size() - 16) % 64 == 0u);
  BOOST_TEST(file.find("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(float32_files_are_read_exactly) {
  float const values[3] = {1.5f, -0.1f, 3e-40f};
  std::string payload(reinterpret_cast<char const*>(values), sizeof values);
  std::stringstream buffer(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", payload));
  io::npy_array const a = io::read_npy(buffer, "f4.npy");
  BOOST_TEST(a.data.size() == 3u);
  for (int i = 0; i < 3; ++i) BOOST_TEST(a.data[i] == double(values[i]));
}

BOOST_AUTO_TEST_CASE(malformed_files_are_refused_with_the_defect) {
  std::string const good = valid_file({1.0, 2.0, 3.0, 4.0}, {2, 2});
  check_refused("GIF89a", "not a .npy file");
  check_refused(good.substr(0, 9), "truncated .npy header");
  check_refused(good.substr(0, 40), "truncated .npy header");
  check_refused(good.substr(0, good.size() - 3), "truncated: shape (2, 2) needs 32 bytes of data but only 29");
  check_refused(good + "xx", "2 bytes follow the 4 values");
  check_refused(with_header("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0')),
                "dtype '<i8' is not supported");
  check_refused(with_header("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0')),
                "dtype '>f8' is not supported");
  check_refused(with_header("{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }", std::string(8, '\0')),
                "Fortran order");
  check_refused(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (a, 2), }", ""),
                "holds something other than sizes");
  check_refused(with_header("{'descr': '<f8', 'fortran_order': False, }", ""), "no 'shape' entry");
  check_refused(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999, 99999999, 99999999), }", ""),
                "too large");
}

BOOST_AUTO_TEST_CASE(missing_file_is_refused) {
  try {
    io::load_npy("/nonexistent/points.npy");
    BOOST_FAIL("expected a refusal");
  } catch (sdekit::invalid_argument const& e) {
    BOOST_TEST(std::string(e.what()) == "/nonexistent/points.npy: cannot open for reading");
  }
}

BOOST_AUTO_TEST_CASE(numpy_reads_our_files_bit_for_bit) {
  std::vector<double> const data = awkward_values(12);
  io::save_npy("npy_test_ours.npy", data, {4, 3});
  std::string script = "import numpy as np, struct, sys; a = np.load('npy_test_ours.npy'); "
                       "assert a.dtype == np.float64 and a.shape == (4, 3), (a.dtype, a.shape); "
                       "want = [";
  for (double v : data) script += std::to_string(bits(v)) + ",";
  script += "]; got = [struct.unpack('<Q', struct.pack('<d', v))[0] for v in a.ravel()]; "
            "sys.exit(0 if got == want else 1)";
  BOOST_TEST(python(script) == 0);
}

BOOST_AUTO_TEST_CASE(we_read_numpys_files) {
  BOOST_TEST_REQUIRE(python("import numpy as np; a = np.arange(6, dtype=np.float64).reshape(2, 3) / 7; "
                            "np.save('npy_test_f8.npy', a); np.save('npy_test_f4.npy', a.astype(np.float32)); "
                            "np.save('npy_test_i8.npy', np.arange(3))") == 0);
  io::npy_array const f8 = io::load_npy("npy_test_f8.npy");
  BOOST_TEST((f8.shape == std::vector<std::size_t>{2, 3}));
  for (int i = 0; i < 6; ++i) BOOST_TEST(f8.data[i] == double(i) / 7.0);
  io::npy_array const f4 = io::load_npy("npy_test_f4.npy");
  for (int i = 0; i < 6; ++i) BOOST_TEST(f4.data[i] == double(float(double(i) / 7.0)));
  BOOST_CHECK_THROW(io::load_npy("npy_test_i8.npy"), sdekit::invalid_argument);
}
