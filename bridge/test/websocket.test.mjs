import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { QueryClient, QueryObserver, timeoutManager } from '@tanstack/query-core'
import { connectQueryClient } from '../src/index.js'
import { VirtualClock, settle } from './virtual-clock.mjs'

const clock = new VirtualClock()
timeoutManager.setTimeoutProvider(clock.provider())
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * A tiny stand-in for `store-inspector listen`: /bridge with ?token=..., 401 otherwise; every
 * text frame must be one JSON object.
 */
function startServer(port = 0, token = 'secret') {
  const frames = []
  const refused = []
  const http = createServer()
  const wss = new WebSocketServer({ noServer: true })
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    if (url.pathname !== '/bridge' || url.searchParams.get('token') !== token) {
      refused.push(req.url)
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, isBinary) => {
        assert.equal(isBinary, false, 'text frames')
        const text = data.toString('utf8')
        assert.ok(!text.includes('\n'), 'one message per frame')
        const msg = JSON.parse(text)
        assert.equal(typeof msg, 'object')
        assert.equal(msg.v, 1)
        frames.push(msg)
      })
    })
  })
  return new Promise((resolve) => {
    http.listen(port, '127.0.0.1', () => {
      resolve({
        port: http.address().port,
        frames,
        refused,
        close: () =>
          new Promise((r) => {
            for (const c of wss.clients) c.terminate()
            wss.close()
            http.close(() => r())
          }),
      })
    })
  })
}

async function waitFor(pred, ms = 5000) {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out')
    await sleep(10)
  }
}

/** Ten queries mounted and unmounted; returns what the app saw. */
async function churn(client) {
  const seen = []
  for (let k = 0; k < 10; k++) {
    const o = new QueryObserver(client, { queryKey: ['k', k], gcTime: 1000, initialData: k, staleTime: Infinity })
    const un = o.subscribe((r) => seen.push(r.data))
    seen.push(o.getCurrentResult().data)
    await clock.advance(10)
    un()
  }
  await clock.advance(2000)
  seen.push(client.getQueryCache().getAll().length)
  return seen
}

test('WebSocket: token in the URL, one JSON message per text frame, hello first, heartbeat at close', async () => {
  const server = await startServer()
  const client = new QueryClient()
  const start = clock.now
  const bridge = connectQueryClient(client, {
    url: `ws://127.0.0.1:${server.port}/bridge?token=secret`,
    app: 'ws-app',
    now: () => clock.now - start,
    heartbeatMs: 0,
  })
  await waitFor(() => server.frames.length >= 1)
  await churn(client)
  await bridge.close()
  await waitFor(() => server.frames.at(-1)?.step === undefined && server.frames.length > 40)
  assert.deepEqual(server.refused, [])
  assert.equal(server.frames[0].hello.app, 'ws-app')
  assert.deepEqual(server.frames[1], { v: 1, t: 0, step: { attach: { observer: 'q1', storeId: '["k",0]', gcTime: 1000, adapter: { type: 'external' } } } })
  assert.deepEqual(server.frames[2], { v: 1, t: 0, observed: { kind: 'created', storeId: '["k",0]', instance: 'i1' } })
  assert.deepEqual(server.frames[3], { v: 1, t: 0, step: { loaded: '["k",0]' } })
  assert.deepEqual(server.frames[4], { v: 1, t: 10, step: { detach: 'q1' } })
  // 10 × (attach, created, loaded, detach, disposed) + the closing heartbeat
  assert.equal(server.frames.length, 1 + 50 + 1)
  assert.deepEqual(server.frames.at(-1), { v: 1, t: 2100 })
  await server.close()
})

test('a wrong token is refused (401) and the bridge keeps the app running', async () => {
  const server = await startServer(0, 'right')
  const client = new QueryClient()
  const bridge = connectQueryClient(client, { url: `ws://127.0.0.1:${server.port}/bridge?token=wrong`, app: 'x', heartbeatMs: 0, reconnectMs: 20 })
  await waitFor(() => server.refused.length >= 2)
  const seen = await churn(client)
  assert.deepEqual(seen, await churn(new QueryClient()))
  await bridge.close()
  assert.equal(server.frames.length, 0)
  await server.close()
})

test('inspector absent: the app runs the same; messages are buffered, then dropped and counted', async () => {
  // A port that was free a moment ago, closed now.
  const probe = await startServer()
  const port = probe.port
  await probe.close()

  const plain = await churn(new QueryClient())
  const client = new QueryClient()
  const start = clock.now
  const bridge = connectQueryClient(client, {
    url: `ws://127.0.0.1:${port}/bridge?token=secret`,
    app: 'absent',
    now: () => clock.now - start,
    heartbeatMs: 0,
    maxBuffer: 5,
    reconnectMs: 30,
  })
  const bridged = await churn(client)
  assert.deepEqual(bridged, plain, 'same results with the inspector absent')
  assert.deepEqual(bridge.stats(), { sent: 0, dropped: 45, buffered: 5 })

  // The inspector comes up: hello, the five kept messages, then the dropped count.
  const server = await startServer(port)
  await waitFor(() => server.frames.length >= 7)
  assert.equal(server.frames[0].hello.app, 'absent')
  assert.deepEqual(server.frames.slice(1, 6).map((m) => m.t), [0, 0, 0, 10, 10])
  assert.deepEqual(server.frames[6], { v: 1, t: 2100, dropped: 45 })
  await bridge.close()
  await waitFor(() => server.frames.length >= 8)
  assert.deepEqual(server.frames[7], { v: 1, t: 2100 })
  await server.close()
  await settle()
})
