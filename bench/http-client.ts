/**
 * CPU per HTTP call of the service's outbound clients, side by side in one run: Node's built-in fetch,
 * `httpFetch` (src/lib/http-fetch.ts: fetch's contract on undici's request API), which the model
 * providers use through the AI SDK, and `httpRequest` (the same request, the answer read as text
 * without a `Response`), which the Wix client and the Wix OAuth requests use. Each call POSTs a 1 KB
 * JSON body over a keep-alive connection to a bare node:http server (bench/peers/raw-http.ts, pinned to
 * core 1; this process to core 0) and parses the JSON answer.
 * CPU = process.cpuUsage() (user + system) over N calls after a warm-up, per call; median of the rounds.
 *
 *   node --import tsx bench/http-client.ts [--calls 3000] [--warmup 500] [--rounds 3]
 *
 * Prints a table, then one JSON object with the figures as the last line.
 */
import { join } from 'node:path';
import { httpFetch, httpRequest } from '../src/lib/http-fetch.js';
import {
  benchDir,
  machine,
  num,
  options,
  pinPid,
  printJson,
  round,
  showSpread,
  spread,
  startNode,
  table,
} from './lib/common.js';

const o = options({ calls: '3000', warmup: '500', rounds: '3' });
const calls = num(o.calls, 'calls');
const warmup = num(o.warmup, 'warmup');
const rounds = num(o.rounds, 'rounds');

const server = await startNode(join(benchDir, 'peers/raw-http.ts'), { cpu: 1 });
const pinned = pinPid(process.pid, 0);
const body = JSON.stringify({ note: 'x'.repeat(1000), lineItems: [{ id: 'a', quantity: 1 }] });
const headers = { 'content-type': 'application/json', authorization: 'token-'.padEnd(300, 'x') };

const viaFetch = (f: typeof fetch) => async () => {
  const response = await f(server.ready, { method: 'POST', headers, body });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  await response.json();
};
const clients: Record<string, () => Promise<void>> = {
  'built-in fetch': viaFetch(fetch),
  httpFetch: viaFetch(httpFetch),
  httpRequest: async () => {
    const answer = await httpRequest(server.ready, { method: 'POST', headers, body });
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
    JSON.parse(answer.text);
  },
};

const perCall: Record<string, number[]> = { 'built-in fetch': [], httpFetch: [], httpRequest: [] };
try {
  for (let r = 0; r < rounds; r++) {
    for (const [name, once] of Object.entries(clients)) {
      for (let i = 0; i < warmup; i++) await once();
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < calls; i++) await once();
      const cpu = process.cpuUsage(cpu0);
      perCall[name]!.push((cpu.user + cpu.system) / calls);
    }
  }
} finally {
  await server.stop();
}

const fetchUs = spread(perCall['built-in fetch']!, 0);
const oursUs = spread(perCall.httpFetch!, 0);
const requestUs = spread(perCall.httpRequest!, 0);
console.log(
  `HTTP client CPU per call (µs), ${calls} calls × ${rounds} rounds, median (min–max); ` +
    `${pinned ? 'client pinned to core 0, server to core 1' : 'not pinned'}`,
);
console.log(
  table(
    ['client', 'CPU µs/call', '× httpFetch'],
    [
      ['built-in fetch', showSpread(fetchUs), round(fetchUs.median / oursUs.median, 2)],
      ['httpFetch (undici request, a Response)', showSpread(oursUs), 1],
      [
        'httpRequest (undici request, text)',
        showSpread(requestUs),
        round(requestUs.median / oursUs.median, 2),
      ],
    ],
  ),
);
printJson({
  bench: 'http-client',
  date: new Date().toISOString(),
  machine: machine(),
  settings: { calls, warmup, rounds, bodyBytes: body.length },
  cpuUsPerCall: { builtInFetch: fetchUs, httpFetch: oursUs, httpRequest: requestUs },
  ratio: round(fetchUs.median / oursUs.median, 2),
  httpRequestOverHttpFetch: round(requestUs.median / oursUs.median, 2),
});
