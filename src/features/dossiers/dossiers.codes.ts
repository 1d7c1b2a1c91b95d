/**
 * A compact set of dossier codes for imports of a million rows: the characters of every code in one growable
 * UTF-16 arena and an open-addressing hash table of slot numbers, instead of a Map of strings (about 100 bytes per
 * entry and a lot of garbage-collector work). Slots are numbered in insertion order, i.e. the file's order.
 */
export class CodeTable {
  private chars: Uint16Array;
  private used = 0;
  /** start of slot i's characters; starts[size] = used */
  private starts: Uint32Array;
  /** hash of slot i's code (compared before the characters, reused when the table grows) */
  private hashes: Uint32Array;
  private size = 0;
  /** hash bucket → slot + 1 (0 = empty) */
  private buckets: Int32Array;
  private mask: number;

  constructor(expected = 1024) {
    this.chars = new Uint16Array(expected * 16);
    this.starts = new Uint32Array(expected + 1);
    this.hashes = new Uint32Array(expected + 1);
    const buckets = 1 << Math.ceil(Math.log2(Math.max(16, expected * 2)));
    this.buckets = new Int32Array(buckets);
    this.mask = buckets - 1;
  }

  get length(): number {
    return this.size;
  }

  /** The slot of `code`, or -1. */
  find(code: string): number {
    const h = hash(code);
    for (let b = h & this.mask; ; b = (b + 1) & this.mask) {
      const entry = this.buckets[b];
      if (entry === 0) return -1;
      if (this.hashes[entry - 1] === h && this.equals(entry - 1, code)) return entry - 1;
    }
  }

  /** Adds `code` (not yet present) and returns its slot. */
  add(code: string): number {
    if ((this.size + 1) * 2 > this.buckets.length) this.rehash(this.buckets.length * 2);
    if (this.size + 1 >= this.starts.length) {
      this.starts = grow32(this.starts, this.starts.length * 2);
      this.hashes = grow32(this.hashes, this.starts.length);
    }
    if (this.used + code.length > this.chars.length) {
      const bigger = new Uint16Array(Math.max(this.chars.length * 2, this.used + code.length));
      bigger.set(this.chars.subarray(0, this.used));
      this.chars = bigger;
    }
    const slot = this.size++;
    for (let i = 0; i < code.length; i++) this.chars[this.used + i] = code.charCodeAt(i);
    this.starts[slot] = this.used;
    this.used += code.length;
    this.starts[slot + 1] = this.used;
    const h = hash(code);
    this.hashes[slot] = h;
    this.place(slot, h);
    return slot;
  }

  /** The code of a slot. */
  codeAt(slot: number): string {
    const start = this.starts[slot];
    const end = this.starts[slot + 1];
    if (end - start <= 64) return String.fromCharCode.apply(null, this.chars.subarray(start, end) as unknown as number[]);
    let out = '';
    for (let at = start; at < end; at += 4096) {
      out += String.fromCharCode.apply(null, this.chars.subarray(at, Math.min(end, at + 4096)) as unknown as number[]);
    }
    return out;
  }

  private equals(slot: number, code: string): boolean {
    const start = this.starts[slot];
    if (this.starts[slot + 1] - start !== code.length) return false;
    for (let i = 0; i < code.length; i++) if (this.chars[start + i] !== code.charCodeAt(i)) return false;
    return true;
  }

  private place(slot: number, h: number): void {
    let b = h & this.mask;
    while (this.buckets[b] !== 0) b = (b + 1) & this.mask;
    this.buckets[b] = slot + 1;
  }

  private rehash(size: number): void {
    this.buckets = new Int32Array(size);
    this.mask = size - 1;
    for (let slot = 0; slot < this.size; slot++) this.place(slot, this.hashes[slot]);
  }
}

function grow32(a: Uint32Array, size: number): Uint32Array {
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}

/** FNV-1a over UTF-16 code units, with a final avalanche so that sequential codes spread over the table. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return avalanche(h);
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
