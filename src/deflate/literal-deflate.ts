/**
 * Deflate without string matching: each block is its bytes Huffman-coded under a table of its
 * own (zlib's Z_HUFFMAN_ONLY), or stored where that would be longer. For data that is nearly
 * noise, as the differences of a network's answers on a fine grid are, matching finds little
 * and costs most of the time: on one answer of img_004 (543 KB) fflate's level 1 took 10–27 ms
 * for 269.8 KB, this 5–6 ms for 268.7 KB (zlib's own Huffman-only: 3 ms, 268.6 KB; pako's 6–10
 * ms). fflate has no such strategy, and blocks of 16 KB came out smaller than of 32 or 64. Any
 * inflater reads the output; the size never passes {@link deflateBound}.
 */
import { deflateBound } from './deflate';

/** Bytes per block: a table adapts to each (the answer's byte planes differ). */
const BLOCK = 1 << 14;
const END_OF_BLOCK = 256;
const MAX_BITS = 15;
const MAX_LENGTH_CODE_BITS = 7;
/** The order in which the code-length alphabet's own lengths are sent (RFC 1951 3.2.7). */
const LENGTH_CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * Huffman code lengths for `counts`, none longer than `limit`: where the tree is deeper the
 * counts are halved (kept above zero) and the tree built again, as some encoders do; the cost
 * of that is small beside an exact length-limited code.
 */
export function codeLengths(counts: ArrayLike<number>, limit: number): Uint8Array {
  const lengths = new Uint8Array(counts.length);
  let weights = Array.from(counts);
  for (;;) {
    const used = weights.flatMap((w, symbol) => (w > 0 ? [symbol] : []));
    if (used.length === 1) lengths[used[0]] = 1; // one symbol still needs a one-bit code
    if (used.length <= 1) return lengths;
    // Nodes: the leaves by weight, then the joined ones, which come out in weight order too:
    // the two lightest are always at the front of one queue or the other, so no heap is needed.
    const leaves = used.sort((a, b) => weights[a] - weights[b] || a - b);
    const weight = leaves.map((s) => weights[s]);
    const parent: number[] = [];
    let leaf = 0;
    let joined = leaves.length;
    const lightest = () =>
      joined < weight.length && (leaf >= leaves.length || weight[joined] < weight[leaf]) ? joined++ : leaf++;
    while (weight.length < 2 * leaves.length - 1) {
      const [a, b] = [lightest(), lightest()];
      parent[a] = parent[b] = weight.length;
      weight.push(weight[a] + weight[b]);
    }
    const depth = new Array<number>(weight.length).fill(0);
    for (let node = weight.length - 2; node >= 0; node--) depth[node] = depth[parent[node]] + 1;
    if (Math.max(...depth.slice(0, leaves.length)) <= limit) {
      leaves.forEach((symbol, k) => (lengths[symbol] = depth[k]));
      return lengths;
    }
    weights = weights.map((w) => (w > 0 ? Math.max(1, w >> 1) : 0));
  }
}

/** Canonical codes for `lengths` (RFC 1951 3.2.2), bit-reversed since deflate sends them from the top bit. */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const perLength = new Uint16Array(MAX_BITS + 1);
  for (const l of lengths) if (l) perLength[l]++;
  const next = new Uint16Array(MAX_BITS + 1);
  for (let bits = 1, code = 0; bits <= MAX_BITS; bits++) next[bits] = code = (code + perLength[bits - 1]) << 1;
  const codes = new Uint16Array(lengths.length);
  lengths.forEach((l, symbol) => {
    if (!l) return;
    let code = next[l]++;
    let reversed = 0;
    for (let i = 0; i < l; i++, code >>= 1) reversed = (reversed << 1) | (code & 1);
    codes[symbol] = reversed;
  });
  return codes;
}

