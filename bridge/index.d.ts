// Types of the Store Inspector bridge (SPEC 11 "Live attach", message format v1).

export interface BridgeOptions {
  /** ws://127.0.0.1:<port>/bridge?token=<token>, as printed by `store-inspector listen`. */
  url?: string
  /** Path of an NDJSON trace to write (Node only), for `store-inspector ingest`. */
  file?: string
  /** The app's name; the inspector names the connection's registry after it. */
  app: string
  /** Clock in ms, the one the app's timers use (default performance.now()); t = now() - now() at connect, rounded. */
  now?: () => number
  /** SPEC 2.4 policy sent in hello (default: the library profile's). */
  policy?: 'longest' | 'first' | 'last' | 'shortest'
  /** hello.environment (default: "browser" with a global window, else "ssr"). */
  environment?: 'browser' | 'ssr'
  /** hello.toleranceMs, for traces on real time. */
  toleranceMs?: number
  /** Shown by the inspector, not interpreted. */
  libraryVersion?: string
  /** Heartbeat period in ms (default 1000; 0 = only the one at close). */
  heartbeatMs?: number
  /** Messages kept while the inspector is unreachable (default 10000); newer ones are dropped and counted. */
  maxBuffer?: number
  /** Delay between connection attempts in ms (default 1000). */
  reconnectMs?: number
  /** Called with transport errors (default: ignored; the app never sees them). */
  onError?: (error: unknown) => void
  /** A WebSocket constructor to use instead of the global one or the `ws` package. */
  WebSocket?: unknown
}

export interface QueryClientBridgeOptions extends BridgeOptions {
  /** Whether query-core treats this as a server (default gcTime Infinity); default: no global window. */
  isServer?: boolean
}

export interface StoreRegistryBridgeOptions extends BridgeOptions {
  /** The defaultOptions the StoreRegistry was given (it does not expose them). */
  defaultOptions?: { unusedCacheTime?: number; disableDevtools?: boolean | 'auto'; confirmUnsavedChanges?: boolean; [key: string]: unknown }
  /** The app's Effect module, to report getOrLoad used as an Effect as an attach for its scope. */
  effect?: unknown
}

export interface BridgeStats {
  sent: number
  dropped: number
  buffered: number
}

export interface Bridge {
  /** Stops watching, restores what was wrapped, sends a last heartbeat; resolves once flushed. */
  close(): Promise<void>
  stats(): BridgeStats
}

export declare function connectQueryClient(queryClient: unknown, options: QueryClientBridgeOptions): Bridge
export declare function connectStoreRegistry(registry: unknown, options: StoreRegistryBridgeOptions): Bridge
export declare const DEFAULT_MAX_BUFFER: number

/** The v1 messages a bridge sends, one per WebSocket text frame or NDJSON line. */
export type SpanMs = number | 'Infinity'
export interface RawRequest {
  storeId: string
  gcTime?: SpanMs
  adapter: { type: 'external' }
}
export type Step =
  | { attach: RawRequest & { observer: string } }
  | { detach: string }
  | { preload: RawRequest }
  | { drop: string }
  | { clear: true }
  | { loaded: string }
  | { loadFailed: { storeId: string; error: string } }
export type Message =
  | {
      v: 1
      hello: {
        app: string
        library: 'tanstack-query' | 'livestore' | 'custom'
        libraryVersion: string
        policy?: string
        environment: 'browser' | 'ssr'
        defaultOptions: { gcTime?: SpanMs; [key: string]: unknown }
        toleranceMs?: number
      }
    }
  | { v: 1; t: number; step: Step }
  | { v: 1; t: number; observed: { kind: 'created' | 'disposed'; storeId: string; instance: string } }
  | { v: 1; t: number; dropped?: number }
