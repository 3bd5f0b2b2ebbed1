/* mandelbrot: escape-time iteration counts over a grid of the complex plane, in double
 * precision. Stresses FP multiply/add, FP compares and a short data-dependent inner loop. */
#include "bench.h"

enum { kWidth = 800, kHeight = 600, kMaxIter = 256 };

int main(void)
{
    uint64_t sum = 0, total = 0;
    for (int py = 0; py < kHeight; py++) {
        double ci = -1.2 + 2.4 * py / kHeight;
        for (int px = 0; px < kWidth; px++) {
            double cr = -2.1 + 3.0 * px / kWidth;
            double zr = 0, zi = 0;
            int it = 0;
            while (it < kMaxIter) {
                double zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0)
                    break;
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                it++;
            }
            total += (uint64_t)it;
            sum = sum * 131 + (uint64_t)it;
        }
    }
    return bench_report("mandelbrot", sum ^ (total << 40));
}
