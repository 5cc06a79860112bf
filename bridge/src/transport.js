// The sending side of a bridge: one SPEC 11 v1 message per WebSocket text frame, or one per line
// of an NDJSON trace file. Whatever happens to the inspector (absent, closing, slow), the app's
// calls never wait and never throw because of it: messages are queued, sent when possible, and
// dropped (counted) past a limit.

/** Messages kept while the inspector is unreachable; the newest are dropped beyond this. */
export const DEFAULT_MAX_BUFFER = 10000

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null
// Node's fs, loaded when the module loads (never in a browser) so a file sink can write from its
// first message on, even when the app runs synchronously for a long time.
const nodeFs = isNode ? (process.getBuiltinModule?.('node:fs') ?? (await import('node:fs'))) : null

/**
 * Opens the sink named by the options.
 * @param {{url?: string, file?: string, maxBuffer?: number, reconnectMs?: number,
 *          onError?: (err: unknown) => void, WebSocket?: any}} options
 * @param {() => string} helloLine the hello message, sent first on every connection
 * @returns {Promise<Sink> | Sink}
 */
export function openSink(options, helloLine) {
  if (options.file != null && options.url != null) throw new TypeError('bridge: give either url or file, not both')
  if (options.file != null) return new FileSink(options.file, helloLine, options)
  if (options.url != null) return new WebSocketSink(options.url, helloLine, options)
  throw new TypeError('bridge: give url (ws://127.0.0.1:<port>/bridge?token=...) or file (a trace path)')
}

/**
 * @typedef {object} Sink
 * @property {(line: string) => void} send queue one serialized message
 * @property {() => Promise<void>} close flush and close
 * @property {() => {sent: number, dropped: number, buffered: number}} stats
 */

/**
 * NDJSON file (Node only): lines are encoded into one reused buffer and written synchronously when
 * it fills, at each heartbeat and at close, so little garbage is made and a crash loses little.
 */
class FileSink {
  constructor(path, helloLine, options) {
    if (!nodeFs) throw new Error('bridge: the file option needs Node (use url in a browser)')
    this.fs = nodeFs
    this.path = path
    this.sent = 0
    this.count = 0
    this.closed = false
    this.onError = options.onError ?? (() => {})
    this.fd = nodeFs.openSync(path, 'w')
    this.buf = Buffer.allocUnsafe(1 << 20)
    this.used = 0
    this.send(helloLine())
    this.onExit = () => this.flush()
    process.once('exit', this.onExit)
  }

  send(line) {
    if (this.fd === null) return
    this.count++
    // Worst case 3 bytes per UTF-16 unit, plus the newline.
    if (this.used + line.length * 3 + 1 > this.buf.length) {
      this.flush()
      if (line.length * 3 + 1 > this.buf.length) {
        this.write(Buffer.from(line + '\n'))
        this.sent += this.count
        this.count = 0
        return
      }
    }
    this.used += this.buf.utf8Write(line, this.used)
    this.buf[this.used++] = 10
  }

  write(bytes) {
    try {
      this.fs.writeSync(this.fd, bytes)
    } catch (err) {
      this.onError(err)
    }
  }

  flush() {
    if (this.fd == null || this.used === 0) return
    this.write(this.buf.subarray(0, this.used))
    this.used = 0
    this.sent += this.count
    this.count = 0
  }

  async close() {
    if (this.closed) return
    this.closed = true
    this.flush()
    process.removeListener('exit', this.onExit)
    try {
      this.fs.closeSync(this.fd)
    } catch (err) {
      this.onError(err)
    }
    this.fd = null
  }

  stats() {
    return { sent: this.sent, dropped: 0, buffered: this.count }
  }
}

/**
 * WebSocket to the inspector. A lost or refused connection is retried every reconnectMs (a timer
 * of the bridge's own, unref'd in Node, never the app's timeoutManager). Each connection starts
 * with the hello, then the queued messages; messages dropped since the last report follow them as
 * a heartbeat with a count, {"v":1,"t":n,"dropped":count}.
 */
class WebSocketSink {
  constructor(url, helloLine, options) {
    this.url = url
    this.helloLine = helloLine
    this.maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER
    this.reconnectMs = options.reconnectMs ?? 1000
    this.onError = options.onError ?? (() => {})
    this.nowT = options.nowT
    this.queue = []
    this.sent = 0
    this.dropped = 0
    this.droppedReported = 0
    this.ws = null
    this.open = false
    this.closed = false
    this.timer = null
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket
    this.ready = this.WebSocketImpl
      ? Promise.resolve()
      : import('ws').then((m) => {
          this.WebSocketImpl = m.WebSocket ?? m.default
        })
    this.ready.then(() => this.connect(), (err) => this.onError(err))
  }

  connect() {
    if (this.closed) return
    let ws
    try {
      ws = new this.WebSocketImpl(this.url)
    } catch (err) {
      this.onError(err)
      this.retry()
      return
    }
    this.ws = ws
    ws.onopen = () => {
      this.open = true
      ws.send(this.helloLine())
      this.drain()
      // After the queue: the newest messages were the ones dropped, and t must not go back.
      if (this.dropped > this.droppedReported) {
        ws.send(JSON.stringify({ v: 1, t: this.nowT(), dropped: this.dropped - this.droppedReported }))
        this.droppedReported = this.dropped
      }
      if (this.closed) this.finish()
    }
    ws.onclose = () => {
      const wasOpen = this.open
      this.open = false
      this.ws = null
      if (this.closeResolve) this.closeResolve()
      else if (!this.closed) this.retry(wasOpen ? 0 : this.reconnectMs)
    }
    ws.onerror = (ev) => {
      this.onError(ev?.error ?? ev)
    }
    ws.onmessage = () => {} // error frames from the inspector are informational
  }

  retry(ms = this.reconnectMs) {
    if (this.closed || this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.connect()
    }, ms)
    this.timer.unref?.()
  }

  send(line) {
    if (this.closed) return
    if (this.open && this.queue.length === 0 && this.ws.readyState === 1) {
      try {
        this.ws.send(line)
        this.sent++
        return
      } catch (err) {
        this.onError(err)
      }
    }
    if (this.queue.length >= this.maxBuffer) {
      this.dropped++
      return
    }
    this.queue.push(line)
  }

  drain() {
    const q = this.queue
    this.queue = []
    for (const line of q) {
      this.ws.send(line)
      this.sent++
    }
  }

  async close() {
    if (this.closed) return this.closing
    this.closed = true
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    this.closing = new Promise((resolve) => {
      this.closeResolve = resolve
      if (this.open) this.finish()
      else if (this.ws) {
        // A connection attempt is under way: give it a short while to deliver the queue.
        const t = setTimeout(() => {
          try {
            this.ws?.close()
          } catch {}
          resolve()
        }, 500)
        t.unref?.()
      } else resolve()
    })
    return this.closing
  }

  finish() {
    const ws = this.ws
    // Close once the socket has handed everything to the OS (bufferedAmount drops to 0).
    const start = Date.now()
    const wait = () => {
      if (ws.bufferedAmount > 0 && Date.now() - start < 2000) {
        const t = setTimeout(wait, 10)
        t.unref?.()
      } else ws.close(1000)
    }
    wait()
  }

  stats() {
    return { sent: this.sent, dropped: this.dropped, buffered: this.queue.length }
  }
}
