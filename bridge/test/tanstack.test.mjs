import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { QueryClient, QueryObserver, timeoutManager } from '@tanstack/query-core'
import { connectQueryClient } from '../src/index.js'
import { VirtualClock, settle } from './virtual-clock.mjs'
import { ingest, requireBinary, show } from './inspector.mjs'

const clock = new VirtualClock()
timeoutManager.setTimeoutProvider(clock.provider())

/** The scripted app; returns what the app saw, so runs with and without the bridge compare. */
async function app(client, clock) {
  const seen = []
  const observe = (options) => {
    const o = new QueryObserver(client, options)
    const unsubscribe = o.subscribe((r) => seen.push([clock.now, JSON.stringify(options.queryKey), r.status, r.fetchStatus, r.data ?? null]))
    return { o, unsubscribe }
  }
  const after = (ms, value, fail) => () => clock.sleep(ms).then(() => { if (fail) throw new Error(value); return value })

  // t=0: a component mounts a query; its first fetch takes 100 ms.
  const a = observe({ queryKey: ['todos'], gcTime: 5000, queryFn: after(100, 'todos') })
  await clock.advanceTo(100)
  // A prefetch creates a query (fetch 50 ms); a second one, of fresh data, changes nothing.
  client.prefetchQuery({ queryKey: ['user'], gcTime: 3000, queryFn: after(50, 'user') })
  await clock.advanceTo(200)
  client.prefetchQuery({ queryKey: ['user'], gcTime: 9000, staleTime: 60000, queryFn: after(50, 'user2') })
  // A prefetch of a stale, mounted query refetches it (1000..1100).
  await clock.advanceTo(1000)
  client.prefetchQuery({ queryKey: ['todos'], gcTime: 5000, queryFn: after(100, 'todos2') })
  await clock.advanceTo(2000)
  a.unsubscribe() // todos: GC at 7000
  // A fetch that outlives the GC timer: unmounted at 2500 (GC due 3500), fetch ends at 7000.
  const b = observe({ queryKey: ['slow'], gcTime: 1000, queryFn: after(5000, 'slow') })
  await clock.advanceTo(2500)
  b.unsubscribe()
  await clock.advanceTo(8000)
  // An error, then an explicit removal while still mounted; the later unmount is not a detach.
  const c = observe({ queryKey: ['err'], gcTime: 2000, retry: false, queryFn: after(10, 'boom', true) })
  await clock.advanceTo(8100)
  client.removeQueries({ queryKey: ['err'] })
  await clock.advanceTo(8200)
  c.unsubscribe()
  // An option change of a mounted observer: gcTime 1000 → 4000.
  await clock.advanceTo(9000)
  const d = observe({ queryKey: ['opt'], gcTime: 1000, staleTime: 60000, queryFn: after(10, 'opt') })
  await clock.advanceTo(9100)
  d.o.setOptions({ queryKey: ['opt'], gcTime: 4000, staleTime: 60000, queryFn: after(10, 'opt') })
  await clock.advanceTo(9200)
  d.unsubscribe() // GC at 13200
  await clock.advanceTo(14000)
  seen.push(['cache', client.getQueryCache().getAll().map((q) => q.queryHash)])
  return seen
}

const dir = mkdtempSync(join(tmpdir(), 'bridge-test-'))
process.on('exit', () => process.env.BRIDGE_KEEP ? console.log('kept', dir) : rmSync(dir, { recursive: true, force: true }))

