// floor: the least work any correct prefix aggregator must do, as a measuring stick for `fwrules aggregate`
// (benchmarks/floor/README.md). Not a product: it trusts its input. mmap the file, parse each line's address and prefix
// length, LSD radix sort by start address, merge overlapping and adjacent ranges, cut each merged range into the fewest
// CIDR blocks, print them (IPv4 first, then IPv6), one write per megabyte.
// Build: gcc -O3 -march=native -o floor floor.c     Usage: floor FILE
#include <fcntl.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef unsigned __int128 u128;
typedef struct { uint64_t hi, lo; uint64_t len; } v6item; // start address (host bits cleared) and prefix length

static uint64_t *v4, *v4tmp; // (start << 32) | last address of the block
static v6item *v6, *v6tmp;
static size_t n4, n6;

static char *out, *op;
#define OUT_CHUNK (1 << 20)

static void flush_out(int force) {
    if (op - out >= OUT_CHUNK || (force && op > out)) {
        const char *p = out;
        while (p < op) {
            ssize_t w = write(1, p, op - p);
            if (w <= 0) exit(1);
            p += w;
        }
        op = out;
    }
}

// Room for the most lines the file can hold (a line is at least 3 bytes: "::\n"; an IPv4 one at least 8), reserved at once
// and touched only as used, on huge pages where the kernel gives them: no copying as the lists grow, few page faults.
static void *reserve(size_t bytes) {
    bytes = (bytes + 4096 + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) exit(3);
    madvise(p, bytes, MADV_HUGEPAGE);
    return p;
}

static signed char hexdigit[256]; // the value of a hex digit, -1 for any other byte

static void init_hex(void) {
    for (int c = 0; c < 256; c++)
        hexdigit[c] = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

static inline int hexval(unsigned char c) { return hexdigit[c]; }

// Parses one IPv6 line from p (groups of hex, one "::"; no dotted IPv4 tail), optional /len. Returns the end of the line.
// Two 32-byte loads give the colons and the first other character; each group is four bytes turned to a number at once (pext).
static const char *parse_v6(const char *p, const char *end) {
    (void)end;
    uint16_t g[8];
    int n = 0, gap = -1;
    uint64_t colons = 0, hex = 0;
    for (int half = 0; half < 2; half++) {
        __m256i c = _mm256_loadu_si256((const __m256i *)(p + 32 * half)), l = _mm256_or_si256(c, _mm256_set1_epi8(0x20));
        __m256i digit = _mm256_and_si256(_mm256_cmpgt_epi8(c, _mm256_set1_epi8('0' - 1)), _mm256_cmpgt_epi8(_mm256_set1_epi8('9' + 1), c));
        __m256i letter = _mm256_and_si256(_mm256_cmpgt_epi8(l, _mm256_set1_epi8('a' - 1)), _mm256_cmpgt_epi8(_mm256_set1_epi8('f' + 1), l));
        colons |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c, _mm256_set1_epi8(':'))) << (32 * half);
        hex |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(digit, letter)) << (32 * half);
    }
    int term = __builtin_ctzll(~(colons | hex) | (uint64_t)1 << 63); // lines longer than 63 characters are not read
    uint64_t bounds = (colons & (((uint64_t)1 << term) - 1)) | (uint64_t)1 << term;
    int prev = -1;
    while (bounds && n < 8) {
        int b = __builtin_ctzll(bounds);
        bounds &= bounds - 1;
        int len = b - prev - 1;
        if (len == 0) { if (gap < 0) gap = n; }
        else {
            uint32_t x;
            memcpy(&x, p + prev + 1, 4);
            x = __builtin_bswap32(x) >> (8 * (4 - len));   // the group's characters, the last in the lowest byte
            x = (x & 0x0f0f0f0fu) + ((x >> 6) & 0x01010101u) * 9; // '0'-'9' -> 0-9, 'a'-'f' and 'A'-'F' -> 10-15
            g[n++] = (uint16_t)_pext_u32(x, 0x0f0f0f0f);
        }
        prev = b;
    }
    p += term;
    uint16_t full[8] = {0};
    if (gap < 0) memcpy(full, g, sizeof g);
    else {
        memcpy(full, g, gap * 2);
        memcpy(full + 8 - (n - gap), g + gap, (n - gap) * 2);
    }
    unsigned len = 128;
    if (p < end && *p == '/') {
        p++;
        len = 0;
        while (p < end && (unsigned)(*p - '0') < 10u) len = len * 10 + (*p++ - '0');
    }
    uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 4; i++) hi = hi << 16 | full[i];
    for (int i = 4; i < 8; i++) lo = lo << 16 | full[i];
    u128 a = (u128)hi << 64 | lo;
    if (len < 128) a &= ~(((u128)1 << (128 - len)) - 1) ; // host bits cleared, not refused
    v6[n6++] = (v6item){(uint64_t)(a >> 64), (uint64_t)a, len};
    while (p < end && *p != '\n') p++;
    return p;
}

