// A real browser (Debian's chromium, driven by puppeteer-core) runs a page with query-core's ESM
// build and the bridge's src as ES modules, served by a small HTTP server here; the page connects
// to the real `store-inspector listen`. A page from an allowed origin is journaled; a page whose
// Origin is not allowed is refused (403) and its bridge reports the failure.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import puppeteer from 'puppeteer-core'
import { journalCommands, listen, liveMessages, run, show, within } from './inspector.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const chromium = process.env.CHROMIUM || '/usr/bin/chromium'
const dir = mkdtempSync(join(tmpdir(), 'bridge-browser-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

const roots = {
  '/query-core/': join(here, '..', 'node_modules', '@tanstack', 'query-core', 'build', 'modern'),
  '/bridge/': join(here, '..', 'src'),
}

const page = `<!doctype html>
<meta charset="utf-8">
<title>bridge in a browser</title>
<script>
  // What a bundler does for query-core's ESM build (it reads process.env.NODE_ENV).
  globalThis.process = { env: { NODE_ENV: 'production' } }
</script>
<script type="importmap">{"imports": {"@tanstack/query-core": "/query-core/index.js"}}</script>
<script type="module" src="/app.js"></script>
`

// The app: a few queries (mounted, prefetched, failing), GC on real time, then close().
const app = `
import { QueryClient, QueryObserver } from '@tanstack/query-core'
import { connectQueryClient } from '/bridge/index.js'

const url = new URLSearchParams(location.search).get('ws')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const delay = (ms, v, fail) => () => sleep(ms).then(() => { if (fail) throw new Error(v); return v })
const sent = []
const errors = []
class RecordingWebSocket extends WebSocket {
  send(data) { sent.push(JSON.parse(data)); super.send(data) }
}
async function main() {
  const client = new QueryClient()
  const bridge = connectQueryClient(client, {
    url, app: 'browser-app', toleranceMs: 50, heartbeatMs: 200, reconnectMs: 100,
    WebSocket: RecordingWebSocket,
    onError: (e) => errors.push(String(e?.type ?? e?.message ?? e)),
  })
  const seen = []
  const a = new QueryObserver(client, { queryKey: ['todos'], gcTime: 200, queryFn: delay(20, ['a', 'b']) })
  const ua = a.subscribe((r) => seen.push(['todos', r.status]))
  const b = new QueryObserver(client, { queryKey: ['broken'], gcTime: 100, retry: false, queryFn: delay(10, 'offline', true) })
  const ub = b.subscribe((r) => seen.push(['broken', r.status]))
  await client.prefetchQuery({ queryKey: ['user', 7], gcTime: 150, queryFn: delay(15, { name: 'Ada' }) })
  await sleep(80)
  ua()
  ub()
  await sleep(600)
  seen.push(['cache', client.getQueryCache().getAll().length])
  const stats = bridge.stats()
  await bridge.close()
  window.__result = { seen, sent, errors, stats, origin: location.origin }
}
main().catch((e) => { window.__result = { crash: String(e?.stack ?? e) } })
`

/** Serves the page on host:port (port 0: a free one). */
function serve(host) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
      res.end(body)
    }
    if (path === '/') return send(200, 'text/html; charset=utf-8', page)
    if (path === '/app.js') return send(200, 'text/javascript', app)
    if (path === '/favicon.ico') return send(204, 'image/x-icon', '')
    for (const [prefix, root] of Object.entries(roots)) {
      if (!path.startsWith(prefix)) continue
      const file = normalize(join(root, decodeURIComponent(path.slice(prefix.length))))
      if (!file.startsWith(root + sep) || extname(file) !== '.js') break
      try {
        return send(200, 'text/javascript', readFileSync(file))
      } catch {
        break
      }
    }
    send(404, 'text/plain', 'not found\n')
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve(server))
  })
}

