#include "uuid_text.hpp"

namespace booking::core {

void format_uuid(const std::uint8_t (&uuid)[16], char *out) {
    static const char kHex[] = "0123456789abcdef";
    std::size_t pos = 0;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[pos++] = '-';
        out[pos++] = kHex[uuid[i] >> 4];
        out[pos++] = kHex[uuid[i] & 0xf];
    }
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace

bool parse_uuid(std::string_view text, std::uint8_t (&out)[16]) {
    if (!text.empty() && text.front() == '{') {
        if (text.size() < 2 || text.back() != '}')
            return false;
        text = text.substr(1, text.size() - 2);
    }
    int digits = 0;
    bool last_was_hyphen = false;
    for (char c : text) {
        if (c == '-') {
            if (digits == 0 || digits % 4 != 0 || last_was_hyphen || digits == 32)
                return false;
            last_was_hyphen = true;
            continue;
        }
        int v = hex_value(c);
        if (v < 0 || digits >= 32)
            return false;
        if (digits % 2 == 0)
            out[digits / 2] = static_cast<std::uint8_t>(v << 4);
        else
            out[digits / 2] = static_cast<std::uint8_t>(out[digits / 2] | v);
        ++digits;
        last_was_hyphen = false;
    }
    return digits == 32 && !last_was_hyphen;
}

}  // namespace booking::core
