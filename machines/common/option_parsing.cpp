// Helpers shared by the system-mode option parsers.
#include "machines/common/option_parsing.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace mimic::machines {

void fail_option(const std::string& opt, const std::string& value, const std::string& what) {
    throw OptionError(opt + " " + (value.empty() ? "''" : value) + ": " + what);
}

std::vector<std::pair<std::string, std::string>> split_props(const std::string& text) {
    std::vector<std::string> parts(1);
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != ',') {
            parts.back() += text[i];
        } else if (i + 1 < text.size() && text[i + 1] == ',') {
            parts.back() += ',';
            ++i;
        } else {
            parts.emplace_back();
        }
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& p : parts) {
        const size_t eq = p.find('=');
        if (eq == std::string::npos)
            out.emplace_back("", p);
        else
            out.emplace_back(p.substr(0, eq), p.substr(eq + 1));
    }
    return out;
}

bool parse_uint(const std::string& s, uint64_t& out) {
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    char* end = nullptr;
    errno = 0;
    out = std::strtoull(s.c_str(), &end, 10);
    return errno == 0 && *end == '\0';
}

bool parse_switch(const std::string& s, bool& out) {
    if (s == "on" || s == "yes" || s == "true") return out = true, true;
    if (s == "off" || s == "no" || s == "false") return out = false, true;
    return false;
}

}  // namespace mimic::machines
