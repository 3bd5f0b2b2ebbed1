// Declarative instruction decoding: an encoding is a bit string such as
//   "0000000 ttttt sssss 000 ddddd 0110011"
// where 0/1 must match, '-' is ignored, spaces are for reading, and each run of one letter is a field.
// Fields are passed to the handler in order of appearance (most significant first); a handler whose
// arity differs from the number of fields does not compile.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace mimic::decoder {

template <size_t N>
struct Pattern {
    char text[N];
    constexpr Pattern(const char (&s)[N]) { std::copy_n(s, N, text); }
    constexpr std::string_view view() const { return {text, N - 1}; }
};

struct Field {
    uint8_t shift;
    uint8_t width;
};

// Parses a pattern into mask, expected bits and fields (MSB first). Spaces are skipped.
template <typename Word, Pattern P>
struct Parsed {
    static constexpr auto compute() {
        struct Result {
            Word mask = 0, expect = 0;
            std::array<Field, 16> fields{};
            size_t field_count = 0;
            size_t bits = 0;
        } r;
        constexpr std::string_view s = P.view();
        size_t bits = 0;
        for (char c : s)
            if (c != ' ') ++bits;
        r.bits = bits;
        size_t pos = bits;
        char prev = 0;
        for (char c : s) {
            if (c == ' ') continue;
            --pos;
            if (c == '0' || c == '1') {
                r.mask |= Word(1) << pos;
                if (c == '1') r.expect |= Word(1) << pos;
            } else if (c != '-') {
                if (c != prev || r.field_count == 0) r.fields[r.field_count++] = Field{uint8_t(pos), 0};
                r.fields[r.field_count - 1].shift = uint8_t(pos);
                ++r.fields[r.field_count - 1].width;
            }
            prev = (c == '0' || c == '1' || c == '-') ? 0 : c;
        }
        return r;
    }
    static constexpr auto value = compute();
    static_assert(value.bits == sizeof(Word) * 8, "pattern length must equal the instruction width");
};

template <typename T>
struct MemberTraits;
template <typename C, typename R, typename... A>
struct MemberTraits<R (C::*)(A...)> {
    using Class = C;
    static constexpr size_t arity = sizeof...(A);
    template <size_t I>
    using Arg = std::tuple_element_t<I, std::tuple<A...>>;
};

template <typename Visitor, typename Word>
struct Matcher {
    std::string_view name;
    std::string_view syntax;  // operand syntax for the disassembler (the architecture defines it)
    Word mask;
    Word expect;
    bool (*call)(Visitor&, Word);
    bool matches(Word insn) const { return (insn & mask) == expect; }
};

template <typename Word, Pattern P, auto Handler>
constexpr auto make_matcher(std::string_view name, std::string_view syntax = {}) {
    using Traits = MemberTraits<decltype(Handler)>;
    using Visitor = typename Traits::Class;
    static_assert(Parsed<Word, P>::value.field_count == Traits::arity,
                  "handler arity differs from the pattern's fields");
    auto call = [](Visitor& v, Word insn) -> bool {
        return [&]<size_t... I>(std::index_sequence<I...>) {
            constexpr auto& f = Parsed<Word, P>::value.fields;
            return (v.*
                    Handler)(typename Traits::template Arg<I>((insn >> f[I].shift) & ((Word(1) << f[I].width) - 1))...);
        }
        (std::make_index_sequence<Traits::arity>());
    };
    return Matcher<Visitor, Word>{name, syntax, Parsed<Word, P>::value.mask, Parsed<Word, P>::value.expect, +call};
}

// A table of matchers, most specific first, bucketed by the bits every pattern fixes (for RISC-V,
// the major opcode) so that decoding looks at a handful of candidates.
template <typename Visitor, typename Word>
class Table {
public:
    Table(std::vector<Matcher<Visitor, Word>> matchers, Word bucket_mask) : bucket_mask_(bucket_mask) {
        std::stable_sort(matchers.begin(), matchers.end(), [](const auto& a, const auto& b) {
            return __builtin_popcountll(a.mask) > __builtin_popcountll(b.mask);
        });
        const unsigned bucket_bits = __builtin_popcountll(bucket_mask);
        buckets_.resize(size_t(1) << bucket_bits);
        for (size_t key = 0; key < buckets_.size(); ++key) {
            const Word bits = deposit(Word(key));
            for (const auto& m : matchers)
                if (((bits ^ m.expect) & m.mask & bucket_mask) == 0) buckets_[key].push_back(m);
        }
    }
    const Matcher<Visitor, Word>* decode(Word insn) const {
        for (const auto& m : buckets_[extract(insn)])
            if (m.matches(insn)) return &m;
        return nullptr;
    }

private:
    size_t extract(Word insn) const {
        size_t key = 0, out = 0;
        for (unsigned b = 0; b < sizeof(Word) * 8; ++b)
            if (bucket_mask_ >> b & 1) key |= size_t(insn >> b & 1) << out++;
        return key;
    }
    Word deposit(Word key) const {
        Word bits = 0;
        unsigned in = 0;
        for (unsigned b = 0; b < sizeof(Word) * 8; ++b)
            if (bucket_mask_ >> b & 1) bits |= Word(key >> in++ & 1) << b;
        return bits;
    }
    Word bucket_mask_;
    std::vector<std::vector<Matcher<Visitor, Word>>> buckets_;
};

}  // namespace mimic::decoder
