// `store-inspector listen` over loopback WebSocket from one Node client, with the journal on
// (issue: at least 200,000 messages/s). Sends the first N messages of a trace (a W1 trace:
// `node bench/w1.mjs --keep /tmp/w1.ndjson`) as fast as the socket takes them, then closes;
// the clock stops when the listener has exited, i.e. every message was replayed, judged and
// committed to the journal. Prints a figure, never pass/fail.
//
//   node bench/listen.mjs TRACE.ndjson [--messages 500000] [--runs 3] [--no-journal]
// (--no-journal: the listener keeps no journal, to see what the journal costs)
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { binary, requireBinary } from '../test/inspector.mjs'

const args = process.argv.slice(2)
const arg = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const trace = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a))
if (!trace) {
  console.error('usage: node bench/listen.mjs TRACE.ndjson [--messages N] [--runs N] [--no-journal]')
  process.exit(2)
}
requireBinary()
const limit = Number(arg('--messages', 500000))
const journaled = !args.includes('--no-journal')
const lines = readFileSync(trace, 'utf8').split('\n').filter((l) => l.length > 0).slice(0, limit)

function once() {
  const dir = mkdtempSync(join(tmpdir(), 'listen-bench-'))
  const journal = join(dir, 'bench.sqlite')
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['listen', '--port', '0', ...(journaled ? ['--journal', journal] : []), '--exit-after-disconnect'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let t0 = 0
    child.stdout.on('data', (d) => {
      out += d
      const m = /listening on (ws:\S+)/.exec(out)
      if (!m || t0) return
      const ws = new WebSocket(m[1])
      ws.on('open', () => {
        t0 = performance.now()
        for (const l of lines) ws.send(l)
        ws.close()
      })
      ws.on('error', reject)
    })
    child.on('exit', (code) => {
      const seconds = (performance.now() - t0) / 1000
      rmSync(dir, { recursive: true, force: true })
      const summary = /(\d+) messages from/.exec(out)
      if (code !== 0 && code !== 1) return reject(new Error(`listen exited ${code}\n${out}`))
      resolve({ seconds, received: summary ? Number(summary[1]) : NaN })
    })
  })
}

const runs = Number(arg('--runs', 3))
const rates = []
for (let i = 0; i < runs; i++) {
  const r = await once()
  const rate = Math.round(r.received / r.seconds)
  rates.push(rate)
  console.log(`run ${i + 1}: ${r.received.toLocaleString('en-US')} messages in ${r.seconds.toFixed(2)} s: ${rate.toLocaleString('en-US')} messages/s`)
}
rates.sort((a, b) => a - b)
console.log(`listen, one client, journal ${journaled ? 'on' : 'off'}: median ${rates[Math.floor(rates.length / 2)].toLocaleString('en-US')} messages/s (${runs} runs of ${lines.length.toLocaleString('en-US')} messages)`)