// IPv4 fast path: one 16-byte load; the dots and the first other character give the four octets' lengths (81 shapes), whose
// shuffle puts each octet's digits as hundreds, tens, ones for two multiply-adds. Other lines take the scalar path below.
static __m128i shapes[81];

static void init_shapes(void) {
    for (int s = 0; s < 81; s++) {
        int len[4] = {s / 27 + 1, s / 9 % 3 + 1, s / 3 % 3 + 1, s % 3 + 1}, start = 0;
        signed char b[16];
        memset(b, 0x80, sizeof b);
        for (int o = 0; o < 4; o++) { // octet o goes to lane 3 - o, so the result's low byte is the last octet
            signed char *lane = b + 4 * (3 - o);
            for (int k = 0; k < len[o]; k++) lane[3 - len[o] + k] = (signed char)(start + k);
            start += len[o] + 1;
        }
        shapes[s] = _mm_loadu_si128((const __m128i *)b);
    }
}

static inline const char *parse_v4_fast(const char *p) {
    __m128i raw = _mm_loadu_si128((const __m128i *)p);
    unsigned dots = _mm_movemask_epi8(_mm_cmpeq_epi8(raw, _mm_set1_epi8('.')));
    unsigned digits = _mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(raw, _mm_set1_epi8('0' - 1)), _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), raw)));
    unsigned term = __builtin_ctz(~(dots | digits) | 0x10000u);
    unsigned d1 = __builtin_ctz(dots | 0x10000u), m = dots & (dots - 1);
    unsigned d2 = __builtin_ctz(m | 0x10000u); m &= m - 1;
    unsigned d3 = __builtin_ctz(m | 0x10000u);
    unsigned l1 = d1 - 1, l2 = d2 - d1 - 2, l3 = d3 - d2 - 2, l4 = term - d3 - 2; // each 0..2 when the shape is an address
    char c = p[term];
    if ((l1 > 2) | (l2 > 2) | (l3 > 2) | (l4 > 2) | (term >= 16) || (c != '/' && c != '\n')) return NULL;
    __m128i v = _mm_shuffle_epi8(_mm_sub_epi8(raw, _mm_set1_epi8('0')), shapes[l1 * 27 + l2 * 9 + l3 * 3 + l4]);
    v = _mm_madd_epi16(_mm_maddubs_epi16(v, _mm_set1_epi32(0x00010a64)), _mm_set1_epi16(1));
    v = _mm_shuffle_epi8(v, _mm_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
    uint32_t a = (uint32_t)_mm_cvtsi128_si32(v);
    const char *q = p + term;
    unsigned len = 32;
    if (c == '/') {
        len = (unsigned)(q[1] - '0');
        if ((unsigned)(q[2] - '0') < 10u) { len = len * 10 + (unsigned)(q[2] - '0'); q += 3; } else q += 2;
        if (*q != '\n') return NULL;
    }
    uint32_t host = len >= 32 ? 0 : 0xffffffffu >> len;
    a &= ~host;
    v4[n4++] = (uint64_t)a << 32 | (a | host);
    return q + 1;
}

