// Decode-level tests of the C extension: each RV64C form must expand to exactly the 32-bit
// instruction the spec names as its equivalent, HINTs to harmless instructions, and reserved
// encodings to nothing (illegal instruction).
#include <catch2/catch.hpp>

#include <cstdint>

#include "frontends/riscv/rvc.h"

using mimic::riscv::expand_compressed;

namespace {

struct Pair {
    uint16_t compressed;
    uint32_t expanded;
    const char* text;
};

// Each compressed form assembled with `riscv64-linux-gnu-as -march=rv64gc` and its equivalent with
// `-march=rv64g` (binutils 2.40), both linked at 0x10000 with --no-relax so that pc-relative
// offsets are resolved. Immediates cover every bit of each scrambled field and both ends of its range.
constexpr Pair kForms[] = {
    {0x0048, 0x00410513, "c.addi4spn a0, sp, 4 = addi a0, sp, 4"},
    {0x0028, 0x00810513, "c.addi4spn a0, sp, 8 = addi a0, sp, 8"},
    {0x0808, 0x01010513, "c.addi4spn a0, sp, 16 = addi a0, sp, 16"},
    {0x1008, 0x02010513, "c.addi4spn a0, sp, 32 = addi a0, sp, 32"},
    {0x0088, 0x04010513, "c.addi4spn a0, sp, 64 = addi a0, sp, 64"},
    {0x0108, 0x08010513, "c.addi4spn a0, sp, 128 = addi a0, sp, 128"},
    {0x0208, 0x10010513, "c.addi4spn a0, sp, 256 = addi a0, sp, 256"},
    {0x0408, 0x20010513, "c.addi4spn a0, sp, 512 = addi a0, sp, 512"},
    {0x1fe8, 0x3fc10513, "c.addi4spn a0, sp, 1020 = addi a0, sp, 1020"},
    {0x0040, 0x00410413, "c.addi4spn s0, sp, 4 = addi s0, sp, 4"},
    {0x1ffc, 0x3fc10793, "c.addi4spn a5, sp, 1020 = addi a5, sp, 1020"},
    {0x2188, 0x0005b507, "c.fld fa0, 0(a1) = fld fa0, 0(a1)"},
    {0x6188, 0x0005b503, "c.ld a0, 0(a1) = ld a0, 0(a1)"},
    {0xa188, 0x00a5b027, "c.fsd fa0, 0(a1) = fsd fa0, 0(a1)"},
    {0xe188, 0x00a5b023, "c.sd a0, 0(a1) = sd a0, 0(a1)"},
    {0x2588, 0x0085b507, "c.fld fa0, 8(a1) = fld fa0, 8(a1)"},
    {0x6588, 0x0085b503, "c.ld a0, 8(a1) = ld a0, 8(a1)"},
    {0xa588, 0x00a5b427, "c.fsd fa0, 8(a1) = fsd fa0, 8(a1)"},
    {0xe588, 0x00a5b423, "c.sd a0, 8(a1) = sd a0, 8(a1)"},
    {0x2988, 0x0105b507, "c.fld fa0, 16(a1) = fld fa0, 16(a1)"},
    {0x6988, 0x0105b503, "c.ld a0, 16(a1) = ld a0, 16(a1)"},
    {0xa988, 0x00a5b827, "c.fsd fa0, 16(a1) = fsd fa0, 16(a1)"},
    {0xe988, 0x00a5b823, "c.sd a0, 16(a1) = sd a0, 16(a1)"},
    {0x3188, 0x0205b507, "c.fld fa0, 32(a1) = fld fa0, 32(a1)"},
    {0x7188, 0x0205b503, "c.ld a0, 32(a1) = ld a0, 32(a1)"},
    {0xb188, 0x02a5b027, "c.fsd fa0, 32(a1) = fsd fa0, 32(a1)"},
    {0xf188, 0x02a5b023, "c.sd a0, 32(a1) = sd a0, 32(a1)"},
    {0x21a8, 0x0405b507, "c.fld fa0, 64(a1) = fld fa0, 64(a1)"},
    {0x61a8, 0x0405b503, "c.ld a0, 64(a1) = ld a0, 64(a1)"},
    {0xa1a8, 0x04a5b027, "c.fsd fa0, 64(a1) = fsd fa0, 64(a1)"},
    {0xe1a8, 0x04a5b023, "c.sd a0, 64(a1) = sd a0, 64(a1)"},
    {0x21c8, 0x0805b507, "c.fld fa0, 128(a1) = fld fa0, 128(a1)"},
    {0x61c8, 0x0805b503, "c.ld a0, 128(a1) = ld a0, 128(a1)"},
    {0xa1c8, 0x08a5b027, "c.fsd fa0, 128(a1) = fsd fa0, 128(a1)"},
    {0xe1c8, 0x08a5b023, "c.sd a0, 128(a1) = sd a0, 128(a1)"},
    {0x3de8, 0x0f85b507, "c.fld fa0, 248(a1) = fld fa0, 248(a1)"},
    {0x7de8, 0x0f85b503, "c.ld a0, 248(a1) = ld a0, 248(a1)"},
    {0xbde8, 0x0ea5bc27, "c.fsd fa0, 248(a1) = fsd fa0, 248(a1)"},
    {0xfde8, 0x0ea5bc23, "c.sd a0, 248(a1) = sd a0, 248(a1)"},
    {0x4188, 0x0005a503, "c.lw a0, 0(a1) = lw a0, 0(a1)"},
    {0xc188, 0x00a5a023, "c.sw a0, 0(a1) = sw a0, 0(a1)"},
    {0x41c8, 0x0045a503, "c.lw a0, 4(a1) = lw a0, 4(a1)"},
    {0xc1c8, 0x00a5a223, "c.sw a0, 4(a1) = sw a0, 4(a1)"},
    {0x4588, 0x0085a503, "c.lw a0, 8(a1) = lw a0, 8(a1)"},
    {0xc588, 0x00a5a423, "c.sw a0, 8(a1) = sw a0, 8(a1)"},
    {0x4988, 0x0105a503, "c.lw a0, 16(a1) = lw a0, 16(a1)"},
    {0xc988, 0x00a5a823, "c.sw a0, 16(a1) = sw a0, 16(a1)"},
    {0x5188, 0x0205a503, "c.lw a0, 32(a1) = lw a0, 32(a1)"},
    {0xd188, 0x02a5a023, "c.sw a0, 32(a1) = sw a0, 32(a1)"},
    {0x41a8, 0x0405a503, "c.lw a0, 64(a1) = lw a0, 64(a1)"},
    {0xc1a8, 0x04a5a023, "c.sw a0, 64(a1) = sw a0, 64(a1)"},
    {0x5de8, 0x07c5a503, "c.lw a0, 124(a1) = lw a0, 124(a1)"},
    {0xdde8, 0x06a5ae23, "c.sw a0, 124(a1) = sw a0, 124(a1)"},
    {0x2380, 0x0007b407, "c.fld fs0, 0(a5) = fld fs0, 0(a5)"},
    {0x241c, 0x00843787, "c.fld fa5, 8(s0) = fld fa5, 8(s0)"},
    {0x43c0, 0x0047a403, "c.lw s0, 4(a5) = lw s0, 4(a5)"},
    {0x405c, 0x00442783, "c.lw a5, 4(s0) = lw a5, 4(s0)"},
    {0x6704, 0x00873483, "c.ld s1, 8(a4) = ld s1, 8(a4)"},
    {0xaa84, 0x0096b827, "c.fsd fs1, 16(a3) = fsd fs1, 16(a3)"},
    {0xc3c0, 0x0087a223, "c.sw s0, 4(a5) = sw s0, 4(a5)"},
    {0xe41c, 0x00f43423, "c.sd a5, 8(s0) = sd a5, 8(s0)"},
    {0x0001, 0x00000013, "c.nop = addi zero, zero, 0"},
    {0x0505, 0x00150513, "c.addi a0, 1 = addi a0, a0, 1"},
    {0x157d, 0xfff50513, "c.addi a0, -1 = addi a0, a0, -1"},
    {0x057d, 0x01f50513, "c.addi a0, 31 = addi a0, a0, 31"},
    {0x1501, 0xfe050513, "c.addi a0, -32 = addi a0, a0, -32"},
    {0x0541, 0x01050513, "c.addi a0, 16 = addi a0, a0, 16"},
    {0x0141, 0x01010113, "c.addi sp, 16 = addi sp, sp, 16"},
    {0x1fed, 0xffbf8f93, "c.addi t6, -5 = addi t6, t6, -5"},
    {0x0085, 0x00108093, "c.addi ra, 1 = addi ra, ra, 1"},
    {0x2501, 0x0005051b, "c.addiw a0, 0 = addiw a0, a0, 0"},
    {0x2505, 0x0015051b, "c.addiw a0, 1 = addiw a0, a0, 1"},
    {0x357d, 0xfff5051b, "c.addiw a0, -1 = addiw a0, a0, -1"},
    {0x257d, 0x01f5051b, "c.addiw a0, 31 = addiw a0, a0, 31"},
    {0x3501, 0xfe05051b, "c.addiw a0, -32 = addiw a0, a0, -32"},
    {0x2f9d, 0x007f8f9b, "c.addiw t6, 7 = addiw t6, t6, 7"},
    {0x4501, 0x00000513, "c.li a0, 0 = addi a0, zero, 0"},
    {0x4505, 0x00100513, "c.li a0, 1 = addi a0, zero, 1"},
    {0x557d, 0xfff00513, "c.li a0, -1 = addi a0, zero, -1"},
    {0x457d, 0x01f00513, "c.li a0, 31 = addi a0, zero, 31"},
    {0x5501, 0xfe000513, "c.li a0, -32 = addi a0, zero, -32"},
    {0x4f95, 0x00500f93, "c.li t6, 5 = addi t6, zero, 5"},
    {0x50e5, 0xff900093, "c.li ra, -7 = addi ra, zero, -7"},
    {0x6141, 0x01010113, "c.addi16sp sp, 16 = addi sp, sp, 16"},
    {0x6105, 0x02010113, "c.addi16sp sp, 32 = addi sp, sp, 32"},
    {0x6121, 0x04010113, "c.addi16sp sp, 64 = addi sp, sp, 64"},
    {0x6109, 0x08010113, "c.addi16sp sp, 128 = addi sp, sp, 128"},
    {0x6111, 0x10010113, "c.addi16sp sp, 256 = addi sp, sp, 256"},
    {0x717d, 0xff010113, "c.addi16sp sp, -16 = addi sp, sp, -16"},
    {0x7101, 0xe0010113, "c.addi16sp sp, -512 = addi sp, sp, -512"},
    {0x617d, 0x1f010113, "c.addi16sp sp, 496 = addi sp, sp, 496"},
    {0x6505, 0x00001537, "c.lui a0, 0x1 = lui a0, 0x1"},
    {0x6509, 0x00002537, "c.lui a0, 0x2 = lui a0, 0x2"},
    {0x6511, 0x00004537, "c.lui a0, 0x4 = lui a0, 0x4"},
    {0x6521, 0x00008537, "c.lui a0, 0x8 = lui a0, 0x8"},
    {0x6541, 0x00010537, "c.lui a0, 0x10 = lui a0, 0x10"},
    {0x657d, 0x0001f537, "c.lui a0, 0x1f = lui a0, 0x1f"},
    {0x7501, 0xfffe0537, "c.lui a0, 0xfffe0 = lui a0, 0xfffe0"},
    {0x757d, 0xfffff537, "c.lui a0, 0xfffff = lui a0, 0xfffff"},
    {0x7541, 0xffff0537, "c.lui a0, 0xffff0 = lui a0, 0xffff0"},
    {0x608d, 0x000030b7, "c.lui ra, 3 = lui ra, 3"},
    {0x6fc5, 0x00011fb7, "c.lui t6, 0x11 = lui t6, 0x11"},
    {0x7185, 0xfffe11b7, "c.lui gp, 0xfffe1 = lui gp, 0xfffe1"},
    {0x8105, 0x00155513, "c.srli a0, 1 = srli a0, a0, 1"},
    {0x8505, 0x40155513, "c.srai a0, 1 = srai a0, a0, 1"},
    {0x8109, 0x00255513, "c.srli a0, 2 = srli a0, a0, 2"},
    {0x8509, 0x40255513, "c.srai a0, 2 = srai a0, a0, 2"},
    {0x8111, 0x00455513, "c.srli a0, 4 = srli a0, a0, 4"},
    {0x8511, 0x40455513, "c.srai a0, 4 = srai a0, a0, 4"},
    {0x8121, 0x00855513, "c.srli a0, 8 = srli a0, a0, 8"},
    {0x8521, 0x40855513, "c.srai a0, 8 = srai a0, a0, 8"},
    {0x8141, 0x01055513, "c.srli a0, 16 = srli a0, a0, 16"},
    {0x8541, 0x41055513, "c.srai a0, 16 = srai a0, a0, 16"},
    {0x817d, 0x01f55513, "c.srli a0, 31 = srli a0, a0, 31"},
    {0x857d, 0x41f55513, "c.srai a0, 31 = srai a0, a0, 31"},
    {0x9101, 0x02055513, "c.srli a0, 32 = srli a0, a0, 32"},
    {0x9501, 0x42055513, "c.srai a0, 32 = srai a0, a0, 32"},
    {0x917d, 0x03f55513, "c.srli a0, 63 = srli a0, a0, 63"},
    {0x957d, 0x43f55513, "c.srai a0, 63 = srai a0, a0, 63"},
    {0x800d, 0x00345413, "c.srli s0, 3 = srli s0, s0, 3"},
    {0x878d, 0x4037d793, "c.srai a5, 3 = srai a5, a5, 3"},
    {0x8901, 0x00057513, "c.andi a0, 0 = andi a0, a0, 0"},
    {0x8905, 0x00157513, "c.andi a0, 1 = andi a0, a0, 1"},
    {0x997d, 0xfff57513, "c.andi a0, -1 = andi a0, a0, -1"},
    {0x897d, 0x01f57513, "c.andi a0, 31 = andi a0, a0, 31"},
    {0x9901, 0xfe057513, "c.andi a0, -32 = andi a0, a0, -32"},
    {0x893d, 0x00f57513, "c.andi a0, 15 = andi a0, a0, 15"},
    {0x881d, 0x00747413, "c.andi s0, 7 = andi s0, s0, 7"},
    {0x9be1, 0xff87f793, "c.andi a5, -8 = andi a5, a5, -8"},
    {0x8d0d, 0x40b50533, "c.sub a0, a1 = sub a0, a0, a1"},
    {0x8c1d, 0x40f40433, "c.sub s0, a5 = sub s0, s0, a5"},
    {0x8f81, 0x408787b3, "c.sub a5, s0 = sub a5, a5, s0"},
    {0x8d2d, 0x00b54533, "c.xor a0, a1 = xor a0, a0, a1"},
    {0x8c3d, 0x00f44433, "c.xor s0, a5 = xor s0, s0, a5"},
    {0x8fa1, 0x0087c7b3, "c.xor a5, s0 = xor a5, a5, s0"},
    {0x8d4d, 0x00b56533, "c.or a0, a1 = or a0, a0, a1"},
    {0x8c5d, 0x00f46433, "c.or s0, a5 = or s0, s0, a5"},
    {0x8fc1, 0x0087e7b3, "c.or a5, s0 = or a5, a5, s0"},
    {0x8d6d, 0x00b57533, "c.and a0, a1 = and a0, a0, a1"},
    {0x8c7d, 0x00f47433, "c.and s0, a5 = and s0, s0, a5"},
    {0x8fe1, 0x0087f7b3, "c.and a5, s0 = and a5, a5, s0"},
    {0x9d0d, 0x40b5053b, "c.subw a0, a1 = subw a0, a0, a1"},
    {0x9c1d, 0x40f4043b, "c.subw s0, a5 = subw s0, s0, a5"},
    {0x9f81, 0x408787bb, "c.subw a5, s0 = subw a5, a5, s0"},
    {0x9d2d, 0x00b5053b, "c.addw a0, a1 = addw a0, a0, a1"},
    {0x9c3d, 0x00f4043b, "c.addw s0, a5 = addw s0, s0, a5"},
    {0x9fa1, 0x008787bb, "c.addw a5, s0 = addw a5, a5, s0"},
    {0xa009, 0x0020006f, "c.j .+2 = jal zero, .+2"},
    {0xa011, 0x0040006f, "c.j .+4 = jal zero, .+4"},
    {0xa021, 0x0080006f, "c.j .+8 = jal zero, .+8"},
    {0xa801, 0x0100006f, "c.j .+16 = jal zero, .+16"},
    {0xa005, 0x0200006f, "c.j .+32 = jal zero, .+32"},
    {0xa081, 0x0400006f, "c.j .+64 = jal zero, .+64"},
    {0xa041, 0x0800006f, "c.j .+128 = jal zero, .+128"},
    {0xa201, 0x1000006f, "c.j .+256 = jal zero, .+256"},
    {0xa401, 0x2000006f, "c.j .+512 = jal zero, .+512"},
    {0xa101, 0x4000006f, "c.j .+1024 = jal zero, .+1024"},
    {0xaffd, 0x7fe0006f, "c.j .+2046 = jal zero, .+2046"},
    {0xbffd, 0xfffff06f, "c.j .-2 = jal zero, .-2"},
    {0xb001, 0x801ff06f, "c.j .-2048 = jal zero, .-2048"},
    {0xb101, 0xc01ff06f, "c.j .-1024 = jal zero, .-1024"},
    {0xa001, 0x0000006f, "c.j .+0 = jal zero, .+0"},
    {0xc109, 0x00050163, "c.beqz a0, .+2 = beq a0, zero, .+2"},
    {0xe109, 0x00051163, "c.bnez a0, .+2 = bne a0, zero, .+2"},
    {0xc111, 0x00050263, "c.beqz a0, .+4 = beq a0, zero, .+4"},
    {0xe111, 0x00051263, "c.bnez a0, .+4 = bne a0, zero, .+4"},
    {0xc501, 0x00050463, "c.beqz a0, .+8 = beq a0, zero, .+8"},
    {0xe501, 0x00051463, "c.bnez a0, .+8 = bne a0, zero, .+8"},
    {0xc901, 0x00050863, "c.beqz a0, .+16 = beq a0, zero, .+16"},
    {0xe901, 0x00051863, "c.bnez a0, .+16 = bne a0, zero, .+16"},
    {0xc105, 0x02050063, "c.beqz a0, .+32 = beq a0, zero, .+32"},
    {0xe105, 0x02051063, "c.bnez a0, .+32 = bne a0, zero, .+32"},
    {0xc121, 0x04050063, "c.beqz a0, .+64 = beq a0, zero, .+64"},
    {0xe121, 0x04051063, "c.bnez a0, .+64 = bne a0, zero, .+64"},
    {0xc141, 0x08050063, "c.beqz a0, .+128 = beq a0, zero, .+128"},
    {0xe141, 0x08051063, "c.bnez a0, .+128 = bne a0, zero, .+128"},
    {0xcd7d, 0x0e050f63, "c.beqz a0, .+254 = beq a0, zero, .+254"},
    {0xed7d, 0x0e051f63, "c.bnez a0, .+254 = bne a0, zero, .+254"},
    {0xdd7d, 0xfe050fe3, "c.beqz a0, .-2 = beq a0, zero, .-2"},
    {0xfd7d, 0xfe051fe3, "c.bnez a0, .-2 = bne a0, zero, .-2"},
    {0xd101, 0xf00500e3, "c.beqz a0, .-256 = beq a0, zero, .-256"},
    {0xf101, 0xf00510e3, "c.bnez a0, .-256 = bne a0, zero, .-256"},
    {0xd141, 0xf80500e3, "c.beqz a0, .-128 = beq a0, zero, .-128"},
    {0xf141, 0xf80510e3, "c.bnez a0, .-128 = bne a0, zero, .-128"},
    {0xc101, 0x00050063, "c.beqz a0, .+0 = beq a0, zero, .+0"},
    {0xe101, 0x00051063, "c.bnez a0, .+0 = bne a0, zero, .+0"},
    {0xc019, 0x00040363, "c.beqz s0, .+6 = beq s0, zero, .+6"},
    {0xffed, 0xfe079de3, "c.bnez a5, .-6 = bne a5, zero, .-6"},
    {0x0506, 0x00151513, "c.slli a0, 1 = slli a0, a0, 1"},
    {0x050a, 0x00251513, "c.slli a0, 2 = slli a0, a0, 2"},
    {0x0512, 0x00451513, "c.slli a0, 4 = slli a0, a0, 4"},
    {0x0522, 0x00851513, "c.slli a0, 8 = slli a0, a0, 8"},
    {0x0542, 0x01051513, "c.slli a0, 16 = slli a0, a0, 16"},
    {0x057e, 0x01f51513, "c.slli a0, 31 = slli a0, a0, 31"},
    {0x1502, 0x02051513, "c.slli a0, 32 = slli a0, a0, 32"},
    {0x157e, 0x03f51513, "c.slli a0, 63 = slli a0, a0, 63"},
    {0x0096, 0x00509093, "c.slli ra, 5 = slli ra, ra, 5"},
    {0x0f86, 0x001f9f93, "c.slli t6, 1 = slli t6, t6, 1"},
    {0x2502, 0x00013507, "c.fldsp fa0, 0(sp) = fld fa0, 0(sp)"},
    {0x6502, 0x00013503, "c.ldsp a0, 0(sp) = ld a0, 0(sp)"},
    {0xa02a, 0x00a13027, "c.fsdsp fa0, 0(sp) = fsd fa0, 0(sp)"},
    {0xe02a, 0x00a13023, "c.sdsp a0, 0(sp) = sd a0, 0(sp)"},
    {0x2522, 0x00813507, "c.fldsp fa0, 8(sp) = fld fa0, 8(sp)"},
    {0x6522, 0x00813503, "c.ldsp a0, 8(sp) = ld a0, 8(sp)"},
    {0xa42a, 0x00a13427, "c.fsdsp fa0, 8(sp) = fsd fa0, 8(sp)"},
    {0xe42a, 0x00a13423, "c.sdsp a0, 8(sp) = sd a0, 8(sp)"},
    {0x2542, 0x01013507, "c.fldsp fa0, 16(sp) = fld fa0, 16(sp)"},
    {0x6542, 0x01013503, "c.ldsp a0, 16(sp) = ld a0, 16(sp)"},
    {0xa82a, 0x00a13827, "c.fsdsp fa0, 16(sp) = fsd fa0, 16(sp)"},
    {0xe82a, 0x00a13823, "c.sdsp a0, 16(sp) = sd a0, 16(sp)"},
    {0x3502, 0x02013507, "c.fldsp fa0, 32(sp) = fld fa0, 32(sp)"},
    {0x7502, 0x02013503, "c.ldsp a0, 32(sp) = ld a0, 32(sp)"},
    {0xb02a, 0x02a13027, "c.fsdsp fa0, 32(sp) = fsd fa0, 32(sp)"},
    {0xf02a, 0x02a13023, "c.sdsp a0, 32(sp) = sd a0, 32(sp)"},
    {0x2506, 0x04013507, "c.fldsp fa0, 64(sp) = fld fa0, 64(sp)"},
    {0x6506, 0x04013503, "c.ldsp a0, 64(sp) = ld a0, 64(sp)"},
    {0xa0aa, 0x04a13027, "c.fsdsp fa0, 64(sp) = fsd fa0, 64(sp)"},
    {0xe0aa, 0x04a13023, "c.sdsp a0, 64(sp) = sd a0, 64(sp)"},
    {0x250a, 0x08013507, "c.fldsp fa0, 128(sp) = fld fa0, 128(sp)"},
    {0x650a, 0x08013503, "c.ldsp a0, 128(sp) = ld a0, 128(sp)"},
    {0xa12a, 0x08a13027, "c.fsdsp fa0, 128(sp) = fsd fa0, 128(sp)"},
    {0xe12a, 0x08a13023, "c.sdsp a0, 128(sp) = sd a0, 128(sp)"},
    {0x2512, 0x10013507, "c.fldsp fa0, 256(sp) = fld fa0, 256(sp)"},
    {0x6512, 0x10013503, "c.ldsp a0, 256(sp) = ld a0, 256(sp)"},
    {0xa22a, 0x10a13027, "c.fsdsp fa0, 256(sp) = fsd fa0, 256(sp)"},
    {0xe22a, 0x10a13023, "c.sdsp a0, 256(sp) = sd a0, 256(sp)"},
    {0x357e, 0x1f813507, "c.fldsp fa0, 504(sp) = fld fa0, 504(sp)"},
    {0x757e, 0x1f813503, "c.ldsp a0, 504(sp) = ld a0, 504(sp)"},
    {0xbfaa, 0x1ea13c27, "c.fsdsp fa0, 504(sp) = fsd fa0, 504(sp)"},
    {0xffaa, 0x1ea13c23, "c.sdsp a0, 504(sp) = sd a0, 504(sp)"},
    {0x4502, 0x00012503, "c.lwsp a0, 0(sp) = lw a0, 0(sp)"},
    {0xc02a, 0x00a12023, "c.swsp a0, 0(sp) = sw a0, 0(sp)"},
    {0x4512, 0x00412503, "c.lwsp a0, 4(sp) = lw a0, 4(sp)"},
    {0xc22a, 0x00a12223, "c.swsp a0, 4(sp) = sw a0, 4(sp)"},
    {0x4522, 0x00812503, "c.lwsp a0, 8(sp) = lw a0, 8(sp)"},
    {0xc42a, 0x00a12423, "c.swsp a0, 8(sp) = sw a0, 8(sp)"},
    {0x4542, 0x01012503, "c.lwsp a0, 16(sp) = lw a0, 16(sp)"},
    {0xc82a, 0x00a12823, "c.swsp a0, 16(sp) = sw a0, 16(sp)"},
    {0x5502, 0x02012503, "c.lwsp a0, 32(sp) = lw a0, 32(sp)"},
    {0xd02a, 0x02a12023, "c.swsp a0, 32(sp) = sw a0, 32(sp)"},
    {0x4506, 0x04012503, "c.lwsp a0, 64(sp) = lw a0, 64(sp)"},
    {0xc0aa, 0x04a12023, "c.swsp a0, 64(sp) = sw a0, 64(sp)"},
    {0x450a, 0x08012503, "c.lwsp a0, 128(sp) = lw a0, 128(sp)"},
    {0xc12a, 0x08a12023, "c.swsp a0, 128(sp) = sw a0, 128(sp)"},
    {0x557e, 0x0fc12503, "c.lwsp a0, 252(sp) = lw a0, 252(sp)"},
    {0xdfaa, 0x0ea12e23, "c.swsp a0, 252(sp) = sw a0, 252(sp)"},
    {0x2022, 0x00813007, "c.fldsp ft0, 8(sp) = fld ft0, 8(sp)"},
    {0x2fa2, 0x00813f87, "c.fldsp ft11, 8(sp) = fld ft11, 8(sp)"},
    {0x60a2, 0x00813083, "c.ldsp ra, 8(sp) = ld ra, 8(sp)"},
    {0x6fa2, 0x00813f83, "c.ldsp t6, 8(sp) = ld t6, 8(sp)"},
    {0x4092, 0x00412083, "c.lwsp ra, 4(sp) = lw ra, 4(sp)"},
    {0x4f92, 0x00412f83, "c.lwsp t6, 4(sp) = lw t6, 4(sp)"},
    {0xa47e, 0x01f13427, "c.fsdsp ft11, 8(sp) = fsd ft11, 8(sp)"},
    {0xe406, 0x00113423, "c.sdsp ra, 8(sp) = sd ra, 8(sp)"},
    {0xe402, 0x00013423, "c.sdsp zero, 8(sp) = sd zero, 8(sp)"},
    {0xc27e, 0x01f12223, "c.swsp t6, 4(sp) = sw t6, 4(sp)"},
    {0xc202, 0x00012223, "c.swsp zero, 4(sp) = sw zero, 4(sp)"},
    {0x8082, 0x00008067, "c.jr ra = jalr zero, 0(ra)"},
    {0x9082, 0x000080e7, "c.jalr ra = jalr ra, 0(ra)"},
    {0x8502, 0x00050067, "c.jr a0 = jalr zero, 0(a0)"},
    {0x9502, 0x000500e7, "c.jalr a0 = jalr ra, 0(a0)"},
    {0x8f82, 0x000f8067, "c.jr t6 = jalr zero, 0(t6)"},
    {0x9f82, 0x000f80e7, "c.jalr t6 = jalr ra, 0(t6)"},
    {0x8102, 0x00010067, "c.jr sp = jalr zero, 0(sp)"},
    {0x9102, 0x000100e7, "c.jalr sp = jalr ra, 0(sp)"},
    {0x852e, 0x00b00533, "c.mv a0, a1 = add a0, zero, a1"},
    {0x952e, 0x00b50533, "c.add a0, a1 = add a0, a0, a1"},
    {0x8f86, 0x00100fb3, "c.mv t6, ra = add t6, zero, ra"},
    {0x9f86, 0x001f8fb3, "c.add t6, ra = add t6, t6, ra"},
    {0x80fe, 0x01f000b3, "c.mv ra, t6 = add ra, zero, t6"},
    {0x90fe, 0x01f080b3, "c.add ra, t6 = add ra, ra, t6"},
    {0x8122, 0x00800133, "c.mv sp, s0 = add sp, zero, s0"},
    {0x9122, 0x00810133, "c.add sp, s0 = add sp, sp, s0"},
    {0x9002, 0x00100073, "c.ebreak = ebreak"},
};

// HINTs (spec section "HINT Instructions"): the halfword as objdump -M no-aliases names it, and the
// 32-bit form assembled from the instruction it is a form of; none changes architectural state.
constexpr Pair kHints[] = {
    {0x0005, 0x00100013, "c.nop 1 (c.addi zero,1) = addi zero,zero,1"},
    {0x107d, 0xfff00013, "c.addi zero,-1 = addi zero,zero,-1"},
    {0x0501, 0x00050513, "c.addi a0,0 = addi a0,a0,0"},
    {0x4015, 0x00500013, "c.li zero,5 = addi zero,zero,5"},
    {0x6005, 0x00001037, "c.lui zero,0x1 = lui zero,0x1"},
    {0x0006, 0x00101013, "c.slli zero,1 = slli zero,zero,1"},
    {0x0502, 0x00051513, "c.slli64 a0 = slli a0,a0,0"},
    {0x8001, 0x00045413, "c.srli64 s0 = srli s0,s0,0"},
    {0x8401, 0x40045413, "c.srai64 s0 = srai s0,s0,0"},
    {0x802a, 0x00a00033, "c.mv zero,a0 = add zero,zero,a0"},
    {0x902a, 0x00a00033, "c.add zero,a0 = add zero,zero,a0"},
};

struct Reserved {
    uint16_t halfword;
    const char* why;
};

constexpr Reserved kReserved[] = {
    {0x0000, "the all-zero halfword (c.addi4spn with nzuimm = 0, rd' = x8)"},
    {0x0004, "c.addi4spn with nzuimm = 0, rd' = x9"},
    {0x001c, "c.addi4spn with nzuimm = 0, rd' = x15"},
    {0x8000, "quadrant 0, funct3 100"},
    {0x9ffc, "quadrant 0, funct3 100, all other bits set"},
    {0x2005, "c.addiw with rd = x0"},
    {0x6101, "c.addi16sp with nzimm = 0 (objdump shows it; the spec reserves it)"},
    {0x6501, "c.lui a0 with nzimm = 0"},
    {0x6001, "c.lui x0 with nzimm = 0"},
    {0x9c41, "CA format, bit 12 set, funct2 10"},
    {0x9c61, "CA format, bit 12 set, funct2 11"},
    {0x9ffd, "CA format, bit 12 set, funct2 11, all register bits set"},
    {0x4002, "c.lwsp with rd = x0"},
    {0x507e, "c.lwsp with rd = x0, offset bits set"},
    {0x6002, "c.ldsp with rd = x0"},
    {0x8002, "c.jr with rs1 = x0"},
};

}  // namespace

