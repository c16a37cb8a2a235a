/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_snap_file.h
 * A snapshot (sl_snap.h) in a file: written whole and atomically (a
 * temporary file next to it, fsync, rename, fsync of the folder: a crash
 * leaves the old file or the new one, never half of one), read whole, and
 * set aside as PATH.bad when it cannot be used, so that the next stop does
 * not overwrite what someone may want to look at.
 */
#ifndef SL_SNAP_FILE_H
#define SL_SNAP_FILE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest snapshot file read (1 GiB: about 3 million rules). */
#define SL_SNAP_FILE_MAX (1ull << 30)

/**
 * Replace @p path by @p len bytes at @p buf, atomically (PATH.tmp, fsync,
 * rename, fsync of the folder). The file gets mode 0600.
 * @param path   the file
 * @param buf    the bytes
 * @param len    their number
 * @param err    out: on failure, the file and the system's reason
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set (@p path unchanged; PATH.tmp removed).
 */
int sl_snap_file_write(const char *path, const void *buf, size_t len, char *err, size_t errlen);

/**
 * Read @p path whole.
 * @param path   the file
 * @param buf    out: its bytes (malloc'd: free() them)
 * @param len    out: their number
 * @param err    out: on failure, the file and the reason
 * @param errlen bytes at @p err
 * @return 0; 1 when there is no such file (nothing allocated); -1 with
 *         @p err set (unreadable, not a regular file, larger than
 *         SL_SNAP_FILE_MAX).
 */
int sl_snap_file_read(const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen);

/**
 * Rename @p path to PATH.bad (replacing an older one).
 * @param path    the file
 * @param bad     out: the new name
 * @param badlen  bytes at @p bad
 * @return 0, or -1 (errno set).
 */
int sl_snap_file_set_aside(const char *path, char *bad, size_t badlen);

#ifdef __cplusplus
}
#endif
#endif /* SL_SNAP_FILE_H */
