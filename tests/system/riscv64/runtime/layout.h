/* Sizes and magic numbers shared by the runtime's assembly and C files. */
#pragma once

#define RT_NHARTS 8            /* harts with a stack; others park at boot */
#define RT_STACK_SHIFT 14      /* 16 KiB stack per hart */
#define RT_TRAP_STACK_SHIFT 12 /* 4 KiB M and S trap stacks per hart */
#define RT_TLS_BLOCK 1024      /* per-hart thread-local block (link.ld checks the size) */
#define RT_FRAME_SIZE 304      /* struct rt_frame, rounded up to 16 */
#define RT_FRAME_EPC 256
#define RT_FRAME_CAUSE 264
#define RT_FRAME_TVAL 272
#define RT_FRAME_STATUS 280
#define RT_FRAME_VECTOR 288
#define RT_RUN_MAGIC 0x52554e5254 /* a7 of the ecall that ends rt_run's lower-mode call */
#define RT_TO_M_MAGIC 0x544f4d    /* a7 of an ecall that continues after it in M-mode */
