#include "suggestions.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "commands.hpp"

namespace qap::cli {

namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string_view WithoutDashes(std::string_view name) {
  return name.substr(std::min(name.find_first_not_of('-'), name.size()));
}

// "-q", "--perms", "--perm=9"; not "-1" (a negative number is a value).
bool LooksLikeOption(const std::string& word) {
  return word.size() >= 2 && word[0] == '-' &&
         (word[1] == '-' || std::isalpha(static_cast<unsigned char>(word[1])) != 0);
}

// "; did you mean 'a'?", "; did you mean 'a' or 'b'?", or "".
std::string DidYouMean(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  std::string text = "; did you mean ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += "'" + names[i] + "'";
  }
  return text + "?";
}

// "qap", "qap regress", "qap study run".
std::string CommandPath(const CLI::App& command) {
  const CLI::App* parent = command.get_parent();
  return parent == nullptr ? command.get_name() : CommandPath(*parent) + " " + command.get_name();
}

// The path without the leading "qap " ("" for qap itself).
std::string CommandWords(const CLI::App& command) {
  const std::string path = CommandPath(command);
  const auto space = path.find(' ');
  return space == std::string::npos ? "" : path.substr(space + 1);
}

std::vector<const CLI::App*> Subcommands(const CLI::App& command) {
  std::vector<const CLI::App*> found;
  for (const CLI::App* sub :
       const_cast<CLI::App&>(command).get_subcommands([](CLI::App*) { return true; })) {
    if (!sub->get_name().empty()) found.push_back(sub);
  }
  return found;
}

const CLI::App* FindSubcommand(const CLI::App& command, const std::string& word) {
  for (const CLI::App* sub : Subcommands(command)) {
    if (sub->check_name(word)) return sub;
  }
  return nullptr;
}

std::vector<std::string> SubcommandNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* sub : Subcommands(command)) names.push_back(sub->get_name());
  return names;
}

std::vector<std::string> OptionNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

std::string Join(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// Where to read more after an error about `command`.
void PrintHelpHint(const CLI::App& command) {
  if (command.get_parent() == nullptr) {
    std::fputs("Run 'qap help' for the commands.\n", stderr);
  } else {
    std::fprintf(stderr, "Run 'qap help %s' for its %s.\n", CommandWords(command).c_str(),
                 Subcommands(command).empty() ? "options" : "commands");
  }
}

// "unknown command 'study rn'; did you mean 'study run'?" (or the commands
// there are, when none is close).
void PrintUnknownCommand(const CLI::App& command, const std::string& word) {
  const std::string words = CommandWords(command);
  const std::string prefix = words.empty() ? "" : words + " ";
  std::vector<std::string> nearest = NearestNames(word, SubcommandNames(command));
  for (std::string& name : nearest) name = prefix + name;
  std::string message = "unknown command '" + prefix + word + "'" + DidYouMean(nearest);
  if (nearest.empty()) {
    message += " (" +
               (words.empty() ? std::string("commands") : "commands of 'qap " + words + "'") +
               ": " + Join(SubcommandNames(command)) + ")";
  }
  std::fprintf(stderr, "qap: error: %s\n", message.c_str());
  PrintHelpHint(command);
}

// A command that does nothing useful without arguments shows its usage
// instead: it needs options or a subcommand (`qap study`), or, like
// `qap network`, one of several options. `qap study init` alone writes the
// example manifest.
bool NeedsArguments(const CLI::App& command) {
  if (command.get_require_subcommand_min() > 0) return true;
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_required()) return true;
  }
  return CommandPath(command) != "qap study init";
}

}  // namespace

std::size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: three rows of the dynamic programme.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    before.swap(previous);
    previous.swap(current);
  }
  return previous[b.size()];
}

std::vector<std::string> NearestNames(const std::string& typed,
                                      const std::vector<std::string>& candidates) {
  const std::string word = Lower(WithoutDashes(typed.substr(0, typed.find('='))));
  if (word.empty()) return {};
  std::vector<std::string> nearest;
  std::size_t best = 3;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = EditDistance(word, Lower(WithoutDashes(candidate)));
    if (distance == 0) return {candidate};
    if (distance > 2 || 2 * distance > word.size() || distance > best) continue;
    if (distance < best) nearest.clear();
    best = distance;
    if (std::find(nearest.begin(), nearest.end(), candidate) == nearest.end())
      nearest.push_back(candidate);
  }
  if (!nearest.empty() || word.size() < 2) return nearest;
  for (const std::string& candidate : candidates) {
    if (Lower(WithoutDashes(candidate)).rfind(word, 0) == 0) nearest.push_back(candidate);
  }
  if (nearest.size() != 1) nearest.clear();
  return nearest;
}

