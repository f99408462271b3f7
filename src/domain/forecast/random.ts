/**
 * Seeded random numbers for the simulation. Each replication and each purpose (arrivals, each stage's service times,
 * each stage's proceed decisions) has its own stream, derived from the seed, so that runs are reproducible and two
 * scenarios that differ only in one stage's capacity see the same arrivals and the same service times ("common random
 * numbers": their difference is the capacity's, not chance's).
 *
 * The streams of one replication live side by side in typed arrays (no object per stream), because the simulator
 * draws tens of millions of numbers a run.
 */

/** SplitMix32 finaliser: spreads a 32-bit value over all bits. */
function mix(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Several xoshiro128** streams (period 2^128 - 1 each), each seeded through SplitMix32 from (seed, replication, k). */
export class Streams {
  private readonly state: Uint32Array;
  /** Box-Muller makes normals in pairs: the second of each pair, kept for the next draw. */
  private readonly spare: Float64Array;
  private readonly hasSpare: Uint8Array;

  constructor(readonly count: number) {
    this.state = new Uint32Array(4 * count);
    this.spare = new Float64Array(count);
    this.hasSpare = new Uint8Array(count);
  }

  /** Starts every stream afresh for one replication. */
  reseed(seed: number, replication: number): void {
    for (let k = 0; k < this.count; k++) {
      let s = mix(mix(mix(seed >>> 0) ^ replication) ^ k);
      this.state[4 * k] = s = mix(s);
      this.state[4 * k + 1] = s = mix(s);
      this.state[4 * k + 2] = s = mix(s);
      this.state[4 * k + 3] = mix(s) | 1;
    }
    this.hasSpare.fill(0);
  }

  /** Uniform on [0, 1) from stream k. */
  next(k: number): number {
    const st = this.state;
    const i = 4 * k;
    const a = st[i]!;
    const b = st[i + 1]!;
    const c = st[i + 2]!;
    const d = st[i + 3]!;
    const x = Math.imul(b, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = b << 9;
    const c2 = c ^ a;
    const d2 = d ^ b;
    st[i + 1] = b ^ c2;
    st[i] = a ^ d2;
    st[i + 2] = c2 ^ t;
    st[i + 3] = (d2 << 11) | (d2 >>> 21);
    return result / 4294967296;
  }

  /** Exponential with the given mean, from stream k. */
  exponential(k: number, mean: number): number {
    return -mean * Math.log(1 - this.next(k));
  }

  /** Standard normal from stream k (Box-Muller, both of each pair used in turn). */
  normal(k: number): number {
    if (this.hasSpare[k]) {
      this.hasSpare[k] = 0;
      return this.spare[k]!;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.next(k)));
    const theta = 2 * Math.PI * this.next(k);
    this.spare[k] = r * Math.sin(theta);
    this.hasSpare[k] = 1;
    return r * Math.cos(theta);
  }
}
