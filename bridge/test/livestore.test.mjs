import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StoreRegistry, storeOptions } from './livestore-fixture.mjs'
import { connectStoreRegistry } from '../src/index.js'
import { ingest, repoRoot, requireBinary, show } from './inspector.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const dir = mkdtempSync(join(tmpdir(), 'bridge-ls-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

test('LiveStore 0.4 on real time: facts and steps of retain, preload and disposal', async () => {
  const file = join(dir, 'livestore.ndjson')
  const defaultOptions = { unusedCacheTime: 300 }
  const registry = new StoreRegistry({ defaultOptions })
  const bridge = connectStoreRegistry(registry, { file, app: 'ls-app', defaultOptions, heartbeatMs: 0, toleranceMs: 5000 })

  // A component retains a store after loading it (React: getOrLoadPromise in render, retain in
  // an effect, after the load).
  const a = storeOptions('issue-a')
  const store = await registry.getOrLoadPromise(a)
  assert.equal(typeof store.sessionId, 'string', 'the app gets a real store')
  const release = registry.retain(a)
  await sleep(50)
  release() // countdown 300 ms
  await sleep(600)
  // A preload of another store, never retained: disposed 300 ms after its load.
  await registry.preload(storeOptions('issue-b', { unusedCacheTime: 200 }))
  await sleep(900)
  await bridge.close()
  await registry.dispose()

  const msgs = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l))
  assert.deepEqual(msgs[0], {
    v: 1,
    hello: { app: 'ls-app', library: 'livestore', libraryVersion: '0.4', environment: 'ssr', defaultOptions: { gcTime: 300 }, toleranceMs: 5000 },
  })
  const shape = msgs.slice(1).map((m) => {
    if (m.step) return JSON.stringify(m.step)
    if (m.observed) return `${m.observed.kind} ${m.observed.storeId} ${m.observed.instance}`
    return 'heartbeat'
  })
  const ext = { type: 'external' }
  assert.deepEqual(shape, [
    JSON.stringify({ preload: { storeId: 'issue-a', adapter: ext } }),
    'created issue-a b1',
    JSON.stringify({ loaded: 'issue-a' }),
    JSON.stringify({ attach: { observer: 'r1', storeId: 'issue-a', adapter: ext } }),
    JSON.stringify({ detach: 'r1' }),
    'disposed issue-a b1',
    JSON.stringify({ preload: { storeId: 'issue-b', gcTime: 200, adapter: ext } }),
    'created issue-b b2',
    JSON.stringify({ loaded: 'issue-b' }),
    'disposed issue-b b2',
    'heartbeat',
  ])
  // Times, within a tolerance (a boot blocks the event loop): disposals come one unusedCacheTime
  // after the release / the load's end.
  const at = (pred) => msgs.find((m) => m.t !== undefined && pred(m)).t
  const detachA = at((m) => m.step?.detach === 'r1')
  const disposedA = at((m) => m.observed?.kind === 'disposed' && m.observed.storeId === 'issue-a')
  const loadedB = at((m) => m.step?.loaded === 'issue-b')
  const disposedB = at((m) => m.observed?.kind === 'disposed' && m.observed.storeId === 'issue-b')
  const tol = 150
  assert.ok(Math.abs(disposedA - detachA - 300) <= tol, `issue-a disposed ${disposedA - detachA} ms after release`)
  assert.ok(Math.abs(disposedB - loadedB - 200) <= tol, `issue-b disposed ${disposedB - loadedB} ms after its load`)
  for (let i = 2; i < msgs.length; i++) assert.ok(msgs[i].t >= msgs[i - 1].t || msgs[i - 1].t === undefined, 't never decreases')
})

test('ingest: the simple LiveStore app (no double boot) gives 0 divergences at --tolerance-ms 50', () => {
  requireBinary()
  // Recorded by the test above on real time; a boot blocks the event loop, so the judge gets a
  // stated tolerance (the hello's 5000 ms is overridden).
  const file = join(dir, 'livestore.ndjson')
  const msgs = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l))
  const { text, json } = ingest([file], ['--tolerance-ms', '50'])
  assert.equal(text.code, 0, show(text))
  assert.match(text.stdout, /^0 divergences$/m, show(text))
  assert.equal(json.code, 0, show(json))
  assert.deepEqual(json.parsed.divergences, [])
  const [c] = json.parsed.connections
  assert.equal(c.library, 'livestore')
  assert.equal(c.toleranceMs, 50, '--tolerance-ms overrides the hello')
  assert.equal(c.facts, msgs.filter((m) => m.observed).length)
  assert.equal(c.facts, 4, 'two creations and two disposals judged')
  assert.equal(c.steps, msgs.filter((m) => m.step).length)
  assert.equal(c.failedSteps, 0)
})

test('ingest: the recorded LiveStore 0.4.0 double boot exits 1 and names both instances', () => {
  requireBinary()
  // assets/traces/livestore-double-boot.ndjson, recorded by scripts/record-livestore-double-boot.mjs
  const file = join(repoRoot, 'assets', 'traces', 'livestore-double-boot.ndjson')
  const msgs = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l))
  const created = msgs.filter((m) => m.observed?.kind === 'created').map((m) => m.observed.instance)
  assert.deepEqual(created, ['b1', 'b2'], 'the trace has two boots of one storeId')
  assert.equal(msgs.filter((m) => m.step?.loaded).length, 1, 'loaded only for the first live instance')
  const { text, json } = ingest([file])
  assert.equal(text.code, 1, 'divergences: exit 1\n' + show(text))
  assert.match(text.stdout, /two live instances of "issue-42": "b1" \(created at \d+ ms\) and "b2" \(created at \d+ ms\)/, show(text))
  assert.equal(json.code, 1, show(json))
  const two = json.parsed.divergences.filter((d) => d.message.includes('two live instances'))
  assert.equal(two.length, 1, JSON.stringify(json.parsed.divergences, null, 1))
  assert.equal(two[0].storeId, 'issue-42')
  assert.match(two[0].message, /"b1".*"b2"/)
  assert.equal(json.parsed.connections[0].failedSteps, 0, 'every step of the trace is valid')
})