test('TanStack Query 5 on a virtual clock: the exact trace', async () => {
  clock.now = 0
  const plain = await app(new QueryClient(), clock)

  const start = clock.now
  const client = new QueryClient()
  const file = join(dir, 'tanstack.ndjson')
  const bridge = connectQueryClient(client, { file, app: 'test-app', now: () => clock.now - start, heartbeatMs: 0 })
  const bridged = await app(client, { ...clock, sleep: (ms) => clock.sleep(ms), advanceTo: (t) => clock.advanceTo(start + t), get now() { return clock.now - start } })
  await bridge.close()
  await settle()

  assert.deepEqual(bridged, plain, 'the app sees the same with the bridge')
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
  const msgs = lines.map((l) => JSON.parse(l))
  const ext = { type: 'external' }
  const expected = [
    { v: 1, hello: { app: 'test-app', library: 'tanstack-query', libraryVersion: '5', environment: 'ssr', defaultOptions: { gcTime: 'Infinity' } } },
    { v: 1, t: 0, step: { attach: { observer: 'q1', storeId: '["todos"]', gcTime: 5000, adapter: ext } } },
    { v: 1, t: 0, observed: { kind: 'created', storeId: '["todos"]', instance: 'i1' } },
    { v: 1, t: 100, step: { loaded: '["todos"]' } },
    { v: 1, t: 100, step: { preload: { storeId: '["user"]', adapter: ext, gcTime: 3000 } } },
    { v: 1, t: 100, observed: { kind: 'created', storeId: '["user"]', instance: 'i2' } },
    { v: 1, t: 150, step: { loaded: '["user"]' } },
    { v: 1, t: 1000, step: { attach: { observer: 'f1', storeId: '["todos"]', gcTime: 5000, adapter: ext } } },
    { v: 1, t: 1000, step: { preload: { storeId: '["todos"]', adapter: ext, gcTime: 5000 } } },
    { v: 1, t: 1100, step: { detach: 'f1' } },
    { v: 1, t: 2000, step: { detach: 'q1' } },
    { v: 1, t: 2000, step: { attach: { observer: 'q2', storeId: '["slow"]', gcTime: 1000, adapter: ext } } },
    { v: 1, t: 2000, observed: { kind: 'created', storeId: '["slow"]', instance: 'i3' } },
    { v: 1, t: 2500, step: { detach: 'q2' } },
    { v: 1, t: 3150, observed: { kind: 'disposed', storeId: '["user"]', instance: 'i2' } },
    { v: 1, t: 7000, observed: { kind: 'disposed', storeId: '["todos"]', instance: 'i1' } },
    { v: 1, t: 7000, step: { loaded: '["slow"]' } },
    { v: 1, t: 8000, observed: { kind: 'disposed', storeId: '["slow"]', instance: 'i3' } },
    { v: 1, t: 8000, step: { attach: { observer: 'q3', storeId: '["err"]', gcTime: 2000, adapter: ext } } },
    { v: 1, t: 8000, observed: { kind: 'created', storeId: '["err"]', instance: 'i4' } },
    { v: 1, t: 8010, step: { loadFailed: { storeId: '["err"]', error: 'boom' } } },
    { v: 1, t: 8100, step: { drop: '["err"]' } },
    { v: 1, t: 8100, observed: { kind: 'disposed', storeId: '["err"]', instance: 'i4' } },
    { v: 1, t: 9000, step: { attach: { observer: 'q4', storeId: '["opt"]', gcTime: 1000, adapter: ext } } },
    { v: 1, t: 9000, observed: { kind: 'created', storeId: '["opt"]', instance: 'i5' } },
    { v: 1, t: 9010, step: { loaded: '["opt"]' } },
    { v: 1, t: 9100, step: { detach: 'q4' } },
    { v: 1, t: 9100, step: { attach: { observer: 'q4', storeId: '["opt"]', gcTime: 4000, adapter: ext } } },
    { v: 1, t: 9200, step: { detach: 'q4' } },
    { v: 1, t: 13200, observed: { kind: 'disposed', storeId: '["opt"]', instance: 'i5' } },
    { v: 1, t: 14000 },
  ]
  if (process.env.BRIDGE_PRINT) console.log(lines.join('\n'))
  assert.deepEqual(msgs, expected)
  for (const l of lines) assert.equal(l, JSON.stringify(JSON.parse(l)), 'one compact JSON object per line')
})

