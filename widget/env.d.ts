/** Set by `define` in vite.config.ts from package.json; only the embed build reads it. */
declare const __WIDGET_VERSION__: string
/** Set by `define` in the loaders' builds: the hashed entry to import, what to preload, whether to prefetch. */
declare const __BOOT__: import('./boot').Boot