TEST_CASE("every RV64C form expands to the 32-bit instruction the assembler gives", "[rvc]") {
    for (const Pair& p : kForms) {
        INFO(p.text);
        const auto got = expand_compressed(p.compressed);
        REQUIRE(got.has_value());
        CHECK(*got == p.expanded);
    }
}

TEST_CASE("RVC HINTs expand to instructions that change nothing", "[rvc]") {
    for (const Pair& p : kHints) {
        INFO(p.text);
        const auto got = expand_compressed(p.compressed);
        REQUIRE(got.has_value());
        CHECK(*got == p.expanded);
    }
}

TEST_CASE("reserved RVC encodings do not expand", "[rvc]") {
    for (const Reserved& r : kReserved) {
        INFO(r.why);
        CHECK_FALSE(expand_compressed(r.halfword).has_value());
    }
}

TEST_CASE("expansion yields 32-bit encodings and rejects 32-bit halfwords", "[rvc]") {
    unsigned expanded = 0;
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const auto got = expand_compressed(uint16_t(h));
        if ((h & 3) == 3) {
            INFO("halfword " << h);
            CHECK_FALSE(got.has_value());  // the low half of a 32-bit instruction, not an RVC one
            continue;
        }
        if (!got) continue;
        ++expanded;
        INFO("halfword " << h);
        CHECK((*got & 3) == 3);
    }
    // 49152 halfwords in quadrants 0-2, minus 2409 reserved ones (counted against objdump's
    // decoding, which differs only in accepting c.addi16sp 0).
    CHECK(expanded == 49152 - 2409);
}
