// SPEC 7's W1 churn on a real TanStack Query client, without and with the bridge writing a
// trace file. Each variant runs in its own child process (timeoutManager's provider is
// process-wide), one after the other.
//
//   node bench/w1.mjs [--ops 1000000] [--runs 1] [--keep TRACE.ndjson]
// --keep also writes the bridge's trace there (the input of the inspector's ingest benchmark).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
const arg = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const OPS = Number(arg('--ops', 1000000))
const variant = arg('--variant', null)
const keep = arg('--keep', null)

function mulberry32(seed) {
  let a = seed
  return () => {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** A synchronous virtual clock: a binary heap of (due, seq); cleared timers are skipped. */
class Clock {
  now = 0
  seq = 0
  heap = []
  live = new Map()
  setTimeout(cb, ms) {
    const id = ++this.seq
    const t = { due: this.now + ms, seq: id, cb }
    this.live.set(id, t)
    const h = this.heap
    h.push(t)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (less(h[p], h[i])) break
      ;[h[p], h[i]] = [h[i], h[p]]
      i = p
    }
    return id
  }
  clearTimeout(id) {
    this.live.delete(id)
  }
  pop() {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (h.length > 0) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && less(h[l], h[m])) m = l
        if (r < h.length && less(h[r], h[m])) m = r
        if (m === i) break
        ;[h[m], h[i]] = [h[i], h[m]]
        i = m
      }
    }
    return top
  }
  advance(ms) {
    const target = this.now + ms
    while (this.heap.length > 0 && this.heap[0].due <= target) {
      const t = this.pop()
      if (this.live.get(t.seq) !== t) continue
      this.live.delete(t.seq)
      this.now = t.due
      t.cb()
    }
    this.now = target
  }
}
const less = (a, b) => a.due < b.due || (a.due === b.due && a.seq < b.seq)

async function run(withBridge) {
  const { QueryClient, QueryObserver, timeoutManager } = await import('@tanstack/query-core')
  const clock = new Clock()
  timeoutManager.setTimeoutProvider({
    setTimeout: (cb, ms) => clock.setTimeout(cb, ms),
    clearTimeout: (id) => clock.clearTimeout(id),
    setInterval: () => 0,
    clearInterval: () => {},
  })
  const client = new QueryClient({ defaultOptions: { queries: { gcTime: 60000 } } })
  let bridge = null
  let dir = null
  let file = null
  if (withBridge) {
    const { connectQueryClient } = await import('../src/index.js')
    dir = mkdtempSync(join(tmpdir(), 'bridge-bench-'))
    file = join(dir, 'w1.ndjson')
    bridge = connectQueryClient(client, { file, app: 'w1', now: () => clock.now })
  }
  const rng = mulberry32(42)
  const S = 10000
  const gcs = [1000, 5000, 20000, 60000]
  const attached = []
  const noop = () => {}
  const cache = client.getQueryCache()
  let disposals = 0
  const unsubscribeCount = cache.subscribe((e) => {
    if (e.type === 'removed') disposals++
  })
  const t0 = process.hrtime.bigint()
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < OPS; i++) {
    const r = rng()
    if (attached.length === 0 || r % 2 === 0) {
      const k = rng() % S
      const gcTime = gcs[rng() % 4]
      const o = new QueryObserver(client, { queryKey: ['store-' + k], gcTime, initialData: 0, staleTime: Infinity })
      attached.push(o.subscribe(noop))
    } else {
      const idx = rng() % attached.length
      const un = attached[idx]
      attached[idx] = attached[attached.length - 1]
      attached.pop()
      un()
    }
    if ((i + 1) % 1000 === 0) clock.advance(1000)
  }
  const ns = Number(process.hrtime.bigint() - t0)
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  unsubscribeCount()
  let bytes = 0
  if (bridge) {
    await bridge.close()
    bytes = statSync(file).size
    if (keep) copyFileSync(file, keep)
    rmSync(dir, { recursive: true, force: true })
  }
  return {
    variant: withBridge ? 'bridge' : 'plain',
    ops: OPS,
    seconds: ns / 1e9,
    cpuSeconds,
    // CPU time, not wall time: the machine may be shared with other work.
    opsPerSecond: Math.round(OPS / cpuSeconds),
    wallOpsPerSecond: Math.round(OPS / (ns / 1e9)),
    disposals,
    live: cache.getAll().length,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    traceBytes: bytes,
  }
}

if (variant) {
  const result = await run(variant === 'bridge')
  process.stdout.write(JSON.stringify(result) + '\n')
} else {
  const runs = Number(arg('--runs', 1))
  const self = fileURLToPath(import.meta.url)
  const results = { plain: [], bridge: [] }
  for (let i = 0; i < runs; i++) {
    for (const v of ['plain', 'bridge']) {
      const extra = keep && v === 'bridge' ? ['--keep', keep] : []
      const out = spawnSync(process.execPath, [self, '--variant', v, '--ops', String(OPS), ...extra], { encoding: 'utf8' })
      if (out.status !== 0) {
        process.stderr.write(out.stderr)
        process.exit(1)
      }
      const r = JSON.parse(out.stdout.trim().split('\n').at(-1))
      results[v].push(r)
      console.log(`${v.padEnd(6)} ${r.opsPerSecond.toLocaleString('en-US')} ops/s  (${r.cpuSeconds.toFixed(2)} s CPU, ${r.seconds.toFixed(2)} s wall, disposals ${r.disposals}, live ${r.live}, peak RSS ${r.peakRssMiB} MiB${r.traceBytes ? `, trace ${(r.traceBytes / 1048576).toFixed(1)} MiB` : ''})`)
    }
  }
  const best = (v) => Math.max(...results[v].map((r) => r.opsPerSecond))
  const overhead = (best('plain') / best('bridge') - 1) * 100
  console.log(`W1 churn, ${OPS.toLocaleString('en-US')} ops: plain ${best('plain').toLocaleString('en-US')} ops/s, with bridge ${best('bridge').toLocaleString('en-US')} ops/s, overhead ${overhead.toFixed(1)}% (best of ${runs})`)
}
