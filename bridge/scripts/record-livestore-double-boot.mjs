// Reproduces LiveStore 0.4.0's double boot with the real library and records it as a trace:
// retain(o) and getOrLoadPromise(o) in the same tick for a new storeId boot the store twice
// (the retain's fiber waits on RcMap's semaphore, the synchronous call creates entry 1, the
// resumed fiber creates entry 2 and overwrites it). When entry 1's idle time runs out it deletes
// the key, evicting entry 2 while it is still retained; the release then closes entry 2 at once.
//
//   node scripts/record-livestore-double-boot.mjs [out.ndjson]
// writes ../assets/traces/livestore-double-boot.ndjson by default.
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { readFileSync } from 'node:fs'
import { StoreRegistry, storeOptions } from '../test/livestore-fixture.mjs'
import { connectStoreRegistry } from '../src/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const out = process.argv[2] ?? join(here, '..', '..', 'assets', 'traces', 'livestore-double-boot.ndjson')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const defaultOptions = { unusedCacheTime: 1000 }
const registry = new StoreRegistry({ defaultOptions })
const bridge = connectStoreRegistry(registry, { file: out, app: 'double-boot', defaultOptions, heartbeatMs: 1000 })

const options = storeOptions('issue-42')
// React's useStore order inverted (an effect's retain before a suspense load), same tick.
const release = registry.retain(options)
const store = await registry.getOrLoadPromise(options)
console.log('loaded', store.storeId)
// Entry 1 (the load's) was released at its load's end: it expires unusedCacheTime later and
// takes entry 2 with it from the map.
await sleep(2500)
release() // entry 2, no longer in the map, is closed at once
await sleep(300)
await bridge.close()
await registry.dispose()

const facts = readFileSync(out, 'utf8')
  .trimEnd()
  .split('\n')
  .map((l) => JSON.parse(l))
  .filter((m) => m.observed)
for (const m of facts) console.log(m.t, m.observed.kind, m.observed.storeId, m.observed.instance)
const created = facts.filter((m) => m.observed.kind === 'created' && m.observed.storeId === 'issue-42')
if (created.length !== 2 || created[0].observed.instance === created[1].observed.instance) {
  console.error('the double boot did not happen')
  process.exit(1)
}
console.log('wrote', out)
process.exit(0)
