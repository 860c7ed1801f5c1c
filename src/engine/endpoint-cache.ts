/**
 * Endpoints as the machines print them (`127.0.0.1:5002`), read once: a machine's `send` command names its
 * destination as text, and a busy sender names the same few destinations over and over. Bounded: when it holds
 * `size` entries it starts again empty, so a server answering many peers pays at most one parse per entry per round.
 * @module
 */
import { parseEndpoint, type Endpoint, type Result } from '../protocol/index.js';

/** A bounded cache of {@link parseEndpoint}. */
export interface EndpointCache {
  /** `parseEndpoint(text)`, from the cache when it was read before (failures are not kept). */
  parse(text: string): Result<Endpoint>;
}

/** Makes an {@link EndpointCache} of at most `size` endpoints (default 4,096). */
export const endpointCache = (size = 4_096): EndpointCache => {
  const known = new Map<string, Result<Endpoint>>();
  return {
    parse(text) {
      const hit = known.get(text);
      if (hit !== undefined) return hit;
      const parsed = parseEndpoint(text);
      if (!parsed.ok) return parsed;
      if (known.size >= size) known.clear();
      known.set(text, parsed);
      return parsed;
    },
  };
};
