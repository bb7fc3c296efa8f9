/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by module
 * (npm package, `src/...` file, node internals, wasm, GC, idle).
 *
 *   node --import tsx bench/lib/profile-summary.ts <file.cpuprofile | dir> [--top 15] [--from-us T --to-us T]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repoRoot, round, table } from './common.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  module: string;
  selfMs: number;
  selfPct: number;
  busyPct: number;
}
export interface ProfileSummary {
  file: string;
  /** What was profiled (set by the caller). */
  what?: string;
  totalMs: number;
  /** Time not idle (everything but `(idle)`). */
  busyMs: number;
  byFunction: ProfileEntry[];
  byModule: { module: string; selfMs: number; selfPct: number; busyPct: number }[];
}

/** Which module a frame belongs to: an npm package, a file of this repo, node internals, wasm, GC... */
export function moduleOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName.startsWith('(')) return functionName; // (garbage collector), (program), (idle)
    return '(native)';
  }
  if (url.startsWith('node:')) {
    // node:internal/crypto/util → node:internal/crypto; node:_http_server stays as it is.
    const parts = url.split('/');
    return parts.length >= 3 ? parts.slice(0, 2).join('/') : url;
  }
  if (url.startsWith('wasm://')) return 'wasm';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith(repoRoot)) return relative(repoRoot, path);
  return path;
}

/**
 * Self time per function and per module. With `window` (µs of the monotonic clock, which is what
 * `process.hrtime.bigint() / 1000n` reads in any process on the machine, and what V8 stamps samples
 * with) only the samples inside it count: e.g. the measured part of a load run, without start-up.
 */
export function summarizeProfile(
  file: string,
  top = 15,
  window?: { fromUs: number; toUs: number },
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; attribute it to sample i's node (the usual convention).
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = Math.max(0, profile.timeDeltas[i] ?? 0);
    t += delta;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, { name: string; module: string; us: number }>();
  const mod = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const module = moduleOf(frame);
    if (frame.functionName === '(idle)') idleUs += us;
    const where = frame.url
      ? `${frame.url.startsWith('node:') ? frame.url : module}:${frame.lineNumber + 1}`
      : module;
    const name = `${frame.functionName || '(anonymous)'} ${where}`;
    const entry = fn.get(name) ?? { name, module, us: 0 };
    entry.us += us;
    fn.set(name, entry);
    mod.set(module, (mod.get(module) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const pct = (us: number, of: number) => round((100 * us) / Math.max(1, of), 1);
  return {
    file,
    totalMs: round(totalUs / 1000, 0),
    busyMs: round(busyUs / 1000, 0),
    byFunction: [...fn.values()]
      .filter((e) => e.module !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({
        name: e.name,
        module: e.module,
        selfMs: round(e.us / 1000, 1),
        selfPct: pct(e.us, totalUs),
        busyPct: pct(e.us, busyUs),
      })),
    byModule: [...mod.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([module, us]) => ({
        module,
        selfMs: round(us / 1000, 1),
        selfPct: pct(us, totalUs),
        busyPct: module === '(idle)' ? 0 : pct(us, busyUs),
      })),
  };
}

export function printProfileSummary(s: ProfileSummary) {
  console.log(`CPU profile ${s.what ?? s.file}: ${s.totalMs} ms sampled, ${s.busyMs} ms not idle`);
  console.log('top self time by function (idle left out)');
  console.log(
    table(
      ['#', 'function (module:line)', 'self ms', '% of busy'],
      s.byFunction.map((e, i) => [String(i + 1), e.name.slice(0, 110), e.selfMs, e.busyPct]),
      { left: false },
    ),
  );
  console.log('self time by module');
  console.log(
    table(
      ['module', 'self ms', '% of all', '% of busy'],
      s.byModule.map((m) => [m.module, m.selfMs, m.selfPct, m.busyPct]),
    ),
  );
}

/**
 * The main thread's `.cpuprofile` in a directory (or the file itself). `--cpu-prof` writes one file per
 * thread (tsx's loader runs in a worker thread): the largest file is the main thread's.
 */
export function profileIn(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!files[0]) throw new Error(`no .cpuprofile in ${path}`);
  return files[0];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({
    options: {
      top: { type: 'string', default: '15' },
      'from-us': { type: 'string' },
      'to-us': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (!positionals[0])
    throw new Error('usage: profile-summary.ts <file.cpuprofile | dir> [--top 15] [--from-us T --to-us T]');
  const window =
    values['from-us'] && values['to-us']
      ? { fromUs: Number(values['from-us']), toUs: Number(values['to-us']) }
      : undefined;
  const summary = summarizeProfile(profileIn(positionals[0]), Number(values.top), window);
  printProfileSummary(summary);
  console.log(JSON.stringify(summary));
}
