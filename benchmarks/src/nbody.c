/* nbody: the classic five-body (Sun and Jovian planets) simulation in double precision.
 * Stresses FP add/mul/div/sqrt and FP loads/stores. Built with -ffp-contract=off so that x86-64
 * and riscv64 round identically and the checksum (the final energy's bits) matches. */
#include <math.h>
#include <string.h>

#include "bench.h"

enum { kSteps = 600000 };

#define kPi 3.141592653589793
#define kSolarMass (4 * kPi * kPi)
#define kDaysPerYear 365.24

struct Body {
    double x, y, z, vx, vy, vz, mass;
};

static struct Body bodies[5] = {
    {0, 0, 0, 0, 0, 0, kSolarMass},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * kDaysPerYear, 7.69901118419740425e-03 * kDaysPerYear,
     -6.90460016972063023e-05 * kDaysPerYear, 9.54791938424326609e-04 * kSolarMass},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * kDaysPerYear, 4.99852801234917238e-03 * kDaysPerYear,
     2.30417297573763929e-05 * kDaysPerYear, 2.85885980666130812e-04 * kSolarMass},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * kDaysPerYear, 2.37847173959480950e-03 * kDaysPerYear,
     -2.96589568540237556e-05 * kDaysPerYear, 4.36624404335156298e-05 * kSolarMass},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * kDaysPerYear, 1.62824170038242295e-03 * kDaysPerYear,
     -9.51592254519715870e-05 * kDaysPerYear, 5.15138902046611451e-05 * kSolarMass}};

static void advance(double dt)
{
    for (int i = 0; i < 5; i++) {
        struct Body *a = &bodies[i];
        for (int j = i + 1; j < 5; j++) {
            struct Body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            a->vx -= dx * b->mass * mag;
            a->vy -= dy * b->mass * mag;
            a->vz -= dz * b->mass * mag;
            b->vx += dx * a->mass * mag;
            b->vy += dy * a->mass * mag;
            b->vz += dz * a->mass * mag;
        }
    }
    for (int i = 0; i < 5; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < 5; i++) {
        struct Body *a = &bodies[i];
        e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < 5; j++) {
            struct Body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            e -= a->mass * b->mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

int main(void)
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < 5; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / kSolarMass;
    bodies[0].vy = -py / kSolarMass;
    bodies[0].vz = -pz / kSolarMass;
    double e0 = energy();
    for (int s = 0; s < kSteps; s++)
        advance(0.01);
    double e1 = energy();
    /* Known values of this benchmark: -0.169075164 before, about -0.16908 after. */
    if (!(e0 < -0.169075 && e0 > -0.169076) || !(e1 < -0.1690 && e1 > -0.1692)) {
        printf("nbody: energy out of range: %.9f %.9f\n", e0, e1);
        return 1;
    }
    uint64_t bits;
    memcpy(&bits, &e1, sizeof bits);
    return bench_report("nbody", bits);
}
