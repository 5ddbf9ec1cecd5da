/** The TLS agent of every live Kubernetes connection: keep-alive, and the server always verified. */
import { Agent } from 'node:https';

/** A keep-alive TLS agent that always verifies the server (no insecure mode exists). */
export function verifyingAgent(
  tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; servername?: string },
  maxSockets: number,
): Agent {
  return new Agent({ keepAlive: true, maxSockets, rejectUnauthorized: true, ...tls });
}
