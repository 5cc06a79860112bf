// The real `store-inspector` binary, for tests that hand it what the bridge produced: `ingest` of a
// trace, `listen` as a child process, `check` / `export` of a journal.
// The binary comes from env STORE_INSPECTOR, else <repo>/build/store-inspector (what
// scripts/build.sh makes). A missing binary is a failure with a clear message, never a skip.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '..', '..')
export const binary = process.env.STORE_INSPECTOR || join(repoRoot, 'build', 'store-inspector')

/** Fails the calling test when the binary is not there (build it with scripts/build.sh). */
export function requireBinary() {
  try {
    accessSync(binary, constants.X_OK)
  } catch {
    assert.fail(
      `store-inspector binary not found or not executable at ${binary}: build it first ` +
        `(bash scripts/build.sh) or point STORE_INSPECTOR at it`,
    )
  }
  return binary
}

/** Runs the binary to completion: {code, stdout, stderr}. */
export function run(args, options = {}) {
  requireBinary()
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 60000, ...options })
  if (r.error) throw r.error
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

/** Formats a run for an assertion message. */
export const show = (r) => `exit ${r.code}${r.signal ? ' (' + r.signal + ')' : ''}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`

/** `ingest` in text and in JSON form: {text, json} (json.parsed is the summary). */
export function ingest(traces, extra = []) {
  const text = run(['ingest', ...traces, ...extra])
  const json = run(['ingest', ...traces, ...extra, '--format', 'json'])
  let parsed = null
  try {
    parsed = JSON.parse(json.stdout)
  } catch {}
  return { text, json: { ...json, parsed } }
}

/**
 * Starts `store-inspector listen --port 0 ...` and resolves once it printed its URL:
 * {url, port, token, proc, stdout(), stderr(), exited: Promise<{code, signal}>, stop()}.
 */
export function listen(args = [], { timeoutMs = 15000 } = {}) {
  requireBinary()
  const proc = spawn(binary, ['listen', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  proc.stdout.setEncoding('utf8')
  proc.stderr.setEncoding('utf8')
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })))
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      rejectStart(new Error(`listen printed no URL within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`))
    }, timeoutMs)
    proc.stderr.on('data', (d) => (err += d))
    proc.stdout.on('data', (d) => {
      out += d
      const m = /listening on (ws:\/\/127\.0\.0\.1:(\d+)\/bridge\?token=([0-9A-Za-z_-]+))/.exec(out)
      if (m && timer) {
        clearTimeout(timer)
        resolveStart({
          url: m[1],
          port: Number(m[2]),
          token: m[3],
          proc,
          stdout: () => out,
          stderr: () => err,
          exited,
          /** SIGTERM (the documented way to end it), then the exit status */
          async stop() {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
            return exited
          },
        })
      }
    })
    exited.then(({ code, signal }) => {
      clearTimeout(timer)
      rejectStart(new Error(`listen exited (${code ?? signal}) before printing its URL\nstdout: ${out}\nstderr: ${err}`))
    })
  })
}

/** Resolves with the value of `promise`, or fails after `ms`. */
export function within(ms, promise, what) {
  let timer
  return Promise.race([
    promise,
    new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/**
 * The commands of a journal (SPEC 6), in order, each parsed: read with Python's sqlite3 module
 * (python3 is one of scripts/deps.sh's packages), read-only.
 */
export function journalCommands(path) {
  const py =
    'import json,sqlite3,sys\n' +
    'c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True)\n' +
    'print(json.dumps([json.loads(r[0]) for r in c.execute("select command from commands order by seq")]))\n'
  const r = spawnSync('python3', ['-c', py, path], { encoding: 'utf8', timeout: 30000 })
  if (r.error) assert.fail(`python3 is needed to read the journal (scripts/deps.sh installs it): ${r.error.message}`)
  assert.equal(r.status, 0, `reading ${path}: ${r.stderr}`)
  return JSON.parse(r.stdout)
}

/** The live messages of a journal's commands ({"live": {"connection", "message"}}), in order. */
export const liveMessages = (commands) => commands.filter((c) => c.live).map((c) => c.live)
