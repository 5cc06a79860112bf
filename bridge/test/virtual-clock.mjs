// A virtual clock for query-core's timeoutManager: timers fire only inside advance(), in order of
// (due time, scheduling order), each with the clock set to its due time; promise callbacks they
// cause run before the next timer fires.
export class VirtualClock {
  now = 0
  #seq = 0
  #timers = new Map()

  provider() {
    return {
      setTimeout: (cb, ms) => this.setTimeout(cb, ms),
      clearTimeout: (id) => this.clearTimeout(id),
      setInterval: (cb, ms) => this.setInterval(cb, ms),
      clearInterval: (id) => this.clearTimeout(id),
    }
  }

  setTimeout(cb, ms = 0) {
    const id = ++this.#seq
    this.#timers.set(id, { due: this.now + Math.max(0, ms | 0), seq: id, cb })
    return id
  }

  setInterval(cb, ms) {
    const id = ++this.#seq
    const tick = () => {
      this.#timers.set(id, { due: this.now + ms, seq: ++this.#seq, cb: () => (tick(), cb()) })
    }
    tick()
    return id
  }

  clearTimeout(id) {
    this.#timers.delete(id)
  }

  sleep(ms) {
    return new Promise((resolve) => this.setTimeout(resolve, ms))
  }

  async advance(ms) {
    await this.advanceTo(this.now + ms)
  }

  async advanceTo(target) {
    await settle()
    for (;;) {
      let next = null
      let nextId = null
      for (const [id, t] of this.#timers) {
        if (t.due <= target && (next === null || t.due < next.due || (t.due === next.due && t.seq < next.seq))) {
          next = t
          nextId = id
        }
      }
      if (!next) break
      this.#timers.delete(nextId)
      this.now = next.due
      next.cb()
      await settle()
    }
    this.now = target
  }
}

export const settle = () => new Promise((resolve) => setImmediate(resolve))
