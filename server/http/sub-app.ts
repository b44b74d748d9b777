/**
 * A route class's Hono sub-app, registered from the route table: one handler per route of the
 * class (TypeScript insists on every one, and on no other), each behind its rate limit when the
 * table gives one. Class-wide middleware (the public API's gate) goes in `setup`, before routes.
 */
import { Hono, type Handler } from 'hono';
import type { AppContext, Env } from './env.js';
import { rateLimit } from './middleware/rate-limit.js';
import { ROUTES, type RouteClass, type RouteIdOf, type RouteSpec } from './route-table.js';

export type Handlers<C extends RouteClass> = { [K in RouteIdOf<C>]: Handler<Env> };

export function subApp<C extends RouteClass>(
  ctx: AppContext,
  routeClass: C,
  handlers: Handlers<C>,
  setup?: (app: Hono<Env>) => void,
): Hono<Env> {
  const app = new Hono<Env>();
  setup?.(app);
  for (const [id, handler] of Object.entries(handlers) as [keyof typeof ROUTES, Handler<Env>][]) {
    const route: RouteSpec = ROUTES[id];
    if (route.class !== routeClass) throw new Error(`Route ${id} is not of class ${routeClass}`);
    if (route.rateLimit) app.on(route.method, route.path, rateLimit(route.rateLimit, ctx), handler);
    else app.on(route.method, route.path, handler);
  }
  return app;
}
