// TanStack Query 5 (query-core) → SPEC 11 messages.
//
// Mapping (storeId = query.queryHash; every step's adapter is {"type":"external"}):
// - a query enters the cache ("added"): it is announced by the first request that follows in the
//   same synchronous run: an observer's subscribe (attach) or, otherwise, a `preload` carrying
//   the query's gcTime, stamped with the time of "added"; plus an observed `created` fact.
// - observerAdded → attach (observer ids q1, q2, ... one per QueryObserver); observerRemoved →
//   detach; observerOptionsUpdated that changes storeId or gcTime → detach + attach, same t.
// - the first fetch of a query is the model's load: its end is `loaded` / `loadFailed` (a fetch
//   cancelled at the last unsubscribe ends it as loadFailed "cancelled"). A later fetch (refetch)
//   holds the query like a reference (the library's GC timer does nothing while it runs and is
//   re-armed at its end): it is sent as an attach of a fetch observer (f1, f2, ...) at its start
//   and its detach at its end.
// - prefetchQuery / ensureQueryData / fetchQuery on an existing query that starts a fetch →
//   `preload`; one that serves fresh data sends nothing (the library touches nothing then).
// - removal inside the GC timer → observed `disposed` only; any other removal (removeQueries,
//   clear, queryCache.remove) → `drop` + observed `disposed`, and the observers of that query
//   send no detach afterwards (the model has orphaned them).

import { createCore, span } from './core.js'

// GC removals are recognised by running inside Query.prototype.optionalRemove, the GC timer's
// callback (removable.ts scheduleGc → query.ts optionalRemove → cache.remove). The prototype is
// wrapped once for all bridges (patching each query would change the shape of the library's
// objects); the wrapper only counts its depth.
let gcDepth = 0
const gcPatches = new Map() // prototype → {orig, wrapper, users}

function patchGc(proto) {
  let patch = gcPatches.get(proto)
  if (!patch) {
    const orig = proto.optionalRemove
    if (typeof orig !== 'function') return () => {}
    const wrapper = function optionalRemove() {
      gcDepth++
      try {
        return orig.apply(this, arguments)
      } finally {
        gcDepth--
      }
    }
    proto.optionalRemove = wrapper
    patch = { orig, wrapper, users: 0 }
    gcPatches.set(proto, patch)
  }
  patch.users++
  let done = false
  return () => {
    if (done) return
    done = true
    if (--patch.users === 0) {
      if (proto.optionalRemove === patch.wrapper) proto.optionalRemove = patch.orig
      gcPatches.delete(proto)
    }
  }
}

const PREFETCH_METHODS = [
  'prefetchQuery',
  'ensureQueryData',
  'fetchQuery',
  'query',
  'prefetchInfiniteQuery',
  'ensureInfiniteQueryData',
  'fetchInfiniteQuery',
  'infiniteQuery',
]

/**
 * @param {any} queryClient a @tanstack/query-core QueryClient
 * @param {import('../index.d.ts').QueryClientBridgeOptions} options
 */