test('TanStack: queries that never fetch, a built but unsubscribed observer, clear()', async () => {
  const start = clock.now
  const client = new QueryClient()
  const file = join(dir, 'tanstack-2.ndjson')
  const bridge = connectQueryClient(client, { file, app: 'b', now: () => clock.now - start, heartbeatMs: 0 })
  const at = (t) => clock.advanceTo(start + t)
  client.setQueryData(['set'], 1) // created with data: no load to wait for
  const off = new QueryObserver(client, { queryKey: ['off'], enabled: false, gcTime: 500 })
  const un = off.subscribe(() => {})
  await at(100)
  un() // never fetched: loaded, then detached; GC at 600
  new QueryObserver(client, { queryKey: ['built'], gcTime: 300, queryFn: () => 1 }) // never subscribed: GC at 400
  await at(1000)
  client.clear()
  await bridge.close()
  const msgs = readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map((l) => JSON.parse(l))
  if (process.env.BRIDGE_PRINT) console.log(msgs.map((m) => JSON.stringify(m)).join('\n'))
  const ext = { type: 'external' }
  assert.deepEqual(msgs, [
    { v: 1, t: 0, step: { preload: { storeId: '["set"]', adapter: ext, gcTime: 'Infinity' } } },
    { v: 1, t: 0, observed: { kind: 'created', storeId: '["set"]', instance: 'i1' } },
    { v: 1, t: 0, step: { loaded: '["set"]' } },
    { v: 1, t: 0, step: { attach: { observer: 'q1', storeId: '["off"]', gcTime: 500, adapter: ext } } },
    { v: 1, t: 0, observed: { kind: 'created', storeId: '["off"]', instance: 'i2' } },
    { v: 1, t: 100, step: { loaded: '["off"]' } },
    { v: 1, t: 100, step: { detach: 'q1' } },
    { v: 1, t: 100, step: { preload: { storeId: '["built"]', adapter: ext, gcTime: 300 } } },
    { v: 1, t: 100, observed: { kind: 'created', storeId: '["built"]', instance: 'i3' } },
    { v: 1, t: 100, step: { loaded: '["built"]' } },
    { v: 1, t: 400, observed: { kind: 'disposed', storeId: '["built"]', instance: 'i3' } },
    { v: 1, t: 600, observed: { kind: 'disposed', storeId: '["off"]', instance: 'i2' } },
    { v: 1, t: 1000, step: { drop: '["set"]' } },
    { v: 1, t: 1000, observed: { kind: 'disposed', storeId: '["set"]', instance: 'i1' } },
    { v: 1, t: 1000 },
  ])
})

// ---------------------------------------------------------------------------------------------
// The recorded traces judged by the real inspector (`store-inspector ingest`, SPEC 11): the
// model replays the steps and each library fact (created / disposed) must pair with the model's
// own at tolerance 0 on the virtual clock.

/** Records one scripted app on the virtual clock into <dir>/<name>.ndjson; returns the path. */
async function record(name, script) {
  const start = clock.now
  const client = new QueryClient()
  const file = join(dir, name + '.ndjson')
  const bridge = connectQueryClient(client, { file, app: name, now: () => clock.now - start, heartbeatMs: 0 })
  const at = (t) => clock.advanceTo(start + t)
  const observe = (options) => {
    const o = new QueryObserver(client, options)
    const unsubscribe = o.subscribe(() => {})
    return { o, unsubscribe }
  }
  const after = (ms, value, fail) => () => clock.sleep(ms).then(() => { if (fail) throw new Error(value); return value })
  await script({ client, at, observe, after })
  await bridge.close()
  return file
}

const traceLines = (file) => readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l))

/** Ingests the traces (text and JSON) and asserts no divergence, with every message counted. */
function assertNoDivergence(files, extra = []) {
  const { text, json } = ingest(files, extra)
  assert.equal(text.code, 0, 'ingest exits 0\n' + show(text))
  assert.match(text.stdout, /^0 divergences$/m, show(text))
  assert.equal(json.code, 0, show(json))
  assert.ok(json.parsed, 'ingest --format json prints one JSON document\n' + show(json))
  assert.deepEqual(json.parsed.divergences, [])
  assert.equal(json.parsed.badLines, 0)
  const msgs = files.map(traceLines)
  assert.equal(json.parsed.messages, msgs.flat().length, 'every line is a message')
  assert.equal(json.parsed.connections.length, files.length, 'one connection per trace')
  for (const [i, c] of json.parsed.connections.entries()) {
    assert.equal(c.library, 'tanstack-query')
    assert.equal(c.steps, msgs[i].filter((m) => m.step).length, `${files[i]}: every step executed`)
    assert.equal(c.facts, msgs[i].filter((m) => m.observed).length, `${files[i]}: every fact judged`)
    assert.equal(c.failedSteps, 0, `${files[i]}: no step failed`)
    assert.equal(c.divergences, 0)
    assert.equal(c.ended, true)
  }
  return json.parsed
}

