/**
 * The simulation's future events, earliest first: a binary min-heap of (time, payload) pairs kept in typed arrays (the
 * payload a 32-bit integer), so that millions of events cost no allocation. Ties in time come out in no particular order.
 */
export class EventHeap {
  private times = new Float64Array(1024);
  private payloads = new Int32Array(1024);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  push(time: number, payload: number): void {
    if (this.size === this.times.length) this.grow();
    let i = this.size++;
    const times = this.times;
    const payloads = this.payloads;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= time) break;
      times[i] = times[parent]!;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    times[i] = time;
    payloads[i] = payload;
  }

  /** The earliest event's time (the heap must not be empty). */
  peekTime(): number {
    return this.times[0]!;
  }

  /** Removes the earliest event and returns its payload; its time is `peekTime()` read before. */
  pop(): number {
    const times = this.times;
    const payloads = this.payloads;
    const top = payloads[0]!;
    const n = --this.size;
    if (n === 0) return top;
    const time = times[n]!;
    const payload = payloads[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && times[child + 1]! < times[child]!) child++;
      if (times[child]! >= time) break;
      times[i] = times[child]!;
      payloads[i] = payloads[child]!;
      i = child;
    }
    times[i] = time;
    payloads[i] = payload;
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const payloads = new Int32Array(this.payloads.length * 2);
    payloads.set(this.payloads);
    this.payloads = payloads;
  }
}
