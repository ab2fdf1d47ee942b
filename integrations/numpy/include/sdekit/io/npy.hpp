// NumPy's .npy format (format version 1.0, NEP 1): the file that numpy.save writes and numpy.load
// reads. sdekit writes little-endian float64 arrays in C order and reads float64 or float32 ones,
// so samples, points and log-densities pass between C++ and Python without a conversion step.
//
// Layout: the magic "\x93NUMPY", the version bytes (1, 0), a little-endian uint16 header length,
// then an ASCII Python dict {'descr': '<f8', 'fortran_order': False, 'shape': (B, d), } padded
// with spaces and ended by '\n' so that the data starts on a 64-byte boundary, then the values.
// Versions 2.0 and 3.0 (uint32 header length) are read too. Reference:
// numpy.org/doc/stable/reference/generated/numpy.lib.format.html.
//
// Every malformed input (wrong magic, dtype, order, shape, a truncated file) throws
// sdekit::invalid_argument naming the file and what is wrong with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sdekit/solvers/errors.hpp>

namespace sdekit::io {

/// A float64 array of any rank, C order: element (i, j) of a 2-D array is data[i * shape[1] + j].
struct npy_array {
  std::vector<std::size_t> shape;
  std::vector<double> data;

  std::size_t rank() const { return shape.size(); }
};

namespace detail {

inline constexpr char npy_magic[] = "\x93NUMPY";
inline constexpr std::size_t npy_magic_size = 6;
inline constexpr std::size_t npy_alignment = 64;

inline std::size_t element_count(std::vector<std::size_t> const& shape, std::string const& name) {
  std::size_t n = 1;
  for (std::size_t s : shape) {
    if (s != 0 && n > (std::size_t(1) << 48) / s) sdekit::detail::fail(name, ": an .npy shape of more than 2^48 values is too large");
    n *= s;
  }
  return n;
}

// Python's tuple syntax: "(3,)" for one element, "(3, 2)" for more, "()" for none.
inline std::string python_tuple(std::vector<std::size_t> const& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  if (shape.size() == 1) text += ",";
  return text + ")";
}

inline std::string npy_header(std::vector<std::size_t> const& shape) {
  std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + python_tuple(shape) + ", }";
  std::size_t const preamble = npy_magic_size + 2 + 2;
  std::size_t const total = (preamble + dict.size() + 1 + npy_alignment - 1) / npy_alignment * npy_alignment;
  dict.append(total - preamble - dict.size() - 1, ' ');
  return dict + '\n';
}

// Little-endian bytes of an IEEE-754 double, whatever the host's byte order.
inline void put_le64(double value, unsigned char* out) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  for (int b = 0; b < 8; ++b) out[b] = static_cast<unsigned char>(bits >> (8 * b));
}

inline double get_le64(unsigned char const* in) {
  std::uint64_t bits = 0;
  for (int b = 0; b < 8; ++b) bits |= std::uint64_t(in[b]) << (8 * b);
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

inline double get_le32(unsigned char const* in) {
  std::uint32_t bits = 0;
  for (int b = 0; b < 4; ++b) bits |= std::uint32_t(in[b]) << (8 * b);
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// The value of `key` in the header dict: the text after "'key':" up to the next top-level comma
// or closing brace (a tuple's commas are inside parentheses).
inline std::string dict_value(std::string const& header, std::string const& key, std::string const& name) {
  std::string const quoted = "'" + key + "'";
  std::size_t pos = header.find(quoted);
  if (pos == std::string::npos) sdekit::detail::fail(name, ": the .npy header has no '", key, "' entry");
  pos = header.find(':', pos + quoted.size());
  if (pos == std::string::npos) sdekit::detail::fail(name, ": the .npy header entry '", key, "' has no value");
  std::size_t end = pos + 1;
  int depth = 0;
  for (; end < header.size(); ++end) {
    char const c = header[end];
    if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if ((c == ',' || c == '}') && depth == 0) break;
  }
  std::string value = header.substr(pos + 1, end - pos - 1);
  std::size_t const first = value.find_first_not_of(" \t");
  std::size_t const last = value.find_last_not_of(" \t");
  return first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
}

inline std::vector<std::size_t> parse_shape(std::string const& text, std::string const& name) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')')
    sdekit::detail::fail(name, ": the .npy shape ", text, " is not a tuple");
  std::vector<std::size_t> shape;
  std::size_t i = 1;
  while (i + 1 < text.size()) {
    while (i + 1 < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
    if (i + 1 >= text.size()) break;
    std::size_t j = i;
    while (j + 1 < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j == i) sdekit::detail::fail(name, ": the .npy shape ", text, " holds something other than sizes");
    if (j - i > 15) sdekit::detail::fail(name, ": the .npy shape ", text, " is too large");
    shape.push_back(std::stoull(text.substr(i, j - i)));
    i = j;
  }
  return shape;
}

}  // namespace detail

/// Writes a float64 array of the given shape (C order) as .npy.
inline void write_npy(std::ostream& out, std::vector<double> const& data, std::vector<std::size_t> const& shape) {
  if (detail::element_count(shape, "write_npy") != data.size())
    sdekit::detail::fail("write_npy: shape ", detail::python_tuple(shape), " holds ", detail::element_count(shape, "write_npy"),
                         " values but data holds ", data.size());
  std::string const header = detail::npy_header(shape);
  unsigned char const version_and_length[4] = {1, 0, static_cast<unsigned char>(header.size() & 0xff),
                                               static_cast<unsigned char>(header.size() >> 8)};
  out.write(detail::npy_magic, detail::npy_magic_size);
  out.write(reinterpret_cast<char const*>(version_and_length), 4);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  std::vector<unsigned char> bytes(8 * data.size());
  for (std::size_t i = 0; i < data.size(); ++i) detail::put_le64(data[i], &bytes[8 * i]);
  out.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

/// Reads a .npy array of dtype float64 or float32 ('<f8', '<f4'), C order, any rank, from a
/// seekable stream; `name` (the file name) prefixes every error message.
inline npy_array read_npy(std::istream& in, std::string const& name) {
  char magic[detail::npy_magic_size];
  if (!in.read(magic, detail::npy_magic_size) || std::memcmp(magic, detail::npy_magic, detail::npy_magic_size) != 0)
    sdekit::detail::fail(name, ": not a .npy file (it does not start with \\x93NUMPY)");
  unsigned char version[2];
  if (!in.read(reinterpret_cast<char*>(version), 2)) sdekit::detail::fail(name, ": truncated .npy header");
  if (version[0] < 1 || version[0] > 3)
    sdekit::detail::fail(name, ": .npy format version ", int(version[0]), ".", int(version[1]), " is not 1.0, 2.0 or 3.0");
  std::size_t const length_bytes = version[0] == 1 ? 2 : 4;
  unsigned char length[4] = {0, 0, 0, 0};
  if (!in.read(reinterpret_cast<char*>(length), static_cast<std::streamsize>(length_bytes)))
    sdekit::detail::fail(name, ": truncated .npy header");
  std::size_t const header_size = length[0] | (length[1] << 8) | (std::size_t(length[2]) << 16) | (std::size_t(length[3]) << 24);
  std::string header(header_size, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(header_size)))
    sdekit::detail::fail(name, ": truncated .npy header (", header_size, " bytes announced)");

  std::string const descr = detail::dict_value(header, "descr", name);
  std::size_t width = 0;
  if (descr == "'<f8'" || descr == "'float64'") width = 8;
  else if (descr == "'<f4'" || descr == "'float32'") width = 4;
  else sdekit::detail::fail(name, ": dtype ", descr, " is not supported: sdekit reads float64 ('<f8') or float32 ('<f4')");
  if (detail::dict_value(header, "fortran_order", name) != "False")
    sdekit::detail::fail(name, ": the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");

  npy_array array;
  array.shape = detail::parse_shape(detail::dict_value(header, "shape", name), name);
  std::size_t const count = detail::element_count(array.shape, name);
  std::streampos const data_start = in.tellg();
  in.seekg(0, std::ios::end);
  std::size_t const available = static_cast<std::size_t>(in.tellg() - data_start);
  in.seekg(data_start);
  if (available < width * count)
    sdekit::detail::fail(name, ": truncated: shape ", detail::python_tuple(array.shape), " needs ", width * count,
                         " bytes of data but only ", available, " follow the header");
  if (available > width * count)
    sdekit::detail::fail(name, ": ", available - width * count, " bytes follow the ", count, " values that shape ",
                         detail::python_tuple(array.shape), " declares");
  std::vector<unsigned char> bytes(width * count);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())))
    sdekit::detail::fail(name, ": read error in the data section");
  array.data.resize(count);
  for (std::size_t i = 0; i < count; ++i)
    array.data[i] = width == 8 ? detail::get_le64(&bytes[8 * i]) : detail::get_le32(&bytes[4 * i]);
  return array;
}

/// Reads the .npy file at `path`.
inline npy_array load_npy(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) sdekit::detail::fail(path, ": cannot open for reading");
  return read_npy(in, path);
}

/// Writes the .npy file at `path` (directly; callers that must never leave a half-written file
/// write to a temporary name and rename it).
inline void save_npy(std::string const& path, std::vector<double> const& data, std::vector<std::size_t> const& shape) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) sdekit::detail::fail(path, ": cannot open for writing");
  write_npy(out, data, shape);
  out.flush();
  if (!out) throw std::runtime_error(path + ": write failed");
}

}  // namespace sdekit::io
