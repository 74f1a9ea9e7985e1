#ifndef MATHX_H
#define MATHX_H

#define SCALE 3

int scaled_sum(int a, int b);
int clamp(int value, int low, int high);

#endif
