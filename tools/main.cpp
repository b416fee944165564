#include <cstdio>
int main() { std::puts("stride: not built yet"); return 0; }