/** Little-endian bits into a buffer sized beforehand. */
class BitWriter {
  private bits = 0;
  private count = 0;
  length = 0;
  constructor(readonly out: Uint8Array) {}
  write(value: number, n: number): void {
    this.bits |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.out[this.length++] = this.bits & 0xff;
      this.bits >>>= 8;
      this.count -= 8;
    }
  }
  /** To the next byte boundary (stored blocks start on one). */
  align(): void {
    if (this.count > 0) this.write(0, 8 - this.count);
  }
  get bitLength(): number {
    return this.length * 8 + this.count;
  }
}

/** The literal/length and distance code lengths, zero runs as symbols 17 and 18: [symbol, extra bits, extra value]. */
function lengthSymbols(lengths: Uint8Array): Array<[number, number, number]> {
  const symbols: Array<[number, number, number]> = [];
  for (let i = 0; i < lengths.length;) {
    let zeros = 0;
    while (i + zeros < lengths.length && lengths[i + zeros] === 0 && zeros < 138) zeros++;
    if (zeros >= 11) symbols.push([18, 7, zeros - 11]);
    else if (zeros >= 3) symbols.push([17, 3, zeros - 3]);
    else symbols.push([lengths[i], 0, 0]);
    i += zeros >= 3 ? zeros : 1;
  }
  return symbols;
}

function writeBlock(w: BitWriter, block: Uint8Array, last: boolean): void {
  const counts = new Uint32Array(END_OF_BLOCK + 1);
  for (let i = 0; i < block.length; i++) counts[block[i]]++;
  counts[END_OF_BLOCK] = 1;
  const lengths = codeLengths(counts, MAX_BITS);
  // Literals and the end of block, then one distance code of no bits: the block has no matches.
  const header = lengthSymbols(Uint8Array.from([...lengths, 0]));
  const headerCounts = new Uint32Array(19);
  for (const [symbol] of header) headerCounts[symbol]++;
  const headerLengths = codeLengths(headerCounts, MAX_LENGTH_CODE_BITS);
  let sent = LENGTH_CODE_ORDER.length;
  while (sent > 4 && headerLengths[LENGTH_CODE_ORDER[sent - 1]] === 0) sent--;
  let bits = 17 + 3 * sent; // type, HLIT, HDIST, HCLEN and the lengths' own lengths
  for (const [symbol, extra] of header) bits += headerLengths[symbol] + extra;
  for (let s = 0; s <= END_OF_BLOCK; s++) bits += counts[s] * lengths[s];
  const storedBits = 3 + ((8 - ((w.bitLength + 3) % 8)) % 8) + 32 + 8 * block.length;
  if (bits >= storedBits) {
    w.write(last ? 1 : 0, 3); // stored: BFINAL, BTYPE 00
    w.align();
    w.write(block.length, 16);
    w.write(~block.length & 0xffff, 16);
    for (let i = 0; i < block.length; i++) w.write(block[i], 8);
    return;
  }
  w.write((last ? 1 : 0) | (2 << 1), 3); // BFINAL, BTYPE 10: dynamic Huffman
  w.write(END_OF_BLOCK + 1 - 257, 5);
  w.write(0, 5); // one distance code
  w.write(sent - 4, 4);
  for (let k = 0; k < sent; k++) w.write(headerLengths[LENGTH_CODE_ORDER[k]], 3);
  const headerCodes = canonicalCodes(headerLengths);
  for (const [symbol, extra, value] of header) {
    w.write(headerCodes[symbol], headerLengths[symbol]);
    if (extra) w.write(value, extra);
  }
  const codes = canonicalCodes(lengths);
  for (let i = 0; i < block.length; i++) w.write(codes[block[i]], lengths[block[i]]);
  w.write(codes[END_OF_BLOCK], lengths[END_OF_BLOCK]);
}

/** Raw deflate of `bytes`, Huffman-only: see the module's comment. */
export function deflateLiterals(bytes: Uint8Array): Uint8Array {
  const w = new BitWriter(new Uint8Array(deflateBound(bytes.length)));
  let at = 0;
  do {
    const block = bytes.subarray(at, at + BLOCK);
    at += BLOCK;
    writeBlock(w, block, at >= bytes.length);
  } while (at < bytes.length);
  w.align();
  return w.out.slice(0, w.length);
}