export function connectQueryClient(queryClient, options) {
  const cache = queryClient.getQueryCache()
  const isServer = options.isServer ?? typeof window === 'undefined'
  const defaults = queryClient.getDefaultOptions?.().queries ?? {}
  const defaultGc = span(defaults.gcTime ?? (isServer ? Infinity : 5 * 60 * 1000))
  const core = createCore(options, {
    library: 'tanstack-query',
    libraryVersion: String(options.libraryVersion ?? '5'),
    environment: options.environment ?? (isServer ? 'ssr' : 'browser'),
    defaultOptions: { gcTime: defaultGc },
  })
  const { nowT, send, step } = core

  /** @type {Map<any, QInfo>} */
  const queries = new Map()
  /** @type {WeakMap<any, OInfo>} */
  const observers = new WeakMap()
  /** @type {QInfo[]} */
  let pending = []
  let microtaskQueued = false
  let nextObserver = 1
  let nextFetch = 1
  let nextInstance = 1
  let prefetchDepth = 0
  /** @type {Map<any, () => void>} prototypes of queries whose optionalRemove this bridge wraps */
  const unpatch = new Map()

  /**
   * @typedef {{query: any, storeId: string, instance: string, announced: boolean, addedT: number,
   *   modelLoading: boolean, fetching: boolean, fetchStarts: number, hold: string | null,
   *   idJson: string}} QInfo
   * @typedef {{id: string, query: QInfo | null, gcTime: any, storeId: string | null}} OInfo
   */

  function track(query) {
    /** @type {QInfo} */
    const qi = {
      query,
      storeId: query.queryHash,
      instance: 'i' + nextInstance++,
      announced: false,
      addedT: nowT(),
      modelLoading: true,
      fetching: query.state.fetchStatus !== 'idle',
      fetchStarts: 0,
      hold: null,
      /** the storeId as a JSON string, made once */
      idJson: JSON.stringify(query.queryHash),
    }
    queries.set(query, qi)
    const proto = Object.getPrototypeOf(query)
    if (!unpatch.has(proto)) unpatch.set(proto, patchGc(proto))
    return qi
  }

  // Observer ids are [a-z][0-9]+ and storeIds come JSON-escaped from QInfo.idJson.
  function attachLine(t, id, idJson, gcTime) {
    send(
      '{"v":1,"t":' + t + ',"step":{"attach":{"observer":"' + id + '","storeId":' + idJson +
        (gcTime === undefined ? '' : gcTime === 'Infinity' ? ',"gcTime":"Infinity"' : ',"gcTime":' + gcTime) +
        ',"adapter":{"type":"external"}}}}',
    )
  }
  function detachLine(t, id) {
    send('{"v":1,"t":' + t + ',"step":{"detach":"' + id + '"}}')
  }
  function fact(t, kind, qi) {
    send('{"v":1,"t":' + t + ',"observed":{"kind":"' + kind + '","storeId":' + qi.idJson + ',"instance":"' + qi.instance + '"}}')
  }
  /** whether an observer is attached, in the model, to a query still in the cache */
  const attachedTo = (oi) => oi.query !== null && queries.get(oi.query.query) === oi.query

  /** Announces a query no request has announced yet, by a preload stamped when it was added. */
  function announceByPreload(qi) {
    qi.announced = true
    const body = { storeId: qi.storeId, adapter: { type: 'external' } }
    const gc = span(qi.query.gcTime)
    if (gc !== undefined) body.gcTime = gc
    step(qi.addedT, { preload: body })
    fact(qi.addedT, 'created', qi)
    loadedIfReady(qi, qi.addedT)
  }

  /** A query created with data or an error already (initialData, hydration) has no load to wait for. */
  function loadedIfReady(qi, t) {
    if (qi.modelLoading && !qi.fetching && qi.query.state.status !== 'pending') endLoad(qi, t, null)
  }

  function flushPending(except) {
    if (pending.length === 0) return
    const list = pending
    pending = []
    for (const qi of list) if (qi !== except && !qi.announced && queries.get(qi.query) === qi) announceByPreload(qi)
  }

  function queueMicrotaskFlush() {
    if (microtaskQueued) return
    microtaskQueued = true
    queueMicrotask(() => {
      microtaskQueued = false
      const list = pending
      pending = []
      for (const qi of list) {
        if (qi.announced || queries.get(qi.query) !== qi) continue
        announceByPreload(qi)
        // Created and left idle (an observer built but not subscribed, a disabled query): the
        // library's GC timer runs from the query's construction; in the model the load is over.
        if (qi.modelLoading && !qi.fetching && qi.query.observers.length === 0) endLoad(qi, nowT(), null)
      }
    })
  }

  function endLoad(qi, t, action) {
    qi.modelLoading = false
    const state = qi.query.state
    if (action?.type === 'error' || (action?.type !== 'success' && state.status === 'error')) {
      const err = action?.error ?? state.error
      step(t, { loadFailed: { storeId: qi.storeId, error: errorText(err) } })
    } else if (action?.type === 'setState' && state.status === 'pending') {
      step(t, { loadFailed: { storeId: qi.storeId, error: 'cancelled' } })
    } else send('{"v":1,"t":' + t + ',"step":{"loaded":' + qi.idJson + '}}')
  }

  function onEvent(event) {
    const query = event.query
    switch (event.type) {
      case 'added': {
        const qi = track(query)
        pending.push(qi)
        queueMicrotaskFlush()
        return
      }
      case 'removed': {
        const qi = queries.get(query)
        if (!qi) return
        flushPending()
        if (!qi.announced) announceByPreload(qi)
        queries.delete(query)
        const t = nowT()
        if (gcDepth === 0) {
          // The model orphans its observers: their later unsubscribes send nothing (attachedTo).
          step(t, { drop: qi.storeId })
          qi.hold = null
        }
        fact(t, 'disposed', qi)
        return
      }
      case 'observerAdded': {
        const qi = queries.get(query)
        if (!qi) return
        flushPending(qi)
        const observer = event.observer
        let oi = observers.get(observer)
        if (!oi) {
          oi = { id: 'q' + nextObserver++, query: null, gcTime: undefined, storeId: null }
          observers.set(observer, oi)
        }
        if (attachedTo(oi)) return
        const t = qi.announced ? nowT() : qi.addedT
        const gc = span(observer.options?.gcTime)
        attachLine(t, oi.id, qi.idJson, gc)
        oi.query = qi
        oi.gcTime = gc
        oi.storeId = qi.storeId
        if (!qi.announced) {
          qi.announced = true
          fact(t, 'created', qi)
          loadedIfReady(qi, t)
        }
        return
      }
      case 'observerRemoved': {
        const qi = queries.get(query)
        const oi = observers.get(event.observer)
        if (!qi || !oi || oi.query !== qi) return
        flushPending()
        const t = nowT()
        // Never fetched and now unobserved: the library arms its GC timer now; the model's load
        // must be over for its timer to count.
        if (qi.modelLoading && !qi.fetching && query.observers.length === 0) endLoad(qi, t, null)
        detachLine(t, oi.id)
        oi.query = null
        return
      }
      case 'observerOptionsUpdated': {
        const qi = queries.get(query)
        const oi = observers.get(event.observer)
        if (!qi || !oi || oi.query !== qi) return
        const gc = span(event.observer.options?.gcTime)
        if (gc === oi.gcTime && qi.storeId === oi.storeId) return
        flushPending()
        const t = nowT()
        detachLine(t, oi.id)
        attachLine(t, oi.id, qi.idJson, gc)
        oi.gcTime = gc
        oi.storeId = qi.storeId
        return
      }
      case 'updated': {
        const qi = queries.get(query)
        if (!qi) return
        flushPending(qi)
        if (!qi.announced) announceByPreload(qi)
        const fetchingNow = query.state.fetchStatus !== 'idle'
        const action = event.action
        if (!qi.fetching && fetchingNow) {
          qi.fetching = true
          qi.fetchStarts++
          if (!qi.modelLoading) {
            qi.hold = 'f' + nextFetch++
            attachLine(nowT(), qi.hold, qi.idJson, span(query.gcTime))
          }
        } else if (qi.fetching && !fetchingNow) {
          qi.fetching = false
          const t = nowT()
          if (qi.modelLoading) endLoad(qi, t, action)
          else if (qi.hold) {
            detachLine(t, qi.hold)
            qi.hold = null
          }
        } else if (!fetchingNow && qi.modelLoading && (action.type === 'success' || action.type === 'error')) {
          // Data or an error written without a fetch (setQueryData, hydration).
          endLoad(qi, nowT(), action)
        }
        return
      }
      default:
    }
  }

  // Queries already in the cache when the bridge connects: announced as they are now.
  for (const query of cache.getAll()) {
    const qi = track(query)
    announceByPreload(qi)
    if (qi.modelLoading && !qi.fetching) endLoad(qi, qi.addedT, null)
    for (const observer of query.observers) onEvent({ type: 'observerAdded', query, observer })
  }

  const unsubscribe = cache.subscribe(onEvent)

  // prefetch/ensure/fetch on the client instance: preload when they start a fetch of a query
  // that already existed (a new query is announced by its "added").
  const restore = []
  for (const name of PREFETCH_METHODS) {
    const orig = queryClient[name]
    if (typeof orig !== 'function') continue
    const own = Object.prototype.hasOwnProperty.call(queryClient, name)
    const wrapped = function (...args) {
      if (prefetchDepth > 0) return orig.apply(this, args)
      let qi
      let starts = 0
      let gc
      try {
        const defaulted = this.defaultQueryOptions(args[0])
        const q = cache.get(defaulted.queryHash)
        qi = q && queries.get(q)
        starts = qi ? qi.fetchStarts : 0
        gc = span(defaulted.gcTime)
      } catch {
        qi = undefined
      }
      prefetchDepth++
      try {
        return orig.apply(this, args)
      } finally {
        prefetchDepth--
        if (qi && qi.fetchStarts > starts && queries.get(qi.query) === qi) {
          const body = { storeId: qi.storeId, adapter: { type: 'external' } }
          if (gc !== undefined) body.gcTime = gc
          step(nowT(), { preload: body })
        }
      }
    }
    queryClient[name] = wrapped
    restore.push(() => {
      if (queryClient[name] !== wrapped) return
      if (own) queryClient[name] = orig
      else delete queryClient[name]
    })
  }

  core.setBeforeSend(() => flushPending())

  return {
    close() {
      return core.close(() => {
        unsubscribe()
        for (const r of restore) r()
        for (const undo of unpatch.values()) undo()
      })
    },
    stats: () => core.sink.stats(),
  }
}

export function errorText(err) {
  if (err == null) return 'error'
  if (typeof err === 'string') return err
  if (typeof err.message === 'string') return (err.name && err.name !== 'Error' ? err.name + ': ' : '') + err.message
  try {
    return String(err)
  } catch {
    return 'error'
  }
}