static void parse(const char *p, const char *end) {
    init_shapes();
    while (p < end) {
        const char *line = p;
        // A colon in the first five bytes of a line that starts with one or a hex digit: IPv6 (its first group has at most
        // four digits); IPv4 has none.
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), _mm_set1_epi8(':'))) & 0x1f
            && (*p == ':' || hexval((unsigned char)*p) >= 0)) {
            p = parse_v6(p, end) + 1;
            continue;
        }
        const char *next = parse_v4_fast(p);
        if (next) { p = next; continue; }
        if (*p == '\n' || *p == '\r' || *p == '#') { // blank or comment line
            const char *nl = memchr(p, '\n', end - p);
            p = nl ? nl + 1 : end;
            continue;
        }
        unsigned a = 0, oct = 0;
        int dots = 0;
        for (;;) { // IPv4 until the first character that is not a digit or a dot
            unsigned c = (unsigned char)*p - '0';
            if (c < 10u) oct = oct * 10 + c;
            else if (*p == '.') { a = a << 8 | oct; oct = 0; dots++; }
            else break;
            if (++p == end) break;
        }
        if (p < end && (*p == ':' || hexval((unsigned char)*p) >= 0)) { p = parse_v6(line, end) + 1; continue; }
        a = a << 8 | oct;
        unsigned len = 32;
        if (p < end && *p == '/') {
            p++;
            len = 0;
            while (p < end && (unsigned)(*p - '0') < 10u) len = len * 10 + (*p++ - '0');
        }
        uint32_t size = len ? (uint32_t)(0xffffffffu >> len) : 0xffffffffu; // host part
        if (len >= 32) size = 0;
        a &= ~size;
        v4[n4++] = (uint64_t)a << 32 | (a | size);
        (void)dots;
        while (p < end && *p != '\n') p++; // CR and anything else to the end of the line
        p++;
    }
}

// LSD radix sort of v4 by its top 32 bits, 11-bit digits; a digit every key shares is skipped.
static void sort_v4(void) {
    static uint32_t count[3][2048];
    for (size_t i = 0; i < n4; i++) {
        uint64_t k = v4[i] >> 32;
        count[0][k & 2047]++; count[1][k >> 11 & 2047]++; count[2][k >> 22]++;
    }
    v4tmp = reserve(n4 * sizeof *v4tmp);
    for (int d = 0; d < 3; d++) {
        uint32_t *c = count[d], sum = 0;
        int shift = 32 + d * 11;
        if (n4 && c[(v4[0] >> shift) & 2047] == n4) continue;
        for (int b = 0; b < 2048; b++) { uint32_t t = c[b]; c[b] = sum; sum += t; }
        for (size_t i = 0; i < n4; i++) { uint64_t x = v4[i]; v4tmp[c[(x >> shift) & 2047]++] = x; }
        uint64_t *t = v4; v4 = v4tmp; v4tmp = t;
    }
}

static int cmp_lo(const void *x, const void *y) {
    uint64_t a = ((const v6item *)x)->lo, b = ((const v6item *)y)->lo;
    return a < b ? -1 : a > b;
}

