/* INTERNAL to lib/ofp: big-endian loads and stores on unaligned bytes. */
#ifndef SL_OFP_WIRE_H
#define SL_OFP_WIRE_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t sl_rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t sl_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t sl_rd64(const uint8_t *p) { return (uint64_t)sl_rd32(p) << 32 | sl_rd32(p + 4); }

/** Read an n-byte (n <= 8) big-endian unsigned integer. */
static inline uint64_t sl_rdn(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/** Write an n-byte (n <= 8) big-endian unsigned integer. */
static inline void sl_wrn(uint8_t *p, size_t n, uint64_t v)
{
	for (size_t i = n; i-- > 0;) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}
static inline void sl_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void sl_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif /* SL_OFP_WIRE_H */
