# Random-instruction differential test for RISC-V (mimic-riscv64 against qemu-riscv64).
# Included from tests/diff/CMakeLists.txt. Tests:
#   diff.riscv64.random            mimic vs qemu, fixed seed (needs the mimic-riscv64 target)
#   diff.riscv64.random_one_insn   the same with -one-insn-per-tb
#   diff.riscv64.random_reference  qemu vs qemu: the harness and generator give stable, fault-free runs
#   diff.riscv64.random_encoding   the generator's encoder agrees with GNU as
#   diff.riscv64.random_coverage   every instruction class appears in the generated cases
# A test whose tools are missing prints why and is reported as skipped (exit code 77).

set(RISCV_RANDOM_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "")
set(RISCV_RANDOM_SEED 20240601 CACHE INTERNAL "")
set(RISCV_RANDOM_COUNT 500 CACHE INTERNAL "")

add_executable(riscv_random_gen
  ${RISCV_RANDOM_DIR}/riscv_random_gen.cpp
  ${RISCV_RANDOM_DIR}/riscv_random_encode.cpp
  ${RISCV_RANDOM_DIR}/riscv_random_ops_int.cpp
  ${RISCV_RANDOM_DIR}/riscv_random_ops_fp.cpp
  ${RISCV_RANDOM_DIR}/riscv_random_ops_c.cpp)
target_include_directories(riscv_random_gen PRIVATE ${RISCV_RANDOM_DIR})
target_compile_features(riscv_random_gen PRIVATE cxx_std_20)

find_program(RISCV_RANDOM_QEMU qemu-riscv64)
find_program(RISCV_RANDOM_GCC riscv64-linux-gnu-gcc)
find_program(RISCV_RANDOM_AS riscv64-linux-gnu-as)
find_program(RISCV_RANDOM_OBJCOPY riscv64-linux-gnu-objcopy)

function(riscv_random_add_skipped name why)
  add_test(NAME ${name} COMMAND sh -c "echo 'skipped: ${why}'; exit 77")
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77)
endfunction()

add_test(NAME diff.riscv64.random_coverage
  COMMAND $<TARGET_FILE:riscv_random_gen> --seed ${RISCV_RANDOM_SEED} --count ${RISCV_RANDOM_COUNT} --stats)

if(RISCV_RANDOM_AS AND RISCV_RANDOM_OBJCOPY)
  add_test(NAME diff.riscv64.random_encoding
    COMMAND ${CMAKE_COMMAND} -E env RISCV_AS=${RISCV_RANDOM_AS} RISCV_OBJCOPY=${RISCV_RANDOM_OBJCOPY}
            bash ${RISCV_RANDOM_DIR}/riscv_random_check_encoding.sh $<TARGET_FILE:riscv_random_gen>
            ${RISCV_RANDOM_SEED} 2000)
else()
  riscv_random_add_skipped(diff.riscv64.random_encoding "riscv64-linux-gnu-as/objcopy not found")
endif()

set(RISCV_RANDOM_HARNESS ${CMAKE_CURRENT_BINARY_DIR}/riscv_harness CACHE INTERNAL "")
if(RISCV_RANDOM_GCC)
  add_custom_command(
    OUTPUT ${RISCV_RANDOM_HARNESS}
    COMMAND ${RISCV_RANDOM_GCC} -static -O2 -march=rv64gc -mabi=lp64d -Wall -Wextra
            -I${RISCV_RANDOM_DIR} -o ${RISCV_RANDOM_HARNESS}
            ${RISCV_RANDOM_DIR}/riscv_harness.c ${RISCV_RANDOM_DIR}/riscv_harness_entry.S
    DEPENDS ${RISCV_RANDOM_DIR}/riscv_harness.c ${RISCV_RANDOM_DIR}/riscv_harness_entry.S
            ${RISCV_RANDOM_DIR}/riscv_harness_layout.h
    COMMENT "Building the RISC-V random-instruction harness (guest program)"
    VERBATIM)
  add_custom_target(riscv_harness_guest ALL DEPENDS ${RISCV_RANDOM_HARNESS})
endif()

set(RISCV_RANDOM_MISSING "")
if(NOT RISCV_RANDOM_QEMU)
  set(RISCV_RANDOM_MISSING "qemu-riscv64 (Debian qemu-user) not found")
elseif(NOT RISCV_RANDOM_GCC)
  set(RISCV_RANDOM_MISSING "riscv64-linux-gnu-gcc (Debian gcc-riscv64-linux-gnu) not found")
endif()
set(RISCV_RANDOM_MISSING "${RISCV_RANDOM_MISSING}" CACHE INTERNAL "")

# run_random.sh <mimic-cmd> <harness> <gen> <seed> <count>; qemu is the reference.
function(riscv_random_add_diff name mimic_cmd)
  if(RISCV_RANDOM_MISSING)
    riscv_random_add_skipped(${name} "${RISCV_RANDOM_MISSING}")
    return()
  endif()
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env QEMU_RISCV64=${RISCV_RANDOM_QEMU}
            bash ${RISCV_RANDOM_DIR}/run_random.sh ${mimic_cmd} ${RISCV_RANDOM_HARNESS}
            $<TARGET_FILE:riscv_random_gen> ${RISCV_RANDOM_SEED} ${RISCV_RANDOM_COUNT})
  set_tests_properties(${name} PROPERTIES TIMEOUT 900)
endfunction()

riscv_random_add_diff(diff.riscv64.random_reference ${RISCV_RANDOM_QEMU})

# The mimic-riscv64 target may be defined after this directory (apps/ added later), so the check
# also runs once more at the end of the top-level directory.
function(riscv_random_add_mimic_test)
  if(TARGET mimic-riscv64)
    riscv_random_add_diff(diff.riscv64.random "$<TARGET_FILE:mimic-riscv64>")
    # Same cases with a block boundary after every instruction (state hand-over between blocks).
    riscv_random_add_diff(diff.riscv64.random_one_insn "$<TARGET_FILE:mimic-riscv64> -one-insn-per-tb")
    # Same cases compiled by the LLVM tier (every block), which the default tiered mode rarely
    # reaches in cases this short.
    riscv_random_add_diff(diff_llvm.riscv64.random "$<TARGET_FILE:mimic-riscv64> -tier llvm")
  else()
    riscv_random_add_skipped(diff.riscv64.random "no mimic-riscv64 target in this build")
  endif()
endfunction()
if(TARGET mimic-riscv64)
  riscv_random_add_mimic_test()
else()
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL riscv_random_add_mimic_test)
endif()
