// LiveStore 0.4 StoreRegistry → SPEC 11 messages.
//
// The registry has no events, so the bridge wraps the instance's own properties (getOrLoad,
// getOrLoadPromise, retain, preload, dispose) and watches boots and disposals through a Proxy at
// globalThis.__debugLiveStore, where createStore puts each store after its boot and deletes it
// when the store's scope closes.
// - retain(o) → attach (observer r1, r2, ...), its release → detach (once).
// - getOrLoadPromise(o), preload(o) → preload (a load holds a reference until it ends, and a
//   request for a loaded store restarts its countdown: SPEC rule 6). A rejected load → loadFailed.
// - getOrLoad(o) run by the app as an Effect → attach while its scope is open (needs the app's
//   Effect module as options.effect; without it, a preload at the call).
// - __debugLiveStore[storeId] = store → observed created (instance b1, b2, ...) + loaded (for
//   the first live instance only);
//   delete → observed disposed of the oldest live instance of that storeId (with the 0.4.0
//   double boot, entry 1's finalizer deletes the key while entry 2 is the one in the map).
// - registry.dispose() → clear.

import { createCore, span } from './core.js'
import { errorText } from './tanstack.js'

/**
 * @param {any} registry a @livestore/livestore StoreRegistry
 * @param {import('../index.d.ts').StoreRegistryBridgeOptions} options
 */
export function connectStoreRegistry(registry, options) {
  const isBrowser = typeof window !== 'undefined'
  const defaults = options.defaultOptions ?? {}
  const defaultOptions = {
    gcTime: span(defaults.unusedCacheTime ?? (isBrowser ? 60000 : Infinity)),
  }
  for (const key of ['disableDevtools', 'confirmUnsavedChanges']) {
    const v = defaults[key]
    if (typeof v === 'boolean' || v === 'auto') defaultOptions[key] = v
  }
  const core = createCore(
    { toleranceMs: 1000, ...options },
    {
      library: 'livestore',
      libraryVersion: String(options.libraryVersion ?? '0.4'),
      environment: options.environment ?? (isBrowser ? 'browser' : 'ssr'),
      defaultOptions,
    },
  )
  const { nowT, step, observed } = core
  const Effect = options.effect

  /** storeIds this registry was asked for: boots of other registries in the page are not ours */
  const requested = new Set()
  /** @type {Map<string, string[]>} live instance ids per storeId, oldest first */
  const live = new Map()
  let nextRetain = 1
  let nextBoot = 1
  let depth = 0

  function request(o) {
    const storeId = String(o?.storeId)
    requested.add(storeId)
    const body = { storeId }
    const gc = span(o?.unusedCacheTime)
    if (gc !== undefined) body.gcTime = gc
    body.adapter = { type: 'external' }
    return body
  }

  function attach(o) {
    const id = 'r' + nextRetain++
    step(nowT(), { attach: { observer: id, ...request(o) } })
    let released = false
    return () => {
      if (released) return
      released = true
      step(nowT(), { detach: id })
    }
  }

  // --- boots and disposals, exactly ---
  const hadDebug = Object.prototype.hasOwnProperty.call(globalThis, '__debugLiveStore')
  const target = globalThis.__debugLiveStore ?? {}
  const proxy = new Proxy(target, {
    set(obj, key, value) {
      obj[key] = value
      if (typeof key === 'string' && requested.has(key)) {
        const instance = 'b' + nextBoot++
        const list = live.get(key) ?? []
        // A second live instance (the 0.4.0 double boot) is the library's alone: the model
        // has one instance, already loaded, so only the fact is sent (the inspector names both).
        const first = list.length === 0
        list.push(instance)
        live.set(key, list)
        const t = nowT()
        observed(t, 'created', key, instance)
        if (first) step(t, { loaded: key })
      }
      return true
    },
    deleteProperty(obj, key) {
      const had = delete obj[key]
      const list = typeof key === 'string' ? live.get(key) : undefined
      if (list && list.length > 0) {
        const instance = list.shift()
        if (list.length === 0) live.delete(key)
        observed(nowT(), 'disposed', key, instance)
      }
      return had
    },
  })
  globalThis.__debugLiveStore = proxy

  // --- the registry's own properties ---
  const orig = {}
  const wrappers = {
    retain(o) {
      const release = orig.retain.call(this, o)
      const detach = attach(o)
      return function () {
        try {
          return release.apply(this, arguments)
        } finally {
          detach()
        }
      }
    },
    getOrLoadPromise(o) {
      const nested = depth > 0
      if (!nested) step(nowT(), { preload: request(o) })
      depth++
      let result
      try {
        result = orig.getOrLoadPromise.call(this, o)
      } catch (err) {
        step(nowT(), { loadFailed: { storeId: String(o?.storeId), error: errorText(err) } })
        throw err
      } finally {
        depth--
      }
      if (result && typeof result.then === 'function') {
        // A side branch: the app's promise is returned untouched.
        result.then(undefined, (err) => {
          const storeId = String(o?.storeId)
          if (!live.has(storeId)) step(nowT(), { loadFailed: { storeId, error: errorText(err) } })
        })
      }
      return result
    },
    preload(o) {
      step(nowT(), { preload: request(o) })
      depth++
      try {
        return orig.preload.call(this, o)
      } finally {
        depth--
      }
    },
    getOrLoad(o) {
      const effect = orig.getOrLoad.call(this, o)
      if (depth > 0) return effect
      if (Effect && typeof Effect.acquireRelease === 'function') {
        return Effect.zipRight(
          Effect.acquireRelease(
            Effect.sync(() => attach(o)),
            (detach) => Effect.sync(() => detach()),
          ),
          effect,
        )
      }
      step(nowT(), { preload: request(o) })
      return effect
    },
    dispose() {
      step(nowT(), { clear: true })
      return orig.dispose.call(this)
    },
  }
  for (const name of Object.keys(wrappers)) {
    if (typeof registry[name] !== 'function') continue
    orig[name] = registry[name]
    registry[name] = wrappers[name]
  }

  return {
    close() {
      return core.close(() => {
        for (const name of Object.keys(orig)) if (registry[name] === wrappers[name]) registry[name] = orig[name]
        if (globalThis.__debugLiveStore === proxy) {
          if (hadDebug || Object.keys(target).length > 0) globalThis.__debugLiveStore = target
          else delete globalThis.__debugLiveStore
        }
      })
    },
    stats: () => core.sink.stats(),
  }
}
