import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { QueryClient, QueryObserver, timeoutManager } from '@tanstack/query-core'
import { connectQueryClient } from '../src/index.js'
import { VirtualClock, settle } from './virtual-clock.mjs'

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
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

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
