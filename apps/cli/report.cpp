#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sdekit::cli {

std::string format_cell(json const& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  if (value.is_number_float()) {
    double const v = value.get<double>();
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", v);
    return buffer;
  }
  if (value.is_null()) return "-";
  return value.dump();
}

void write_csv(std::ostream& out, table const& t) {
  auto const field = [](std::string const& text) {
    return text.find_first_of(",\"") == std::string::npos ? text : "\"" + text + "\"";
  };
  for (std::size_t c = 0; c < t.columns.size(); ++c) out << (c ? "," : "") << field(t.columns[c]);
  out << '\n';
  for (auto const& row : t.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      out << (c ? "," : "");
      if (row[c].is_number_float()) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.17g", row[c].get<double>());
        out << buffer;
      } else if (!row[c].is_null()) {
        out << field(format_cell(row[c]));
      }
    }
    out << '\n';
  }
}

json report::to_json() const {
  json out = json::object();
  out["command"] = command;
  out["settings"] = settings;
  json list = json::array();
  for (auto const& t : tables) {
    json rows = json::array();
    for (auto const& row : t.rows) {
      json object = json::object();
      for (std::size_t c = 0; c < t.columns.size() && c < row.size(); ++c) object[t.columns[c]] = row[c];
      rows.push_back(std::move(object));
    }
    list.push_back({{"title", t.title}, {"columns", t.columns}, {"rows", std::move(rows)}});
  }
  out["tables"] = std::move(list);
  out["notes"] = notes;
  return out;
}

void report::print_text(std::ostream& out) const {
  for (auto const& [key, value] : settings.items())
    out << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << '\n';
  for (auto const& t : tables) {
    out << '\n' << t.title << '\n';
    std::vector<std::size_t> width(t.columns.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c) width[c] = t.columns[c].size();
    for (auto const& row : t.rows)
      for (std::size_t c = 0; c < width.size() && c < row.size(); ++c)
        width[c] = std::max(width[c], format_cell(row[c]).size());
    auto const line = [&](auto const& cell_text) {
      for (std::size_t c = 0; c < width.size(); ++c) {
        std::string const text = cell_text(c);
        out << "  " << text << std::string(width[c] - std::min(width[c], text.size()), ' ');
      }
      out << '\n';
    };
    line([&](std::size_t c) { return t.columns[c]; });
    line([&](std::size_t c) { return std::string(width[c], '-'); });
    for (auto const& row : t.rows) line([&](std::size_t c) { return c < row.size() ? format_cell(row[c]) : ""; });
  }
  if (!notes.empty()) out << '\n';
  for (auto const& note : notes) out << note << '\n';
}

void report::print(std::ostream& out, bool as_json) const {
  if (as_json) out << to_json().dump(2) << '\n';
  else print_text(out);
}

}  // namespace sdekit::cli
