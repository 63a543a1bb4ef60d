// rectifyctl: the command line of the rectify API. Everything is in
// client/cli/app.cc; `rectifyctl help` lists the commands.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "client/cli/app.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return rectify::client::cli::RunCli(args, std::cout, std::cerr,
                                      [](const std::string& name) -> std::optional<std::string> {
                                        const char* value = std::getenv(name.c_str());
                                        if (value == nullptr) return std::nullopt;
                                        return std::string(value);
                                      });
}
