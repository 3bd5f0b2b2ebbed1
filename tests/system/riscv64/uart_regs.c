/* uart_regs: the virt board's NS16550A at 0x10000000. LSR shows an empty transmitter and no
 * received data; IIR reports no interrupt, then (FIFOs on) a transmitter-empty interrupt once
 * IER enables it, cleared by reading IIR; the scratch register, LCR, IER and the divisor latch
 * (DLAB = 1) hold what is written; loopback (MCR bit 4) returns a sent byte through RBR/LSR.DR.
 * Register values are collected quietly and printed after the UART is back in its normal state. */
#include "runtime.h"

#define UART ((volatile uint8_t*)0x10000000ul)
enum { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7 };

int main(void) {
    uint8_t lsr = UART[LSR], iir = UART[IIR];
    rt_check("LSR after reset: THRE and TEMT, no data", 0x60, lsr);
    rt_check("IIR after reset: no interrupt pending", 0x01, iir);

    UART[SCR] = 0xa5;
    uint8_t scr1 = UART[SCR];
    UART[SCR] = 0x5a;
    uint8_t scr2 = UART[SCR];
    rt_check("scratch register holds 0xa5", 0xa5, scr1);
    rt_check("scratch register holds 0x5a", 0x5a, scr2);

    uint8_t lcr = UART[LCR];
    UART[LCR] = 0x1b; /* 8 bits, 2 stop bits, even parity */
    uint8_t lcr_new = UART[LCR];
    UART[LCR] = lcr | 0x80;
    UART[DLL] = 0x34;
    UART[DLM] = 0x12;
    uint8_t dll = UART[DLL], dlm = UART[DLM];
    UART[LCR] = lcr;
    uint8_t ier_after = UART[IER];
    rt_check("LCR holds 0x1b", 0x1b, lcr_new);
    rt_check("divisor latch low", 0x34, dll);
    rt_check("divisor latch high", 0x12, dlm);
    rt_check("DLAB = 0: offset 1 is IER again", 0x00, ier_after);

    UART[FCR] = 0x07; /* enable and reset the FIFOs */
    uint8_t iir_fifo = UART[IIR];
    UART[IER] = 0x02; /* transmitter holding register empty */
    uint8_t ier = UART[IER];
    uint8_t iir_thre = UART[IIR];
    uint8_t iir_after = UART[IIR];
    UART[IER] = 0;
    rt_check("IIR with FIFOs on, no interrupt", 0xc1, iir_fifo);
    rt_check("IER holds ETBEI", 0x02, ier);
    rt_check("IIR: transmitter-empty interrupt", 0xc2, iir_thre);
    rt_check("  cleared by reading IIR", 0xc1, iir_after);

    uint8_t mcr = UART[MCR];
    UART[MCR] = 0x10; /* loopback */
    UART[THR] = 'Z';
    uint8_t lsr_rx = 0;
    for (int i = 0; i < 1000 && !(lsr_rx & 1); i++) lsr_rx = UART[LSR];
    uint8_t rbr = UART[RBR];
    uint8_t lsr_empty = UART[LSR];
    UART[MCR] = mcr;
    rt_check("loopback: LSR.DR after sending", 1, lsr_rx & 1);
    rt_check("loopback: RBR returns the byte", 'Z', rbr);
    rt_check("loopback: DR clear after reading RBR", 0, lsr_empty & 1);
    rt_check("LSR back to idle", 0x60, UART[LSR]);
    return 0;
}
