// What both library adapters share: the clock (t in integer ms since hello), the message
// envelope, heartbeats and closing.

import { openSink } from './transport.js'

/** hello.toleranceMs of a bridge on real time (performance.now), unless the caller gives one. */
export const REAL_TIME_TOLERANCE_MS = 50

/** @param {number | undefined | null} ms */
export function span(ms) {
  if (ms === Infinity) return 'Infinity'
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return undefined
  return Math.round(ms)
}

const defaultNow =
  typeof globalThis.performance?.now === 'function' ? () => globalThis.performance.now() : () => Date.now()

/**
 * @param {object} options the caller's options (url | file, app, now, heartbeatMs, ...)
 * @param {object} hello the hello body without app
 */
export function createCore(options, hello) {
  if (options == null || typeof options !== 'object') throw new TypeError('bridge: options are required')
  const now = options.now ?? defaultNow
  const t0 = now()
  let lastT = 0
  const nowT = () => {
    let t = Math.round(now() - t0)
    if (!(t >= lastT)) t = lastT // a clock never runs backwards in a trace
    lastT = t
    return t
  }
  const helloBody = { app: String(options.app ?? 'app'), ...hello }
  if (options.policy != null) helloBody.policy = options.policy
  // On real time (no `now` of the caller's) the library's timers and the bridge's rounding are a
  // few ms apart, so facts are judged within REAL_TIME_TOLERANCE_MS unless told otherwise.
  const toleranceMs = options.toleranceMs ?? (options.now == null ? REAL_TIME_TOLERANCE_MS : undefined)
  if (toleranceMs != null) helloBody.toleranceMs = toleranceMs
  const helloLine = JSON.stringify({ v: 1, hello: helloBody })
  const sink = openSink({ ...options, nowT }, () => helloLine)

  /** Sends one serialized message. */
  const send = (line) => sink.send(line)
  const step = (t, body) => send('{"v":1,"t":' + t + ',"step":' + JSON.stringify(body) + '}')
  const observed = (t, kind, storeId, instance) =>
    send(
      '{"v":1,"t":' + t + ',"observed":{"kind":"' + kind + '","storeId":' + JSON.stringify(storeId) +
        ',"instance":' + JSON.stringify(String(instance)) + '}}',
    )
  const heartbeat = () => send('{"v":1,"t":' + nowT() + '}')

  let beforeSend = () => {}
  const heartbeatMs = options.heartbeatMs ?? 1000
  let timer = null
  if (heartbeatMs > 0) {
    // The bridge's own timer (never the app's timeoutManager), unref'd so it keeps no process alive.
    timer = setInterval(() => {
      beforeSend()
      heartbeat()
      sink.flush?.()
    }, heartbeatMs)
    timer.unref?.()
  }
  let closing = null
  return {
    nowT,
    send,
    step,
    observed,
    heartbeat,
    sink,
    hello: helloBody,
    setBeforeSend(fn) {
      beforeSend = fn
    },
    close(detach) {
      if (closing) return closing
      if (timer) clearInterval(timer)
      detach?.()
      beforeSend()
      heartbeat()
      closing = sink.close()
      return closing
    },
  }
}
