/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * `sluicectl upgrade [PATH]` (upgrade.c).
 */
#ifndef SLUICECTL_UPGRADE_H
#define SLUICECTL_UPGRADE_H

/**
 * Start PATH --take-over beside the sluiced on @p sock and wait for the
 * hand-over (docs/upgrade.md).
 * @param sock      the running sluiced's management socket
 * @param argc      words, "upgrade" first
 * @param argv      the words: "upgrade" [PATH]
 * @param timeout_s how long to wait at least (120 s or more)
 * @return 0 upgraded, 1 refused or failed (the running one keeps the
 *         switch), 2 no answer.
 */
int sluicectl_upgrade(const char *sock, int argc, char **argv, int timeout_s);

#endif /* SLUICECTL_UPGRADE_H */
