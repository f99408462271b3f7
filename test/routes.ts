/**
 * Every route the app serves, read from Express's own router (so a route added later is fuzzed without being listed).
 */
import type { Express } from 'express';

export interface AppRoute {
  method: 'get' | 'post';
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

export function appRoutes(app: Express): AppRoute[] {
  const found = new Map<string, AppRoute>();
  const walk = (layers: readonly Layer[]) => {
    for (const layer of layers) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== 'get' && method !== 'post') throw new Error(`a ${method} route: teach the fuzz test about it`);
          found.set(`${method} ${layer.route.path}`, { method, path: layer.route.path });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...found.values()];
}
