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

/**
 * Tables for the ziggurat method (Marsaglia and Tsang, "The Ziggurat Method for Generating Random Variables", Journal
 * of Statistical Software 5(8), 2000): the density cut into layers of equal area; a draw picks a layer and a point
 * across it, and is taken at once when the point lies in the part of the layer wholly under the curve (about 99% of
 * draws: a table look-up and a multiplication, no logarithm). Each 32-bit draw gives the layer from its low bits and
 * the point from the others, so the two are independent (Doornik's correction, "An Improved Ziggurat Method to
 * Generate Normal Random Samples", 2005).
 */
const POINT_BITS = 24;
const POINT_SCALE = 2 ** POINT_BITS;

/**
 * A ziggurat's tables for a decreasing density f (unnormalised, f(0) = 1) on [0, infinity) with inverse `inverse`:
 * `layers` layers each of area v, the base layer's edge at r. k: the share of each layer wholly under the curve (scaled
 * to the point's bits); w: a point's scale to x; f: the density at each layer's edge.
 */
function zigguratTables(
  layers: number,
  r: number,
  v: number,
  f: (x: number) => number,
  inverse: (y: number) => number,
) {
  const k = new Uint32Array(layers);
  const w = new Float64Array(layers);
  const fAt = new Float64Array(layers);
  let d = r;
  let t = d;
  const q = v / f(d);
  k[0] = Math.floor((d / q) * POINT_SCALE);
  k[1] = 0;
  w[0] = q / POINT_SCALE;
  w[layers - 1] = d / POINT_SCALE;
  fAt[0] = 1;
  fAt[layers - 1] = f(d);
  for (let i = layers - 2; i >= 1; i--) {
    d = inverse(v / d + f(d));
    k[i + 1] = Math.floor((d / t) * POINT_SCALE);
    t = d;
    fAt[i] = f(d);
    w[i] = d / POINT_SCALE;
  }
  return { k, w, f: fAt };
}

/** Normal: 128 layers, the base layer's edge at R (its tail beyond), each of area V. */
const NORMAL_R = 3.442619855899;
const NORMAL_V = 9.91256303526217e-3;
const {
  k: normalK,
  w: normalW,
  f: normalF,
} = zigguratTables(
  128,
  NORMAL_R,
  NORMAL_V,
  (x) => Math.exp(-0.5 * x * x),
  (y) => Math.sqrt(-2 * Math.log(y)),
);

/** Exponential (mean 1): 256 layers, the base layer's edge at R, each of area V. */
const EXPONENTIAL_R = 7.697117470131487;
const EXPONENTIAL_V = 3.949659822581572e-3;
const {
  k: exponentialK,
  w: exponentialW,
  f: exponentialF,
} = zigguratTables(
  256,
  EXPONENTIAL_R,
  EXPONENTIAL_V,
  (x) => Math.exp(-x),
  (y) => -Math.log(y),
);

/** Several xoshiro128** streams (period 2^128 - 1 each), each seeded through SplitMix32 from (seed, replication, k). */
export class Streams {
  private readonly state: Uint32Array;

  constructor(readonly count: number) {
    this.state = new Uint32Array(4 * count);
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
  }

  /** Uniform on [0, 1) from stream k. */
  next(k: number): number {
    return this.nextUint32(k) / 4294967296;
  }

  /** A uniform 32-bit whole number from stream k. */
  nextUint32(k: number): number {
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
    return result;
  }

  /** Exponential with mean 1 from stream k (ziggurat): multiply by the mean wanted. */
  exponential(k: number): number {
    const u = this.nextUint32(k);
    const layer = u & 255;
    const point = u >>> 8;
    if (point < exponentialK[layer]!) return point * exponentialW[layer]!;
    return this.exponentialEdge(k, layer, point);
  }

  /** The ziggurat's slow path for the exponential: the tail, or a point near the curve in a layer's overhang. */
  private exponentialEdge(k: number, layer: number, point: number): number {
    for (;;) {
      // Beyond the base layer's edge the exponential is itself again (memoryless), shifted by R.
      if (layer === 0) return EXPONENTIAL_R - Math.log(1 - this.next(k));
      const x = point * exponentialW[layer]!;
      const below = exponentialF[layer]!;
      if (below + this.next(k) * (exponentialF[layer - 1]! - below) < Math.exp(-x)) return x;
      const u = this.nextUint32(k);
      layer = u & 255;
      point = u >>> 8;
      if (point < exponentialK[layer]!) return point * exponentialW[layer]!;
    }
  }

  /** Standard normal from stream k (ziggurat; one bit of each draw gives the sign). */
  normal(k: number): number {
    const u = this.nextUint32(k);
    const layer = u & 127;
    const point = u >>> 8;
    if (point < normalK[layer]!) return u & 128 ? -point * normalW[layer]! : point * normalW[layer]!;
    return this.normalEdge(k, u);
  }

  /** The ziggurat's slow path for the normal: the tail (Marsaglia's method), or a point in a layer's overhang. */
  private normalEdge(k: number, u: number): number {
    for (;;) {
      const layer = u & 127;
      const negative = (u & 128) !== 0;
      const point = u >>> 8;
      if (point < normalK[layer]!) return negative ? -point * normalW[layer]! : point * normalW[layer]!;
      let x: number;
      if (layer === 0) {
        let y: number;
        do {
          x = -Math.log(1 - this.next(k)) / NORMAL_R;
          y = -Math.log(1 - this.next(k));
        } while (y + y < x * x);
        return negative ? -(NORMAL_R + x) : NORMAL_R + x;
      }
      x = point * normalW[layer]!;
      const below = normalF[layer]!;
      if (below + this.next(k) * (normalF[layer - 1]! - below) < Math.exp(-0.5 * x * x)) return negative ? -x : x;
      u = this.nextUint32(k);
    }
  }
}
