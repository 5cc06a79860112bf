// Store Inspector bridge: sends a live app's store registry to the inspector (SPEC 11, v1).
export { connectQueryClient } from './tanstack.js'
export { connectStoreRegistry } from './livestore.js'
export { DEFAULT_MAX_BUFFER } from './transport.js'