function launch() {
  try {
    accessSync(chromium, constants.X_OK)
  } catch {
    assert.fail(`no browser at ${chromium}: install Debian's chromium (scripts/bridge_test.sh does) or set CHROMIUM`)
  }
  const args = ['--headless=new', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run']
  if (process.getuid?.() === 0) args.push('--no-sandbox')
  return puppeteer.launch({ executablePath: chromium, headless: true, args, timeout: 60000 })
}

/** Opens the page and waits for its result; the page's console and errors go in the result. */
async function runPage(browser, pageUrl) {
  const tab = await browser.newPage()
  const log = []
  tab.on('console', (m) => log.push(m.text()))
  tab.on('pageerror', (e) => log.push('pageerror: ' + e.message))
  await tab.goto(pageUrl, { waitUntil: 'load', timeout: 30000 })
  await tab.waitForFunction('window.__result !== undefined', { timeout: 30000 }).catch((e) => {
    throw new Error(`${e.message}\npage log:\n${log.join('\n')}`)
  })
  const result = await tab.evaluate(() => window.__result)
  await tab.close()
  assert.equal(result.crash, undefined, `the page's app crashed: ${result.crash}\n${log.join('\n')}`)
  return result
}

test('Chromium: a page from an allowed origin is journaled; one from another origin is refused (403)', { timeout: 120000 }, async () => {
  const journal = join(dir, 'browser.sqlite')
  const listener = await listen(['--journal', journal, '--exit-after-disconnect'])
  const good = await serve('127.0.0.1')
  // 127.0.0.2 is loopback too, but http://127.0.0.2:<port> is not an allowed Origin.
  const evil = await serve('127.0.0.2')
  const browser = await launch()
  try {
    const ws = encodeURIComponent(listener.url)
    // The refused page first: its bridge never gets through, it reports errors, the app runs.
    const refused = await runPage(browser, `http://127.0.0.2:${evil.address().port}/?ws=${ws}`)
    assert.equal(refused.origin, `http://127.0.0.2:${evil.address().port}`)
    assert.equal(refused.stats.sent, 0, 'nothing went through')
    assert.ok(refused.errors.length >= 1, 'the bridge reported the failure to onError')
    assert.deepEqual(refused.seen.at(-1), ['cache', 0], 'the app ran the same')
    await within(5000, (async () => { while (!/refused \d+ connections? \(403: Origin not allowed\)/.test(listener.stderr())) await new Promise((r) => setTimeout(r, 20)) })(), 'listen logs the 403')

    const ok = await runPage(browser, `http://127.0.0.1:${good.address().port}/?ws=${ws}`)
    assert.deepEqual(ok.errors, [], 'no transport error')
    assert.ok(ok.sent.length > 10)
    assert.deepEqual(ok.seen.at(-1), ['cache', 0], 'the library garbage-collected every query')
    assert.deepEqual(ok.seen.filter(([k]) => k === 'broken').at(-1), ['broken', 'error'])
    const exit = await within(15000, listener.exited, 'listen exits once the page has gone')
    assert.equal(exit.code, 0, 'no divergence\n' + listener.stdout() + listener.stderr())
    assert.match(listener.stdout(), new RegExp(`^${ok.sent.length} messages from 1 connection`, 'm'))

    const checked = run(['check', journal])
    assert.equal(checked.code, 0, show(checked))
    const live = liveMessages(journalCommands(journal))
    const messages = live.filter((l) => l.message).map((l) => l.message)
    assert.deepEqual(messages, ok.sent, 'the journal has every message the page sent, in order')
    assert.equal(messages[0].hello.app, 'browser-app')
    assert.equal(messages[0].hello.environment, 'browser')
    assert.equal(messages[0].hello.toleranceMs, 50)
    const facts = messages.filter((m) => m.observed).map((m) => `${m.observed.kind} ${m.observed.storeId}`)
    assert.deepEqual(facts.sort(), [
      'created ["broken"]', 'created ["todos"]', 'created ["user",7]',
      'disposed ["broken"]', 'disposed ["todos"]', 'disposed ["user",7]',
    ])
    const steps = messages.filter((m) => m.step).map((m) => m.step)
    assert.ok(steps.some((s) => s.loadFailed?.storeId === '["broken"]' && s.loadFailed.error === 'offline'))
    assert.ok(steps.some((s) => s.preload?.storeId === '["user",7]'))
  } finally {
    await browser.close()
    good.close()
    evil.close()
    if (listener.proc.exitCode === null) await listener.stop()
  }
})
