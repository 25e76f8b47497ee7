// HTTP load with autocannon: a number of connections for a number of seconds, each asking again as
// soon as it is answered. Requests per second count 2xx answers only; latencies are those of the
// 2xx answers, kept here at full resolution (autocannon's own histogram is in whole ms).
import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  seconds: number;
  ok: number;
  /** 2xx answers per second. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers that were not 2xx, by status. */
  non2xx: Record<string, number>;
  /** Connection errors and timeouts (no answer at all). */
  errors: number;
  timeouts: number;
  bytesPerAnswer: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  /** Seconds. */
  duration: number;
}

interface Raw {
  seconds: number;
  latencies: number[];
  non2xx: Record<string, number>;
  errors: number;
  timeouts: number;
  bytes: number;
}

function run(o: LoadOptions): Promise<Raw> {
  const raw: Raw = { seconds: 0, latencies: [], non2xx: {}, errors: 0, timeouts: 0, bytes: 0 };
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url: o.url, headers: o.headers, connections: o.connections, duration: o.duration, timeout: 30 }, (err, result) => {
      if (err) return reject(err);
      raw.seconds = result.duration;
      raw.errors = result.errors - result.timeouts;
      raw.timeouts = result.timeouts;
      resolve(raw);
    });
    instance.on('response', (_client, status, resBytes, ms) => {
      if (status >= 200 && status < 300) {
        raw.latencies.push(ms);
        raw.bytes += resBytes;
      } else raw.non2xx[status] = (raw.non2xx[status] ?? 0) + 1;
    });
  });
}

function summary(label: string, parts: Raw[]): LoadResult {
  const latencies = parts.flatMap((p) => p.latencies).sort((a, b) => a - b);
  const seconds = parts.reduce((a, p) => a + p.seconds, 0);
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : NaN);
  const non2xx: Record<string, number> = {};
  for (const p of parts) for (const [s, c] of Object.entries(p.non2xx)) non2xx[s] = (non2xx[s] ?? 0) + c;
  return {
    label,
    seconds,
    ok: latencies.length,
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.length ? latencies[latencies.length - 1] : NaN,
    non2xx,
    errors: parts.reduce((a, p) => a + p.errors, 0),
    timeouts: parts.reduce((a, p) => a + p.timeouts, 0),
    bytesPerAnswer: latencies.length ? parts.reduce((a, p) => a + p.bytes, 0) / latencies.length : 0,
  };
}

/**
 * `target` and its `baseline`, each warmed up, then loaded in turns of about 2.5 s in the order
 * baseline, target, target, baseline, baseline, … until each has had its `duration`: whatever
 * else the machine does at the time weighs on both alike. `targetRequests`: the target's answers,
 * warm-up included.
 */
export async function sideBySide(
  baseline: LoadOptions,
  target: LoadOptions,
  warmup: number,
  labels: [string, string],
): Promise<{ baseline: LoadResult; target: LoadResult; rounds: number; targetRequests: number }> {
  const answered = (r: Raw) => r.latencies.length + Object.values(r.non2xx).reduce((a, c) => a + c, 0);
  let targetRequests = 0;
  if (warmup > 0) {
    await run({ ...baseline, duration: warmup });
    targetRequests += answered(await run({ ...target, duration: warmup }));
  }
  const rounds = Math.max(1, Math.round(baseline.duration / 2.5));
  const slice = baseline.duration / rounds;
  const b: Raw[] = [];
  const t: Raw[] = [];
  for (let i = 0; i < rounds; i++) {
    const pair: [LoadOptions, Raw[]][] = [
      [baseline, b],
      [target, t],
    ];
    if (i % 2 === 1) pair.reverse();
    for (const [o, into] of pair) into.push(await run({ ...o, duration: slice }));
  }
  targetRequests += t.reduce((a, r) => a + answered(r), 0);
  return { baseline: summary(labels[0], b), target: summary(labels[1], t), rounds, targetRequests };
}

/**
 * Several loads in turns, as sideBySide takes two: each warmed up, then loaded in slices of about
 * 2.5 s, the order turned around every round (A, B, C, then C, B, A, …) until each has had its
 * `duration`. `answers[i]`: the answers load i got, warm-up included (2xx or not).
 */
export async function inTurns(loads: (LoadOptions & { label: string })[], warmup: number): Promise<{ results: LoadResult[]; answers: number[]; rounds: number }> {
  const answered = (r: Raw) => r.latencies.length + Object.values(r.non2xx).reduce((a, c) => a + c, 0);
  const answers = loads.map(() => 0);
  if (warmup > 0) for (let i = 0; i < loads.length; i++) answers[i] += answered(await run({ ...loads[i], duration: warmup }));
  const duration = loads[0]?.duration ?? 0;
  const rounds = Math.max(1, Math.round(duration / 2.5));
  const slice = duration / rounds;
  const raws: Raw[][] = loads.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = loads.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const raw = await run({ ...loads[i], duration: slice });
      raws[i].push(raw);
      answers[i] += answered(raw);
    }
  }
  return { results: loads.map((l, i) => summary(l.label, raws[i])), answers, rounds };
}

/** One load of `duration` seconds, summarised (no baseline, no warm-up). */
export async function once(o: LoadOptions, label: string): Promise<LoadResult> {
  return summary(label, [await run(o)]);
}

/** One slice of a load taken while something else happens: when it began (performance.now()) and what it got. */
export interface Slice {
  at: number;
  raw: Raw;
}

/**
 * Load in slices of `slice` seconds for as long as `go()` says (at least one slice), each kept
 * apart with its start, so they can be summarised by when they ran (slicesSummary): the load while
 * something else happens (a worker starting its workflows).
 */
export async function loadWhile(o: Omit<LoadOptions, 'duration'>, go: () => boolean, slice = 2): Promise<Slice[]> {
  const slices: Slice[] = [];
  do {
    const at = performance.now();
    slices.push({ at, raw: await run({ ...o, duration: slice }) });
  } while (go());
  return slices;
}

/** Slices of loadWhile summarised together. */
export function slicesSummary(label: string, slices: Slice[]): LoadResult & { slices: number } {
  return { ...summary(label, slices.map((s) => s.raw)), slices: slices.length };
}
