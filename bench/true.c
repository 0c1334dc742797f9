// SPDX-License-Identifier: Apache-2.0
/* The container baseline's entrypoint: a static program that does nothing. */
int main(void) { return 0; }
