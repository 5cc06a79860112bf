// The bridge against the real `store-inspector listen` (SPEC 11) over WebSocket, with a journal:
// an app end to end, then hostile clients (garbage, wrong token, wrong Origin, a client that
// never reads, a slow handshake, 200 connections at once, a client gone mid-message) while a
// well-behaved client's messages must all end up in the journal.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { QueryClient, QueryObserver } from '@tanstack/query-core'
import { connectQueryClient } from '../src/index.js'
import { journalCommands, listen, liveMessages, run, show, within } from './inspector.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const dir = mkdtempSync(join(tmpdir(), 'bridge-listen-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

/** A `ws` WebSocket that keeps every frame the bridge sends, to compare with the journal. */
function recordingWebSocket(sent) {
  return class RecordingWebSocket extends WebSocket {
    send(data, ...rest) {
      sent.push(JSON.parse(String(data)))
      return super.send(data, ...rest)
    }
  }
}

/** A small app on real time: two queries mounted, one prefetched, one failing; GC runs. */
async function queriesApp(client) {
  const seen = []
  const delay = (ms, v, fail) => () => sleep(ms).then(() => { if (fail) throw new Error(v); return v })
  const a = new QueryObserver(client, { queryKey: ['todos', 1], gcTime: 150, queryFn: delay(20, 'todo 1') })
  const ua = a.subscribe((r) => seen.push(['todos', r.status, r.data ?? null]))
  const b = new QueryObserver(client, { queryKey: ['user'], gcTime: 100, retry: false, queryFn: delay(10, 'no user', true) })
  const ub = b.subscribe((r) => seen.push(['user', r.status]))
  await client.prefetchQuery({ queryKey: ['config'], gcTime: 120, queryFn: delay(15, { theme: 'dark' }) })
  await sleep(60)
  ua()
  ub()
  await sleep(400) // every GC timer fires
  seen.push(['cache', client.getQueryCache().getAll().length])
  return seen
}

test('end to end: an app connects to `listen`, the journal has every message, check replays it', async () => {
  const journal = join(dir, 'e2e.sqlite')
  const server = await listen(['--journal', journal, '--exit-after-disconnect', '--tolerance-ms', '50'])
  assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+\/bridge\?token=[0-9a-f]{32}$/, 'a random token in the URL')
  assert.notEqual(server.port, 7071, '--port 0 picks a free port')

  const sent = []
  const errors = []
  const client = new QueryClient()
  const bridge = connectQueryClient(client, {
    url: server.url,
    app: 'e2e-web',
    WebSocket: recordingWebSocket(sent),
    heartbeatMs: 100,
    onError: (e) => errors.push(e),
  })
  const seen = await queriesApp(client)
  await bridge.close()
  const exit = await within(10000, server.exited, 'listen --exit-after-disconnect exits once the app has gone')
  assert.deepEqual(errors, [], 'no transport error')
  assert.deepEqual(seen.at(-1), ['cache', 0], 'every query was garbage-collected by the library')

  // listen's own report: one connection, every message, no divergence.
  assert.equal(exit.code, 0, 'no divergence\n' + server.stdout() + server.stderr())
  assert.match(server.stdout(), new RegExp(`^${sent.length} messages from 1 connection`, 'm'), server.stdout())
  assert.match(server.stdout(), /^0 divergences$/m)
  assert.equal(server.stderr(), '', 'nothing was refused or invalid')

  // The journal replays (check) and holds exactly what the bridge sent, in order.
  const checked = run(['check', journal])
  assert.equal(checked.code, 0, show(checked))
  assert.match(checked.stdout, /ok \(journal, \d+ commands, \d+ events, replay matches\)/)
  const commands = journalCommands(journal)
  const live = liveMessages(commands)
  const messages = live.filter((l) => l.message).map((l) => l.message)
  assert.deepEqual(messages, sent, 'the journal has every message the bridge sent, in order')
  assert.ok(live.every((l) => l.connection === 1))
  assert.ok(live.at(-1).end, 'the connection end is journaled')
  assert.equal(messages[0].hello.app, 'e2e-web')
  assert.equal(messages[0].hello.library, 'tanstack-query')

  // The queries themselves, as the model got them.
  const steps = messages.filter((m) => m.step).map((m) => m.step)
  const facts = messages.filter((m) => m.observed).map((m) => `${m.observed.kind} ${m.observed.storeId}`)
  assert.ok(steps.some((s) => s.attach?.storeId === '["todos",1]' && s.attach.gcTime === 150))
  assert.ok(steps.some((s) => s.attach?.storeId === '["user"]'))
  assert.ok(steps.some((s) => s.preload?.storeId === '["config"]' && s.preload.gcTime === 120))
  assert.ok(steps.some((s) => s.loadFailed?.storeId === '["user"]' && s.loadFailed.error === 'no user'))
  assert.ok(steps.some((s) => s.loaded === '["todos",1]'))
  assert.deepEqual(facts.sort(), [
    'created ["config"]', 'created ["todos",1]', 'created ["user"]',
    'disposed ["config"]', 'disposed ["todos",1]', 'disposed ["user"]',
  ])
})