/** The SPEC 2 scenarios: each disposal the library makes is one the model makes at that instant. */
async function recordSpecScenarios() {
  return record('tanstack-spec', async ({ client, at, observe, after }) => {
    // Two observers of one query attach and detach; GC counts from the last detach.
    const a1 = observe({ queryKey: ['todos'], gcTime: 5000, queryFn: after(100, 'todos') })
    const a2 = observe({ queryKey: ['todos'], gcTime: 2000, queryFn: after(100, 'todos') })
    await at(100)
    // prefetchQuery creates a query (fetch 50 ms, GC from its end); then one of fresh data
    // (staleTime) with a longer gcTime touches nothing in the library, and the bridge sends nothing.
    client.prefetchQuery({ queryKey: ['user'], gcTime: 3000, queryFn: after(50, 'user') })
    await at(200)
    client.prefetchQuery({ queryKey: ['user'], gcTime: 9000, staleTime: 60000, queryFn: after(50, 'user2') })
    await at(500)
    a2.unsubscribe()
    // prefetchQuery of a stale mounted query refetches it (the fetch holds the query).
    await at(1000)
    client.prefetchQuery({ queryKey: ['todos'], gcTime: 5000, queryFn: after(100, 'todos2') })
    await at(2000)
    a1.unsubscribe() // GC at 7000
    // A failing query (no retry), unmounted after the failure: GC from the unmount.
    const e = observe({ queryKey: ['err'], gcTime: 2000, retry: false, queryFn: after(10, 'boom', true) })
    // A failing prefetch: GC from the failure.
    client.prefetchQuery({ queryKey: ['err2'], gcTime: 700, queryFn: after(30, 'boom2', true) })
    await at(2100)
    e.unsubscribe() // GC at 4100
    // A query whose queryFn reads its signal is cancelled at the last unmount (loadFailed).
    const c = observe({ queryKey: ['cancel'], gcTime: 600, queryFn: ({ signal }) => (signal, clock.sleep(1000).then(() => 'late')) })
    await at(2150)
    c.unsubscribe() // GC at 2750
    // removeQueries of a mounted query: drop; its later unmount is not a detach.
    const r = observe({ queryKey: ['rm'], gcTime: 1000, queryFn: after(10, 'rm') })
    await at(3000)
    client.removeQueries({ queryKey: ['rm'] })
    await at(3100)
    r.unsubscribe()
    // setOptions: a gcTime change (detach + attach at the same instant) and a key change.
    const o = observe({ queryKey: ['opt'], gcTime: 1000, staleTime: 60000, queryFn: after(10, 'opt') })
    const k = observe({ queryKey: ['k1'], gcTime: 800, staleTime: 60000, queryFn: after(10, 'k1') })
    await at(4100)
    o.o.setOptions({ queryKey: ['opt'], gcTime: 4000, staleTime: 60000, queryFn: after(10, 'opt') })
    k.o.setOptions({ queryKey: ['k2'], gcTime: 800, staleTime: 60000, queryFn: after(10, 'k2') }) // k1: GC at 4900
    await at(4200)
    o.unsubscribe() // GC at 8200 (longest: 4000)
    k.unsubscribe() // k2: GC at 5000
    await at(9000)
  })
}