std::string ExactScientificToDigits(const std::string& text) {
  const std::size_t e = text.find_first_of("eE");
  if (e == std::string::npos) return text;
  std::string digits;
  std::size_t fraction = 0;
  bool point = false;
  for (std::size_t i = 0; i < e; ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
      if (point) ++fraction;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return text;
    }
  }
  std::size_t at = e + 1;
  const bool negative = at < text.size() && text[at] == '-';
  if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
  if (digits.empty() || at == text.size() || text.size() - at > 4 ||
      text.find_first_not_of("0123456789", at) != std::string::npos) {
    return text;
  }
  const long exponent = std::stol(text.substr(at));
  const long power = (negative ? -exponent : exponent) - static_cast<long>(fraction);
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  if (digits.empty()) return "0";
  if (power < 0) {
    const auto drop = static_cast<std::size_t>(-power);
    if (drop >= digits.size() ||
        digits.find_first_not_of('0', digits.size() - drop) != std::string::npos) {
      return text;  // not a whole number
    }
    digits.resize(digits.size() - drop);
  } else {
    if (digits.size() + static_cast<std::size_t>(power) > 20) return text;  // past 2^64 anyway
    digits.append(static_cast<std::size_t>(power), '0');
  }
  return digits;
}

void AcceptScientificPermutationCounts(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    const auto& names = option->get_lnames();
    if (std::find(names.begin(), names.end(), "perms") != names.end()) {
      // transform() runs before the checks added earlier, so --perms's own
      // check (common_options.cpp) sees digits.
      option->transform([](const std::string& value) { return ExactScientificToDigits(value); });
    }
  }
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; }))
    AcceptScientificPermutationCounts(*command);
}

std::optional<int> HandleBeforeParse(CLI::App& app, std::vector<std::string>& args) {
  if (!args.empty() && args.front() == "help") {
    const CLI::App* command = &app;
    std::vector<std::string> rewritten;
    for (std::size_t i = 1; i < args.size(); ++i) {
      const CLI::App* sub = FindSubcommand(*command, args[i]);
      if (sub == nullptr) {
        PrintUnknownCommand(*command, args[i]);
        return kExitUsage;
      }
      rewritten.push_back(args[i]);
      command = sub;
    }
    rewritten.emplace_back("--help");
    args = std::move(rewritten);
    return std::nullopt;
  }
  // Only command words: `qap`, `qap regress`, `qap study run`.
  const CLI::App* command = &app;
  for (const std::string& word : args) {
    command = FindSubcommand(*command, word);
    if (command == nullptr) return std::nullopt;
  }
  if (!NeedsArguments(*command)) return std::nullopt;
  const CLI::App* parent = command->get_parent();
  std::fputs(command->help(parent == nullptr ? "" : CommandPath(*parent)).c_str(), stderr);
  if (parent == nullptr) {
    std::fputs("qap: error: no command given\n", stderr);
  } else {
    std::fprintf(stderr, "qap: error: 'qap %s' needs arguments (its usage is above)\n",
                 CommandWords(*command).c_str());
  }
  return kExitUsage;
}

void PrintParseError(const CLI::App& app, const CLI::ParseError& error) {
  std::vector<const CLI::App*> chain{&app};
  while (!chain.back()->get_subcommands().empty())
    chain.push_back(chain.back()->get_subcommands().front());
  // Words CLI11 could not place, command by command: a mistyped command or
  // option is named before what it caused (`--perm 9` leaves --y missing).
  for (std::size_t level = 0; level < chain.size(); ++level) {
    const CLI::App& command = *chain[level];
    const std::vector<std::string> left = command.remaining(false);
    if (left.empty()) continue;
    if (command.get_require_subcommand_min() > 0 && command.get_subcommands().empty()) {
      const std::string* word = nullptr;
      for (const std::string& candidate : left) {
        if (LooksLikeOption(candidate)) continue;
        if (word == nullptr) word = &candidate;
        if (!NearestNames(candidate, SubcommandNames(command)).empty()) {
          word = &candidate;
          break;
        }
      }
      if (word != nullptr) {
        PrintUnknownCommand(command, *word);
        return;
      }
    }
    const auto option = std::find_if(left.begin(), left.end(), LooksLikeOption);
    if (option == left.end()) continue;
    const std::string name = option->substr(0, option->find('='));
    std::string message = "unknown option '" + name + "'";
    const CLI::App* owner = nullptr;
    for (std::size_t deeper = level + 1; deeper < chain.size() && owner == nullptr; ++deeper) {
      if (chain[deeper]->get_option_no_throw(name) != nullptr) owner = chain[deeper];
    }
    if (owner != nullptr) {
      message += " before the command: it is an option of 'qap " + CommandWords(*owner) +
                 "'; give it after '" + owner->get_name() + "'";
    } else {
      message += DidYouMean(NearestNames(name, OptionNames(command)));
    }
    std::fprintf(stderr, "qap: error: %s\n", message.c_str());
    PrintHelpHint(owner != nullptr ? *owner : command);
    return;
  }
  std::fprintf(stderr, "qap: error: %s\n", error.what());
  PrintHelpHint(*chain.back());
}

}  // namespace qap::cli