// LSD radix sort of v6 by the top 64 bits (11-bit digits, shared digits skipped), then each run of equal top halves by the bottom.
static void sort_v6(void) {
    static uint32_t count[6][2048];
    for (size_t i = 0; i < n6; i++) {
        uint64_t k = v6[i].hi;
        for (int d = 0; d < 6; d++) count[d][k >> (d * 11) & 2047]++;
    }
    v6tmp = reserve(n6 * sizeof *v6tmp);
    for (int d = 0; d < 6; d++) {
        uint32_t *c = count[d], sum = 0;
        int shift = d * 11;
        if (n6 && c[(v6[0].hi >> shift) & 2047] == n6) continue;
        for (int b = 0; b < 2048; b++) { uint32_t t = c[b]; c[b] = sum; sum += t; }
        for (size_t i = 0; i < n6; i++) v6tmp[c[(v6[i].hi >> shift) & 2047]++] = v6[i];
        v6item *t = v6; v6 = v6tmp; v6tmp = t;
    }
    for (size_t i = 0, j; i < n6; i = j) {
        for (j = i + 1; j < n6 && v6[j].hi == v6[i].hi; j++) {}
        if (j - i > 1) qsort(v6 + i, j - i, sizeof *v6, cmp_lo);
    }
}

static char *put_u8(char *o, unsigned v) {
    if (v >= 100) { *o++ = '0' + v / 100; v %= 100; *o++ = '0' + v / 10; *o++ = '0' + v % 10; }
    else if (v >= 10) { *o++ = '0' + v / 10; *o++ = '0' + v % 10; }
    else *o++ = '0' + v;
    return o;
}

// Each octet's digits (up to three), their count in the top byte: four bytes written at once.
static uint32_t octets[256];

static void init_octets(void) {
    for (unsigned v = 0; v < 256; v++) {
        char b[4] = {0};
        int n = 0;
        if (v >= 100) b[n++] = '0' + v / 100;
        if (v >= 10) b[n++] = '0' + v / 10 % 10;
        b[n++] = '0' + v % 10;
        octets[v] = (uint32_t)(unsigned char)b[0] | (uint32_t)(unsigned char)b[1] << 8 | (uint32_t)(unsigned char)b[2] << 16 | (uint32_t)n << 24;
    }
}

static inline char *put_octet(char *o, unsigned v) {
    uint32_t e = octets[v];
    memcpy(o, &e, 4); // the digits, then the count, which the dot overwrites or the next octet does
    uint32_t n = e >> 24;
    o[n] = '.';
    return o + n + 1;
}

static void emit_v4(uint32_t a, int len) {
    char *o = op;
    o = put_octet(o, a >> 24); o = put_octet(o, a >> 16 & 255); o = put_octet(o, a >> 8 & 255); o = put_octet(o, a & 255);
    o[-1] = '/';
    o = put_u8(o, len); *o++ = '\n';
    op = o;
    flush_out(0);
}

// [s, e] as the fewest CIDR blocks: at each step the largest block aligned at s that ends at or before e.
static void decompose_v4(uint64_t s, uint64_t e) {
    while (s <= e) {
        int fit = 63 - __builtin_clzll(e - s + 1), bits = s ? __builtin_ctzll(s) : 32;
        if (fit < bits) bits = fit;
        emit_v4((uint32_t)s, 32 - bits);
        s += (uint64_t)1 << bits;
    }
}

static void merge_v4(void) {
    if (!n4) return;
    uint64_t s = v4[0] >> 32, e = (uint32_t)v4[0];
    for (size_t i = 1; i < n4; i++) {
        uint64_t ns = v4[i] >> 32, ne = (uint32_t)v4[i];
        if (ns <= e + 1) { if (ne > e) e = ne; }
        else { decompose_v4(s, e); s = ns; e = ne; }
    }
    decompose_v4(s, e);
}

// For each set of zero groups (bit i: group i is zero), where RFC 5952's "::" goes: the longest run of two or more, the first
// if tied; start 8 for none.
static unsigned char gap_start[256], gap_len[256];

static void init_gaps(void) {
    for (int m = 0; m < 256; m++) {
        int best = 8, bestlen = 1;
        for (int i = 0; i < 8;) {
            if (!(m >> i & 1)) { i++; continue; }
            int j = i;
            while (j < 8 && (m >> j & 1)) j++;
            if (j - i > bestlen) { best = i; bestlen = j - i; }
            i = j;
        }
        gap_start[m] = (unsigned char)best;
        gap_len[m] = (unsigned char)(best == 8 ? 0 : bestlen);
    }
}