// --- hostile clients ------------------------------------------------------------------------

/** Client frame (masked, as RFC 6455 requires of clients); `len` may lie about the payload. */
function frame(opcode, payload, { fin = true, len = payload.length } = {}) {
  const mask = randomBytes(4)
  let head
  if (len < 126) head = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | len])
  else if (len < 65536) {
    head = Buffer.alloc(4)
    head[0] = (fin ? 0x80 : 0) | opcode
    head[1] = 0x80 | 126
    head.writeUInt16BE(len, 2)
  } else {
    head = Buffer.alloc(10)
    head[0] = (fin ? 0x80 : 0) | opcode
    head[1] = 0x80 | 127
    head.writeBigUInt64BE(BigInt(len), 2)
  }
  const body = Buffer.from(payload)
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3]
  return Buffer.concat([head, mask, body])
}

/** A raw TCP client that does the WebSocket upgrade by hand; resolves with the socket after 101. */
function rawUpgrade(port, path) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let got = ''
    socket.once('error', reject)
    socket.on('data', function onData(d) {
      got += d.toString('latin1')
      if (!got.includes('\r\n\r\n')) return
      socket.removeListener('data', onData)
      if (!got.startsWith('HTTP/1.1 101')) reject(new Error('no upgrade: ' + got.split('\r\n')[0]))
      else resolve(socket)
    })
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    )
  })
}

/** Opens a `ws` client; resolves {ws, status} once open (status 101) or refused (its HTTP status). */
function openClient(url, options = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, options)
    ws.on('open', () => resolve({ ws, status: 101 }))
    ws.on('unexpected-response', (_req, res) => {
      resolve({ ws, status: res.statusCode })
      res.resume()
      ws.terminate()
    })
    ws.on('error', (err) => resolve({ ws, status: 0, err }))
  })
}

const closeClient = (ws) =>
  new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve()
    ws.on('close', () => resolve())
    ws.close(1000)
  })

/**
 * Valid messages of a well-behaved client named `app`: hello, n stores attached (with the
 * library's creation fact), loaded and detached (gcTime Infinity: nothing is disposed), a
 * heartbeat. Many clients at once skew each other's times on the session clock (a t earlier
 * than the clock is applied at the clock), so the hello asks for a tolerance that covers it.
 */
function goodMessages(app, n) {
  const msgs = [{ v: 1, hello: { app, library: 'custom', toleranceMs: 60000 } }]
  for (let i = 0; i < n; i++) {
    const t = i * 2
    msgs.push({ v: 1, t, step: { attach: { observer: 'o' + i, storeId: 's' + i, gcTime: 'Infinity', adapter: { type: 'external' } } } })
    msgs.push({ v: 1, t, observed: { kind: 'created', storeId: 's' + i, instance: 'i' + i } })
    msgs.push({ v: 1, t, step: { loaded: 's' + i } })
    msgs.push({ v: 1, t: t + 1, step: { detach: 'o' + i } })
  }
  msgs.push({ v: 1, t: n * 2 })
  return msgs
}

/** Sends the messages one per frame, then closes; the messages it sent. */
async function wellBehaved(url, app, n, options) {
  const { ws, status, err } = await openClient(url, options)
  assert.equal(status, 101, `${app}: accepted (${err?.message ?? ''})`)
  const msgs = goodMessages(app, n)
  for (const m of msgs) ws.send(JSON.stringify(m))
  await closeClient(ws)
  return msgs
}

