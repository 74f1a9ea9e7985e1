#include "mathx.h"

int scaled_sum(int a, int b)
{
    return (a + b) * SCALE;
}

int clamp(int value, int low, int high)
{
    if (value < low)
        return low;
    if (value > high)
        return high;
    return value;
}
