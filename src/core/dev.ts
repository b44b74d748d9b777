/**
 * `__CITA_DEV__` is `false` only in the script-tag bundle, whose build (vite.config.ts) defines it,
 * so the minifier drops what serves developers and generators rather than the page, the way Lit's
 * production build drops its dev mode: the contract's JSON Schema metadata, and checks of client
 * options that the bundle's elements never set. It is undefined (so on) in the npm build, the
 * server and the tests. Each module that uses it writes its own
 * `const DEV = typeof __CITA_DEV__ === 'undefined' || __CITA_DEV__;`: the bundler folds that
 * locally, and so also drops the imports used only in development (a shared exported constant
 * would keep them).
 */
declare global {
  const __CITA_DEV__: boolean | undefined;
}

export {};
