// The LLVM tier's host code as the engine sees it: its size (host_size) and its disassembly
// (dump, shown by -d out_asm), with -d llvm_ir still showing the optimized IR.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <array>
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "backends/baseline/host_disasm.h"
#include "backends/llvm/llvm_backend.h"
#include "engine/log.h"
#include "ir/builder.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

struct TestEnv {
    CpuHeader header;
    uint64_t r[2] = {};
};

const std::array<GlobalInfo, 2> kGlobals = {{
    {"r0", offsetof(TestEnv, r) + 0, Type::kI64},
    {"r1", offsetof(TestEnv, r) + 8, Type::kI64},
}};

// r0 = r1 + 0x1234, then the direct exit 1 to 0x104.
void build_add(Block& block) {
    Builder b(block);
    b.insn_start(0x100);
    b.set_global(0, b.add(b.get_global(1), Builder::i64(0x1234)));
    b.goto_tb(1, 0x104);
}

std::string hex_address(const void* p) {
    char text[32];
    std::snprintf(text, sizeof text, "0x%016" PRIxPTR ":", reinterpret_cast<uintptr_t>(p));
    return text;
}

std::string last_line(const std::string& text) {
    const size_t end = text.size() - (text.ends_with('\n') ? 1 : 0);
    const size_t start = text.rfind('\n', end - 1);
    return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1));
}

}  // namespace

TEST_CASE("host_disasm: QEMU-style lines, undecodable bytes as .byte", "[llvm]") {
    // mov rax, rdi; (0x06: push es, invalid in 64-bit mode); ret
    static const uint8_t kCode[] = {0x48, 0x89, 0xf8, 0x06, 0xc3};
    const std::string text = disassemble_host(kCode, sizeof kCode);
    const std::string expected = hex_address(kCode) + "  mov rax, rdi\n" + hex_address(kCode + 3) + "  .byte 0x06\n" +
                                 hex_address(kCode + 4) + "  ret\n";
    CHECK(text == expected);
    CHECK(disassemble_host(kCode, 0).empty());
}

TEST_CASE("llvm tier: host_size and out_asm show the unit's real machine code", "[llvm]") {
    Block block(kGlobals, 0x100);
    build_add(block);
    jit::LlvmBackend backend(MemoryModel::kFlat, nullptr);
    auto code = backend.compile(block);

    const size_t size = code->host_size();
    CHECK(size > 0);
    CHECK(size < 4096);  // an add and a return, not the whole JIT's memory

    const std::string text = code->dump();
    INFO(text);
    CHECK(text.rfind(hex_address(code->direct_entry()) + "  ", 0) == 0);  // starts at the entry
    CHECK(text.find("0x1234") != std::string::npos);                      // the add's immediate
    // The size ends at the function's last instruction, not in the padding after it.
    CHECK(last_line(text).ends_with(":  ret"));

    TestEnv env;
    env.r[1] = 1;
    const BlockExit exit = code->run(&env.header);
    CHECK(exit.kind == BlockExit::Kind::kGotoTb);
    CHECK(exit.slot == 1);
    CHECK(env.r[0] == 0x1235);
}

TEST_CASE("llvm tier: -d llvm_ir still logs the optimized IR", "[llvm]") {
    char path[] = "/tmp/mimic-llvm-ir-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    {
        Log log;
        REQUIRE(log.open(path).empty());
        log.enable(kLogLlvmIr);
        Block block(kGlobals, 0x100);
        build_add(block);
        jit::LlvmBackend backend(MemoryModel::kFlat, &log);
        backend.compile(block);
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    unlink(path);
    CHECK(text.str().find("LLVM IR: pc=0x100") != std::string::npos);
    CHECK(text.str().find("define ") != std::string::npos);
    CHECK(text.str().find("4660") != std::string::npos);  // 0x1234, in LLVM's decimal
}
