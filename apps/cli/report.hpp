// What a subcommand prints: settings (key → value), tables and notes, rendered either as aligned
// text for a person or, with --json, as one JSON object for a program:
//   {"command": "solve", "settings": {...}, "tables": [{"title", "columns", "rows"}], "notes": [...]}
// Cells are JSON values (numbers or strings), so the text and JSON forms hold the same data.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sdekit::cli {

using json = nlohmann::ordered_json;

struct table {
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<json>> rows;

  void add_row(std::vector<json> row) { rows.push_back(std::move(row)); }
};

struct report {
  std::string command;
  json settings = json::object();
  std::vector<table> tables;
  std::vector<std::string> notes;

  json to_json() const;
  void print_text(std::ostream& out) const;
  void print(std::ostream& out, bool as_json) const;
};

/// The table as CSV: a header of column names, then one line per row, numbers in full precision.
void write_csv(std::ostream& out, table const& t);

/// A number as the text form shows it: integers in full, others with 4 significant digits.
std::string format_cell(json const& value);

}  // namespace sdekit::cli
