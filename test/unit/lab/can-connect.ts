/** A probe of the lab tests: is anything listening on a port of 127.0.0.1? A real connection attempt, no mock. */
import { connect } from 'node:net'

/** True when something accepts connections on `port` of 127.0.0.1. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
