// A small TanStack Query app for trying live attach by hand (README "Inspect a running app"):
//   node bridge/examples/demo-app.mjs 'ws://127.0.0.1:7071/bridge?token=...' [seconds]
// Mounts and unmounts a few observers on real time, prefetches, refetches and removes queries,
// so the inspector's Live panel, Registry table and timeline have something to show.
import { QueryClient, QueryObserver } from '@tanstack/query-core'
import { connectQueryClient } from '../src/index.js'

const url = process.argv[2]
const seconds = Number(process.argv[3] ?? 20)
if (!url) {
  console.error('usage: node bridge/examples/demo-app.mjs WS_URL [seconds]')
  process.exit(2)
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const client = new QueryClient({ defaultOptions: { queries: { gcTime: 3000 } } })
const bridge = connectQueryClient(client, { url, app: 'demo-app' })
const fetcher = (key, ms) => () => sleep(ms).then(() => ({ key, at: Date.now() }))

const pages = ['todos', 'user', 'settings', 'feed', 'inbox']
const mounted = new Map()
const end = Date.now() + seconds * 1000
let i = 0
while (Date.now() < end) {
  const page = pages[i % pages.length]
  const key = [page, i % 3]
  if (mounted.has(page)) {
    mounted.get(page)()
    mounted.delete(page)
  } else {
    const o = new QueryObserver(client, { queryKey: key, queryFn: fetcher(page, 150 + 50 * (i % 4)), gcTime: 1000 + 500 * (i % 5) })
    mounted.set(page, o.subscribe(() => {}))
  }
  if (i % 7 === 0) await client.prefetchQuery({ queryKey: ['prefetched', i % 2], queryFn: fetcher('p', 100) })
  if (i % 11 === 0) client.removeQueries({ queryKey: ['settings'] })
  i++
  await sleep(250)
}
for (const unsubscribe of mounted.values()) unsubscribe()
await sleep(200)
bridge.close()
console.log(`demo-app: ${i} actions sent`)