// One group as lower-case hex without leading zeros: four characters made at once (pdep), the leading zeros shifted off.
static inline char *put_group(char *o, unsigned g) {
    uint32_t x = _pdep_u32(g, 0x0f0f0f0f); // nibble 3 in byte 0 after the swap below
    x = __builtin_bswap32(x);
    uint32_t letters = ((x + 0x06060606u) >> 4) & 0x01010101u;
    x += 0x30303030u + letters * 0x27u;
    int n = g ? (35 - __builtin_clz(g)) >> 2 : 1;
    x >>= 8 * (4 - n);
    memcpy(o, &x, 4);
    return o + n;
}

static void emit_v6(u128 a, int len) {
    unsigned g[8], zeros = 0;
    for (int i = 0; i < 8; i++) { g[i] = (unsigned)(a >> (112 - 16 * i)) & 0xffff; zeros |= (unsigned)!g[i] << i; }
    int best = gap_start[zeros], end = best + gap_len[zeros];
    char *o = op;
    for (int i = 0; i < 8; i++) {
        if (i == best) { *o++ = ':'; *o++ = ':'; i = end - 1; continue; }
        if (i && i != end) *o++ = ':';
        o = put_group(o, g[i]);
    }
    *o++ = '/'; o = put_u8(o, len); *o++ = '\n';
    op = o;
    flush_out(0);
}

static int log2_128(u128 x) { return (uint64_t)(x >> 64) ? 127 - __builtin_clzll((uint64_t)(x >> 64)) : 63 - __builtin_clzll((uint64_t)x); }

static void decompose_v6(u128 s, u128 e) {
    if (s == 0 && e == ~(u128)0) { emit_v6(0, 0); return; }
    for (;;) {
        int fit = log2_128(e - s + 1), bits = !s ? 128 : (uint64_t)s ? __builtin_ctzll((uint64_t)s) : 64 + __builtin_ctzll((uint64_t)(s >> 64));
        if (fit < bits) bits = fit;
        emit_v6(s, 128 - bits);
        u128 last = s + (((u128)1 << bits) - 1);
        if (last >= e) return;
        s = last + 1;
    }
}

static void merge_v6(void) {
    if (!n6) return;
    u128 s = 0, e = 0;
    for (size_t i = 0; i < n6; i++) {
        u128 ns = (u128)v6[i].hi << 64 | v6[i].lo;
        u128 ne = v6[i].len >= 128 ? ns : ns | ((((u128)1) << (128 - v6[i].len)) - 1);
        if (v6[i].len == 0) ne = ~(u128)0;
        if (i && (ns <= e || ns - 1 == e)) { if (ne > e) e = ne; }
        else { if (i) decompose_v6(s, e); s = ns; e = ne; }
    }
    decompose_v6(s, e);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: floor FILE\n"); return 2; }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) { perror(argv[1]); return 2; }
    out = op = malloc(OUT_CHUNK + 4096);
    init_octets();
    init_hex();
    init_gaps();
    if (st.st_size) {
        // The file, then at least one page of zeros, so 16-byte loads near its end stay inside the mapping.
        size_t room = (st.st_size + 4096 + 4095) & ~(size_t)4095;
        char *text = mmap(NULL, room, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (text == MAP_FAILED || mmap(text, st.st_size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) == MAP_FAILED) {
            perror("mmap");
            return 2;
        }
        madvise((void *)text, st.st_size, MADV_SEQUENTIAL);
        v4 = reserve(st.st_size / 8 * sizeof *v4 + sizeof *v4);
        v6 = reserve(st.st_size / 3 * sizeof *v6 + sizeof *v6);
        parse(text, text + st.st_size);
    }
    sort_v4();
    merge_v4();
    sort_v6();
    merge_v6();
    flush_out(1);
    return 0;
}