test('ingest: the TanStack scenarios SPEC 2 explains give 0 divergences (text and JSON)', async () => {
  requireBinary()
  const file = await recordSpecScenarios()
  const msgs = traceLines(file)
  if (process.env.BRIDGE_PRINT) console.log(msgs.map((m) => JSON.stringify(m)).join('\n'))
  // The trace has what each scenario is about, so 0 divergences is not 0 facts.
  const kinds = (k) => msgs.filter((m) => m.step?.[k] !== undefined).length
  const disposed = msgs.filter((m) => m.observed?.kind === 'disposed').map((m) => [m.observed.storeId, m.t])
  assert.deepEqual(disposed.sort(), [
    ['["cancel"]', 2750],
    ['["err"]', 4100],
    ['["err2"]', 2730],
    ['["k1"]', 4900],
    ['["k2"]', 5000],
    ['["opt"]', 8200],
    ['["rm"]', 3000],
    ['["todos"]', 7000],
    ['["user"]', 3150],
  ])
  assert.ok(kinds('attach') >= 6 && kinds('detach') >= 5 && kinds('preload') >= 3, 'attach, detach, preload')
  assert.equal(kinds('drop'), 1)
  assert.deepEqual(msgs.filter((m) => m.step?.loadFailed).map((m) => m.step.loadFailed.error).sort(), ['boom', 'boom2', 'cancelled'])
  assertNoDivergence([file])
  // And the second suite's trace (queries that never fetch, clear()).
  assertNoDivergence([join(dir, 'tanstack-2.ndjson')])
})

test('ingest: the judge is live on these traces: a disposal 10 ms off is two divergences', async () => {
  requireBinary()
  const file = join(dir, 'tanstack-spec.ndjson')
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
  const i = lines.findIndex((l) => l.includes('"disposed"') && l.includes('\\"user\\"'))
  assert.ok(i > 0, 'the trace has the disposal of ["user"]')
  const m = JSON.parse(lines[i])
  lines[i] = JSON.stringify({ ...m, t: m.t + 10 })
  const moved = join(dir, 'tanstack-moved.ndjson')
  writeFileSync(moved, lines.join('\n') + '\n')
  const { text, json } = ingest([moved])
  assert.equal(text.code, 1, show(text))
  assert.match(text.stdout, /^2 divergences$/m, show(text))
  assert.equal(json.code, 1)
  // Both sides named, each with its time (a divergence's own t is when it was settled).
  const div = json.parsed.divergences
  assert.deepEqual(div.map((d) => d.storeId), ['["user"]', '["user"]'])
  const texts = div.map((d) => d.message).sort().join('\n')
  assert.match(texts, new RegExp(`the library disposed .* at ${m.t + 10} ms and the model did not \\(the model disposed it at ${m.t} ms\\)`))
  assert.match(texts, new RegExp(`the model disposed .* at ${m.t} ms and the library did not \\(the library disposed it at ${m.t + 10} ms\\)`))
})

// These scenarios follow query-core's own GC rule, which SPEC 2 (profile `spec`) does not: a GC
// timer that fires while a fetch runs does nothing, and the fetch's end re-arms the full gcTime
// from that moment (query-core removable.ts scheduleGc / query.ts optionalRemove). The
// `tanstack-query-5` profile, chosen by hello.library "tanstack-query", makes the model follow it.
test('ingest under the tanstack-query-5 profile: a fetch still running when GC would fire', async () => {
  requireBinary()
  const file = await record('tanstack-profile', async ({ at, observe, after }) => {
    // Unmounted at 2500 (GC due 3500) while its 5 s fetch runs: the library disposes at 8000.
    const s = observe({ queryKey: ['slow'], gcTime: 1000, queryFn: after(5000, 'slow') })
    await at(500)
    s.unsubscribe()
    // Unmounted during a fetch that ends before the timer: re-armed from the end (1150, not 1100).
    const e = observe({ queryKey: ['early'], gcTime: 1000, queryFn: after(100, 'early') })
    await at(550)
    e.unsubscribe()
    await at(7000)
  })
  const disposed = traceLines(file).filter((m) => m.observed?.kind === 'disposed').map((m) => [m.observed.storeId, m.t])
  assert.deepEqual(disposed.sort(), [['["early"]', 1600], ['["slow"]', 6000]])
  // The first suite's trace has the same case (["slow"]) among the others.
  assertNoDivergence([file])
  assertNoDivergence([join(dir, 'tanstack.ndjson')])
})
