// UUIDs as text: the canonical form the seed hashed, and a parser for the
// forms PostgreSQL's uuid type accepts, for places that must not raise an
// error (setting check hooks, JWT claims).
#pragma once

#include <cstdint>
#include <string_view>

namespace booking::core {

// Writes the canonical lower-case 36-character form (no terminator).
void format_uuid(const std::uint8_t (&uuid)[16], char *out);

// Accepts 32 hex digits, optionally in braces, with a hyphen allowed after any
// group of four digits; false for anything else.
bool parse_uuid(std::string_view text, std::uint8_t (&out)[16]);

}  // namespace booking::core
