// A minimal LiveStore 0.4 app: one table, the Node adapter with in-memory storage.
import { makeSchema, State, Events, StoreRegistry } from '@livestore/livestore'
import { makeAdapter } from '@livestore/adapter-node'
import { Schema } from '@livestore/utils/effect'

const todos = State.SQLite.table({
  name: 'todos',
  columns: { id: State.SQLite.text({ primaryKey: true }), text: State.SQLite.text({ default: '' }) },
})
const events = {
  todoCreated: Events.synced({ name: 'todo.created', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) }),
}
const materializers = State.SQLite.materializers(events, {
  'todo.created': ({ id, text }) => todos.insert({ id, text }),
})
export const schema = makeSchema({ events, state: State.SQLite.makeState({ tables: { todos }, materializers }) })
export const adapter = makeAdapter({ storage: { type: 'in-memory' } })
export { StoreRegistry }
export const storeOptions = (storeId, extra = {}) => ({ storeId, schema, adapter, disableDevtools: true, ...extra })