test('hostile clients: refused, answered or dropped; every good message journaled; the server keeps serving', async () => {
  const journal = join(dir, 'hostile.sqlite')
  const server = await listen(['--journal', journal, '--allow-origin', 'https://app.example.com'])
  const { url, port, token } = server
  const expected = new Map() // app → messages that must be in the journal

  // A well-behaved client first: the baseline.
  expected.set('good-1', await wellBehaved(url, 'good-1', 20))

  // Wrong, missing, empty token → 401; wrong path → 404; an Origin not allowed → 403.
  const base = `ws://127.0.0.1:${port}`
  assert.equal((await openClient(`${base}/bridge?token=${'0'.repeat(32)}`)).status, 401)
  assert.equal((await openClient(`${base}/bridge?token=${token}x`)).status, 401)
  assert.equal((await openClient(`${base}/bridge`)).status, 401)
  assert.equal((await openClient(`${base}/bridge?token=`)).status, 401)
  assert.equal((await openClient(`${base}/other?token=${token}`)).status, 404)
  assert.equal((await openClient(url, { origin: 'http://evil.example' })).status, 403)
  assert.equal((await openClient(url, { origin: 'http://localhost.evil.example:3000' })).status, 403)
  assert.equal((await openClient(url, { origin: 'null' })).status, 403)
  assert.equal((await openClient(url, { origin: 'https://localhost:3000' })).status, 403, 'https is another origin')
  // Allowed Origins: the defaults and --allow-origin.
  expected.set('origin-localhost', await wellBehaved(url, 'origin-localhost', 2, { origin: 'http://localhost:5173' }))
  expected.set('origin-loopback', await wellBehaved(url, 'origin-loopback', 2, { origin: 'http://127.0.0.1:8080' }))
  expected.set('origin-allowed', await wellBehaved(url, 'origin-allowed', 2, { origin: 'https://app.example.com' }))

  // Garbage on an accepted connection: each gets an error frame, the connection stays open and
  // its valid messages after the garbage count.
  const { ws: junk, status } = await openClient(url)
  assert.equal(status, 101)
  const replies = []
  junk.on('message', (d) => replies.push(JSON.parse(String(d))))
  const garbage = [
    'not json',
    '{"v":1,"t":',
    '[]',
    '{"v":2,"t":1}',
    '{"v":1,"t":-5}',
    '{"v":1,"t":1.5}',
    '{"v":1,"hello":{"app":""}}',
    '{"v":1,"t":1,"step":{},"observed":{}}',
    '{"v":1,"t":1,"extra":true}',
    JSON.stringify({ v: 1, t: 1, step: { attach: { observer: 'x' } }, pad: 'y'.repeat(1 << 20) }), // over 1 MiB
  ]
  for (const g of garbage) junk.send(g)
  junk.send(Buffer.from([1, 2, 3]), { binary: true })
  await within(10000, (async () => { while (replies.length < garbage.length + 1) await sleep(10) })(), 'an error frame per bad message')
  assert.equal(replies.length, garbage.length + 1)
  for (const r of replies) {
    assert.equal(r.v, 1)
    assert.equal(typeof r.error, 'string', JSON.stringify(r))
  }
  assert.match(replies.at(-2).error, /over the limit/)
  assert.match(replies.at(-1).error, /binary/)
  assert.equal(junk.readyState, WebSocket.OPEN, 'the connection stays open')
  const junkGood = goodMessages('junk-then-good', 3)
  for (const m of junkGood) junk.send(JSON.stringify(m))
  expected.set('junk-then-good', junkGood)
  await closeClient(junk)

  // A client that never reads: it floods bad messages whose error frames pile up unread.
  const deaf = await rawUpgrade(port, `/bridge?token=${token}`)
  deaf.pause()
  const floodCount = 100000
  const flood = Buffer.concat(Array.from({ length: floodCount }, () => frame(1, '{"v":1,"t":"' + 'z'.repeat(100) + '"}')))
  const floodWritten = new Promise((resolve) => deaf.write(flood, resolve)) // handed to the kernel
  // A slow handshake: half a request line, then nothing.
  const slowloris = connect(port, '127.0.0.1')
  slowloris.on('error', () => {})
  slowloris.write('GET /bridge?tok')
  // A client gone mid-message: a frame that announces 1000 bytes and carries 100; and a
  // fragmented message whose first part only arrives.
  const cut1 = await rawUpgrade(port, `/bridge?token=${token}`)
  cut1.write(frame(1, '{"v":1,' + ' '.repeat(93), { len: 1000 }).subarray(0, 2 + 2 + 4 + 100))
  const cut2 = await rawUpgrade(port, `/bridge?token=${token}`)
  cut2.write(frame(1, '{"v":1,"hello":', { fin: false }))
  await sleep(50)
  cut1.destroy()
  cut2.destroy()

  // Meanwhile, 200 connections at once, each with its own messages.
  const many = await Promise.all(Array.from({ length: 200 }, (_, i) => wellBehaved(url, `many-${i}`, 3)))
  many.forEach((msgs, i) => expected.set(`many-${i}`, msgs))

  // The server still serves a well-behaved app (the real bridge) while the deaf client sits there.
  const sent = []
  const client = new QueryClient()
  const bridge = connectQueryClient(client, { url, app: 'good-bridge', WebSocket: recordingWebSocket(sent), heartbeatMs: 0 })
  const o = new QueryObserver(client, { queryKey: ['after'], gcTime: Infinity, queryFn: () => sleep(5).then(() => 1) })
  const un = o.subscribe(() => {})
  await sleep(50)
  un()
  await bridge.close()
  expected.set('good-bridge', sent)
  expected.set('good-2', await wellBehaved(url, 'good-2', 20))

  // The deaf client reads at last: the error frames the server could not send were dropped
  // past its queue's limit, not kept without bound. (Once the flood is in the kernel, the server
  // has read all of it but what the socket buffers hold, and answered it into a connection whose
  // buffers hold far fewer than 100,000 error frames.)
  await within(30000, floodWritten, 'the server reads the flood of a client that does not read')
  let received = Buffer.alloc(0)
  let frames = 0
  deaf.on('data', (d) => {
    received = Buffer.concat([received, d])
    for (;;) {
      if (received.length < 2) break
      let len = received[1] & 0x7f
      let head = 2
      if (len === 126) {
        if (received.length < 4) break
        len = received.readUInt16BE(2)
        head = 4
      }
      if (received.length < head + len) break
      frames++
      received = received.subarray(head + len)
    }
  })
  deaf.resume()
  let last = -1
  while (frames !== last) {
    last = frames
    await sleep(300)
  }
  console.log(`the deaf client got ${frames} of ${floodCount} error frames`)
  assert.ok(frames > 0, 'it gets error frames once it reads')
  assert.ok(frames < floodCount, `error frames for a client that does not read are dropped past a limit (${frames} of ${floodCount} arrived)`)
  deaf.destroy()
  slowloris.destroy()
  await sleep(200)
  const exit = await within(15000, server.stop(), 'listen ends on SIGTERM')
  assert.equal(exit.code, 0, 'no divergence: garbage is counted, not judged\n' + server.stdout().slice(-2000) + server.stderr().slice(-2000))
  // listen's transcript: the refusals, the bad messages of the junk connection, and for the
  // flood the first 20 then the count (so a flood cannot make logging everyone's bottleneck).
  const stderr = server.stderr()
  const count = (re) => [...stderr.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0)
  assert.equal(count(/^listen: refused (\d+) connections? \(401: missing or wrong token\)$/gm), 4, stderr.slice(0, 3000))
  assert.equal(count(/^listen: refused (\d+) connections? \(403: Origin not allowed\)$/gm), 4)
  assert.match(stderr, /^listen: connection \d+: message of \d+ bytes is over the limit of 1048576 bytes \(1 MiB\)$/m)
  assert.match(stderr, /^listen: connection \d+: expected a text frame \(one JSON message\), got a binary frame$/m)
  const flooded = /^listen: connection (\d+): (\d+) invalid messages in all$/m.exec(stderr)
  assert.ok(flooded, 'the flood is summed up')
  assert.ok(Number(flooded[2]) >= frames, 'each error frame answered a bad message')
  const shown = stderr.split('\n').filter((l) => l.startsWith(`listen: connection ${flooded[1]}: /t: `)).length
  assert.equal(shown, 20, 'the first 20 bad messages of a connection are shown')

  // The journal: every good message of every client, each connection's in order, nothing else.
  const checked = run(['check', journal])
  assert.equal(checked.code, 0, show(checked))
  const live = liveMessages(journalCommands(journal))
  const byConnection = new Map()
  for (const l of live) {
    if (!l.message) continue
    if (!byConnection.has(l.connection)) byConnection.set(l.connection, [])
    byConnection.get(l.connection).push(l.message)
  }
  const byApp = new Map()
  for (const msgs of byConnection.values()) {
    assert.ok(msgs[0].hello, 'each journaled connection starts with its hello')
    assert.ok(!byApp.has(msgs[0].hello.app), 'one connection per app')
    byApp.set(msgs[0].hello.app, msgs)
  }
  assert.deepEqual([...byApp.keys()].sort(), [...expected.keys()].sort(), 'exactly the good clients')
  for (const [app, msgs] of expected) assert.deepEqual(byApp.get(app), msgs, `${app}: every message, in order`)
  const total = [...expected.values()].reduce((n, m) => n + m.length, 0)
  assert.equal(live.filter((l) => l.message).length, total)
  assert.match(server.stdout(), new RegExp(`^${total} messages from ${expected.size} connections`, 'm'))
})
