// The sdekit command line. `sdekit` alone runs `sdekit solve` with its defaults (the project's main
// job). Exit status: 0 success, 1 a run that failed (a solve that diverged), 2 bad input (one line
// on stderr, nothing written), 130 interrupted by Ctrl-C (nothing half-written left behind).
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <sdekit/solvers/errors.hpp>

#include "cli/bench_command.hpp"
#include "cli/closest_name.hpp"
#include "cli/interrupt.hpp"
#include "cli/loglik_command.hpp"
#include "cli/sample_command.hpp"
#include "cli/solve_command.hpp"

namespace {

namespace cli = sdekit::cli;

constexpr int exit_failure = 1;
constexpr int exit_bad_input = 2;
constexpr int exit_interrupted = 130;

std::vector<std::string> option_names(CLI::App const& app) {
  std::vector<std::string> names;
  for (CLI::Option const* option : app.get_options())
    for (auto const& name : option->get_lnames()) names.push_back("--" + name);
  return names;
}

std::vector<std::string> subcommand_names(CLI::App const& app) {
  std::vector<std::string> names;
  for (CLI::App const* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

// The first argument that no option took (context: the subcommand, "" for the root), turned into a sentence with the closest valid name.
void refuse_extras(CLI::App const& app, std::string const& context) {
  std::vector<std::string> const extras = app.remaining();
  if (extras.empty()) return;
  std::string const& first = extras.front();
  if (first.rfind("-", 0) == 0) {
    std::string const name = first.substr(0, first.find('='));
    sdekit::detail::fail(context.empty() ? "" : context + ": ", "unknown option '", name, "'", cli::suggestion(name, option_names(app)));
  }
  if (context.empty())
    sdekit::detail::fail("unknown subcommand '", first, "'", cli::suggestion(first, subcommand_names(app)));
  sdekit::detail::fail(context, ": unexpected argument '", first, "'");
}

int run(int argc, char** argv) {
  CLI::App app{"sdekit: SDE/ODE solvers and diffusion-model sampling, with accuracy against exact solutions.\n"
               "Without a subcommand, runs `sdekit solve` with its defaults.",
               "sdekit"};
  app.set_version_flag("--version", std::string("sdekit ") + SDEKIT_VERSION);
  app.allow_extras();
  app.require_subcommand(0, 1);
  bool as_json = false;
  app.add_flag("--json", as_json, "with no subcommand: `sdekit solve --json`");

  cli::solve_command solve;
  cli::sample_command sample;
  cli::loglik_command loglik;
  cli::bench_command bench;
  std::vector<CLI::App*> subcommands{solve.add_to(app), sample.add_to(app), loglik.add_to(app), bench.add_to(app)};
  for (CLI::App* sub : subcommands) {
    sub->allow_extras();
    sub->add_flag("--json", as_json, "print machine-readable JSON on stdout instead of tables");
  }

  try {
    app.parse(argc, argv);
  } catch (CLI::CallForHelp const& e) {
    return app.exit(e);
  } catch (CLI::CallForAllHelp const& e) {
    return app.exit(e);
  } catch (CLI::CallForVersion const& e) {
    return app.exit(e);
  } catch (CLI::ParseError const& e) {
    std::cerr << "sdekit: " << e.what() << '\n';
    return exit_bad_input;
  }
  refuse_extras(app, "");
  for (CLI::App* sub : subcommands)
    if (sub->parsed()) refuse_extras(*sub, sub->get_name());

  cli::report result;
  if (app.got_subcommand("sample")) result = sample.run();
  else if (app.got_subcommand("loglik")) result = loglik.run();
  else if (app.got_subcommand("bench")) result = bench.run();
  else result = solve.run();
  result.print(std::cout, as_json);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  cli::install_interrupt_handler();
  try {
    return run(argc, argv);
  } catch (cli::interrupted const&) {
    std::cerr << "sdekit: interrupted; no output file was written\n";
    return exit_interrupted;
  } catch (std::invalid_argument const& e) {
    std::cerr << "sdekit: " << e.what() << '\n';
    return exit_bad_input;
  } catch (std::exception const& e) {
    std::cerr << "sdekit: " << e.what() << '\n';
    return exit_failure;
  }
}
