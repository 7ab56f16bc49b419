/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcivmm release BDF...: gives managed devices back to their host drivers
 * when pcivmm and its reaper could not (binding.h), and masks a device left
 * asserting INTx. Refuses a device a running pcivmm still has.
 */
#ifndef PCIVMM_RELEASE_H
#define PCIVMM_RELEASE_H

/* argv[0] is "pcivmm", argv[1] "release". Returns the exit status (exit_codes.h). */
int release__main(int argc, char **argv);

#endif
